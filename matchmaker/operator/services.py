"""The operator's writes: default weights (which re-score everything) and full re-scores."""

from django.db import transaction

from matchmaker import tasks
from matchmaker.audit import audit_record
from matchmaker.matching import runs
from matchmaker.models import AuditAction, EngineSettings


def rescore_start(*, by) -> bool:
    """Start a full re-score now: the run is recorded at once (the operator's page follows
    it while it waits for a worker); False when the task queue cannot be reached, in which
    case the sweeper sends it once the queue is back."""
    run = runs.run_queue(triggered_by_id=by.pk)
    return tasks.enqueue(tasks.rescore_all, by.pk, run.pk)


def rescore_after_commit(*, by) -> None:
    """A full re-score once the current transaction commits (the weights it reads are in)."""
    run = runs.run_queue(triggered_by_id=by.pk)
    user_id, run_id = by.pk, run.pk
    transaction.on_commit(lambda: tasks.enqueue(tasks.rescore_all, user_id, run_id))


@transaction.atomic
def engine_weights_save(*, weights: dict, by) -> EngineSettings:
    """New programme defaults; every pair is re-scored with them."""
    engine = EngineSettings.current()
    engine.weights = weights
    engine.save()
    audit_record(
        action=AuditAction.ENGINE_WEIGHTS_SAVED, by=by, target="engine", detail={"weights": weights}
    )
    rescore_after_commit(by=by)
    return engine
