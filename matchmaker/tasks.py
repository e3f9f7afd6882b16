"""Every Celery task: thin wrappers that load ids and call a tested function; safe to run
twice. `matchmaker.signals` connects the domain's announcements to them."""

import logging
from dataclasses import asdict

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from investors.models import Offering
from matchmaker import queues, sqlite_wal, written_areas
from matchmaker.dealroom import deadlines, revisit
from matchmaker.matching import outbox, runs, scoring, stacks
from matchmaker.models import PendingScoring
from matchmaker.review import learning, notifications
from matchmaker.webhooks import announce
from matchmaker.webhooks import services as webhooks

logger = logging.getLogger(__name__)

RETRYING = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 6,
}


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
    outbox.request_started(PendingScoring.Kind.PROJECT, project_id)
    started = timezone.now()
    result = asdict(scoring.score_project(project_id))
    notifications.notify_new_matches([project_id], since=started)
    announce.new_matches([project_id], since=started)
    enqueue(build_packages, project_id)
    return result


@shared_task(**RETRYING)
def score_offering(offering_id: int) -> dict:
    outbox.request_started(PendingScoring.Kind.OFFERING, offering_id)
    started = timezone.now()
    result = scoring.score_offering(offering_id)
    notifications.notify_new_matches(result.projects_touched, since=started)
    announce.new_matches(result.projects_touched, since=started)
    for chunk in _chunks(result.projects_touched, PACKAGE_BATCH):
        enqueue(build_packages_for, chunk)
    return asdict(result)


# Projects per package-building task: small, so a re-score's chunk (taken first) waits
# for at most one short batch per worker process, not for one of several minutes.
PACKAGE_BATCH = 20


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


# Which task answers a scoring request of each kind (the outbox's `PendingScoring.kind`).
SCORING_TASKS = {
    PendingScoring.Kind.PROJECT: score_project,
    PendingScoring.Kind.OFFERING: score_offering,
}


def publish_scoring(kind: str, object_id: int) -> bool:
    """Publish a recorded request's task; if the broker refuses, the sweeper sends it."""
    if enqueue(SCORING_TASKS[kind], object_id):
        return True
    outbox.request_unsent(kind, object_id)
    return False


def _send_run(run_id: int) -> None:
    """Send what a run needs now: chunks never sent or presumed lost, or its finish. The
    broker is asked for the re-score queue's depth only when a chunk has waited long."""
    queue_empty = runs.has_chunks_waiting_long(run_id) and queues.queue_is_empty(queues.RESCORE)
    for index in runs.chunks_to_send(run_id, queue_empty=queue_empty):
        enqueue(score_chunk, run_id, index)
    if runs.finish_due(run_id):
        enqueue(finish_rescore, run_id)


@shared_task(**RETRYING)
def score_chunk(run_id: int, index: int) -> bool:
    completed = runs.chunk_score(run_id, index)
    if runs.finish_due(run_id):
        enqueue(finish_rescore, run_id)
    return completed


@shared_task(**RETRYING)
def finish_rescore(run_id: int) -> int | None:
    matches = runs.run_finish(run_id)
    if matches is not None:
        project_ids = [project_id for chunk in scoring.project_chunks() for project_id in chunk]
        for chunk in _chunks(project_ids, PACKAGE_BATCH):
            enqueue(build_packages_for, chunk)
    return matches


@shared_task(acks_late=True)
def rescore_all(triggered_by_id: int | None = None, run_id: int | None = None) -> int:
    """Split every matchable project into chunks and send them to the workers; the last
    chunk done sends the finishing step (see `matching/runs.py`). `run_id` is the run the
    operator's page already shows as waiting; without it (the nightly run) a new one."""
    run = runs.run_start(run_id=run_id, triggered_by_id=triggered_by_id)
    _send_run(run.pk)
    return run.pk


@shared_task
def resume_scoring_runs() -> int:
    """Resend the chunks (or the finish) of running runs whose worker was lost."""
    running = runs.runs_in_progress()
    for run_id in running:
        _send_run(run_id)
    waiting = runs.runs_waiting_too_long()
    for run_id in waiting:
        enqueue(rescore_all, None, run_id)
    return len(running) + len(waiting)


@shared_task
def sweep_pending() -> int:
    """Send scoring that was asked for and is not on its way: never published (broker
    down), or started by a worker that was lost; never a copy of a waiting message."""
    queue_empty = outbox.has_requests_waiting_long() and queues.queue_is_empty(queues.PEOPLE)
    count = 0
    for kind, object_id in outbox.requests_to_send(queue_empty=queue_empty):
        count += publish_scoring(kind, object_id)
    return count


@shared_task
def checkpoint_database() -> list[int] | None:
    """Fold the embedded database's write-ahead log back after bulk writes (see
    `matchmaker.sqlite_wal`); nothing on PostgreSQL."""
    result = sqlite_wal.checkpoint()
    return None if result is None else list(result)


@shared_task
def fold_written_areas() -> int:
    """Fold the committed writes' rows into the areas' counts (`written_areas.fold`), so
    taking a marker stays one small read; nothing on SQLite."""
    return written_areas.fold()


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


@shared_task(**RETRYING)
def learn_from_decisions(offering_id: int) -> bool:
    """Refit what the offering's decisions teach; `learning` announces a change, which
    re-scores the offering."""
    offering = Offering.objects.filter(pk=offering_id).first()
    return offering is not None and learning.learn(offering) is not None


@shared_task
def remind_introduction_requests() -> int:
    """Remind whoever must answer an introduction request before its deadline; each
    request is reminded once, however often this runs."""
    return deadlines.send_reminders()


@shared_task
def revisit_declined_matches() -> int:
    """Bring back "not now" declines whose date has come (facts are checked as they change)."""
    return revisit.dates_revisit()


@shared_task(**RETRYING)
def send_webhook(delivery_id: int) -> bool:
    """One attempt of one delivery (a claimed delivery is not sent twice at once)."""
    return webhooks.delivery_send(delivery_id=delivery_id)


@shared_task
def send_due_webhooks() -> int:
    """Every few seconds: the retries now due, and deliveries whose first send was lost."""
    due = webhooks.deliveries_due()
    for delivery_id in due:
        enqueue(send_webhook, delivery_id)
    return len(due)
