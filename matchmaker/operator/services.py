"""The operator's writes: default weights (which re-score everything) and full re-scores."""

from django.db import transaction

from matchmaker import tasks
from matchmaker.models import EngineSettings


def rescore_start(*, by) -> bool:
    """Start a full re-score now; False when the task queue cannot be reached."""
    return tasks.enqueue(tasks.rescore_all, by.pk)


def rescore_after_commit(*, by) -> None:
    """A full re-score once the current transaction commits (the weights it reads are in)."""
    user_id = by.pk
    transaction.on_commit(lambda: tasks.enqueue(tasks.rescore_all, user_id))


@transaction.atomic
def engine_weights_save(*, weights: dict, by) -> EngineSettings:
    """New programme defaults; every pair is re-scored with them."""
    engine = EngineSettings.current()
    engine.weights = weights
    engine.save()
    rescore_after_commit(by=by)
    return engine
