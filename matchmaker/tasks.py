"""Every Celery task: thin wrappers that load ids and call a tested function; safe to run
twice. `matchmaker.signals` connects the domain's announcements to them."""

import logging
from dataclasses import asdict
from datetime import timedelta

from celery import chord, shared_task
from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone

from matchmaker.matching import scoring, stacks
from matchmaker.models import PendingScoring, ScoringRun
from matchmaker.review import notifications

logger = logging.getLogger(__name__)

RETRYING = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 6,
}
SWEEP_AFTER = timedelta(seconds=30)


def enqueue(task, *args) -> bool:
    """Publish without hanging the caller; on failure the outbox row waits for the sweeper."""
    try:
        task.apply_async(args=args, retry=False)
    except (
        Exception
    ):  # the broker may be down in many ways (socket, auth, SQL): never lose the request
        logger.warning(
            "Could not enqueue %s%s; the sweeper will retry", task.name, args, exc_info=True
        )
        return False
    return True


@shared_task(**RETRYING)
def score_project(project_id: int) -> dict:
    result = asdict(scoring.score_project(project_id))
    enqueue(build_packages, project_id)
    return result


@shared_task(**RETRYING)
def score_offering(offering_id: int) -> dict:
    result = scoring.score_offering(offering_id)
    for chunk in _chunks(result.projects_touched, 200):
        enqueue(build_packages_for, chunk)
    return asdict(result)


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


# Which task answers a scoring request of each kind (the outbox's `PendingScoring.kind`).
SCORING_TASKS = {
    PendingScoring.Kind.PROJECT: score_project,
    PendingScoring.Kind.OFFERING: score_offering,
}


@shared_task(**RETRYING)
def score_chunk(run_id: int, project_ids: list[int]) -> dict:
    run = ScoringRun.objects.get(pk=run_id)
    result = scoring.score_chunk(project_ids, run.started_at)
    ScoringRun.objects.filter(pk=run_id).update(
        chunks_done=F("chunks_done") + 1,
        pairs_scored=F("pairs_scored") + result.pairs_scored,
    )
    return asdict(result)


@shared_task(**RETRYING)
def finish_rescore(_chunk_results, run_id: int) -> int:
    run = ScoringRun.objects.get(pk=run_id)
    matches = scoring.finish_full_rescore(run.started_at)
    ScoringRun.objects.filter(pk=run_id).update(
        status=ScoringRun.Status.DONE, finished_at=timezone.now(), matches_written=matches
    )
    project_ids = [project_id for chunk in scoring.project_chunks() for project_id in chunk]
    for chunk in _chunks(project_ids, 200):
        enqueue(build_packages_for, chunk)
    return matches


@shared_task(acks_late=True)
def rescore_all(triggered_by_id: int | None = None) -> int:
    """Split every matchable project into chunks, score them across the workers (a chord),
    then trim and retire in one finishing step."""
    chunks = scoring.project_chunks()
    run = ScoringRun.objects.create(
        started_at=timezone.now(), chunks_total=len(chunks), triggered_by_id=triggered_by_id
    )
    if not chunks:
        finish_rescore.delay([], run.pk)
    else:
        chord(score_chunk.s(run.pk, ids) for ids in chunks)(finish_rescore.s(run.pk))
    return run.pk


@shared_task
def sweep_pending() -> int:
    """Enqueue scoring that was asked for but never ran (broker down, worker lost)."""
    overdue = PendingScoring.objects.filter(requested_at__lt=timezone.now() - SWEEP_AFTER)
    count = 0
    for kind, object_id in overdue.values_list("kind", "object_id")[:5000]:
        count += enqueue(SCORING_TASKS[kind], object_id)
    return count


@shared_task(**RETRYING)
def send_notification_email(notification_id: int) -> bool:
    return notifications.send_email(notification_id)


@shared_task
def send_daily_digests() -> int:
    return notifications.send_daily_digests()


@shared_task(**RETRYING)
def build_packages(project_id: int) -> int:
    return stacks.rebuild_packages(project_id)


@shared_task(**RETRYING)
def build_packages_for(project_ids: list[int]) -> int:
    return sum(stacks.rebuild_packages(project_id) for project_id in project_ids)
