"""Full re-score runs that finish whatever dies.

A run is split into chunks, each a `ScoringChunk` row: one per slice of projects (their
best K offerings) and one for the offerings (their best K projects). Workers score
chunks in any order and any number of times (scoring is an idempotent upsert stamped with
the run's start); the first to complete a chunk marks it done. When no chunk is left, one
worker claims the finishing step, which retires what the run did not write. A chunk sent
but not done after `stale_after()` (its worker died, or the broker lost the message, as
the embedded broker does with messages a killed worker held) is sent again by the
sweeper; after `MAX_ATTEMPTS` sends the run is marked failed with the reason, which the
operator sees. A run is never "running" for ever.

The Celery tasks in `matchmaker.tasks` are thin wrappers around these functions.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaker.matching import scoring
from matchmaker.models import ScoringChunk, ScoringRun

MAX_ATTEMPTS = 3


def stale_after() -> timedelta:
    """How long a sent chunk or a claimed finish may take before it is presumed lost."""
    return timedelta(seconds=settings.SCORING_STALE_AFTER_SECONDS)


def run_queue(*, triggered_by_id: int | None = None) -> ScoringRun:
    """A run asked for and not yet taken by a worker: the operator's page shows it (and
    follows it) from the moment the button is pressed."""
    return ScoringRun.objects.create(
        status=ScoringRun.Status.QUEUED, started_at=timezone.now(), triggered_by_id=triggered_by_id
    )


@transaction.atomic
def run_start(*, run_id: int | None = None, triggered_by_id: int | None = None) -> ScoringRun:
    """The run with one row per chunk of the matchable projects: the queued run `run_id`
    (left as it is if a worker already started it: the task may arrive twice), or a new
    one."""
    if run_id is None:
        run = ScoringRun.objects.create(started_at=timezone.now(), triggered_by_id=triggered_by_id)
    else:
        run = ScoringRun.objects.select_for_update().get(pk=run_id)
        if run.status != ScoringRun.Status.QUEUED:
            return run
    chunks = [
        ScoringChunk(run=run, kind=ScoringChunk.Kind.PROJECTS, project_ids=ids)
        for ids in scoring.project_chunks(settings.SCORING_CHUNK_SIZE)
    ]
    if chunks:  # the offerings' chunk first: it takes longest, so it starts early
        chunks.insert(0, ScoringChunk(run=run, kind=ScoringChunk.Kind.OFFERINGS))
    for index, chunk in enumerate(chunks):
        chunk.index = index
    run.status, run.chunks_total = ScoringRun.Status.RUNNING, len(chunks)
    run.save(update_fields=["status", "chunks_total"])
    ScoringChunk.objects.bulk_create(chunks)
    return run


def _running(run_id: int):
    return ScoringRun.objects.filter(pk=run_id, status=ScoringRun.Status.RUNNING)


@transaction.atomic
def chunks_to_send(run_id: int) -> list[int]:
    """Indexes of the chunks to (re)send now: never sent, or sent and presumed lost.
    Counts the attempt; fails the run when a chunk has been tried too often."""
    if not _running(run_id).exists():
        return []
    lost_before = timezone.now() - stale_after()
    due = ScoringChunk.objects.select_for_update().filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=lost_before),
        run_id=run_id,
        done_at__isnull=True,
    )
    exhausted = due.filter(attempts__gte=MAX_ATTEMPTS).first()
    if exhausted is not None:
        run_fail(
            run_id,
            _(
                "Chunk %(number)s of the run was sent %(attempts)s times without finishing; "
                "see the worker logs, then start a new run."
            )
            % {"number": exhausted.index + 1, "attempts": exhausted.attempts},
        )
        return []
    indexes = list(due.order_by("index").values_list("index", flat=True))
    due.update(enqueued_at=timezone.now(), attempts=F("attempts") + 1)
    return indexes


def chunk_score(run_id: int, index: int) -> bool:
    """Score one chunk unless it is done or its run is over; True if this call completed
    it (only the first completion counts towards the run's progress)."""
    chunk = ScoringChunk.objects.select_related("run").get(run_id=run_id, index=index)
    if chunk.done_at is not None or chunk.run.status != ScoringRun.Status.RUNNING:
        return False
    if chunk.kind == ScoringChunk.Kind.OFFERINGS:
        result = scoring.score_offering_side(chunk.run.started_at)
    else:
        result = scoring.score_chunk(chunk.project_ids, chunk.run.started_at)
    with transaction.atomic():
        completed = ScoringChunk.objects.filter(pk=chunk.pk, done_at__isnull=True).update(
            done_at=timezone.now()
        )
        if completed:
            _running(run_id).update(
                chunks_done=F("chunks_done") + 1,
                pairs_scored=F("pairs_scored") + result.pairs_scored,
            )
    return bool(completed)


def finish_due(run_id: int) -> bool:
    """Every chunk is done and nobody is finishing the run (or its finisher was lost)."""
    lost_before = timezone.now() - stale_after()
    return (
        _running(run_id)
        .filter(Q(finish_claimed_at__isnull=True) | Q(finish_claimed_at__lt=lost_before))
        .exists()
        and not ScoringChunk.objects.filter(run_id=run_id, done_at__isnull=True).exists()
    )


def run_finish(run_id: int) -> int | None:
    """Claim and run the finishing step; None when another worker has it or the run is
    over. Returns the matches kept."""
    if not finish_due(run_id):
        return None
    lost_before = timezone.now() - stale_after()
    claimed = (
        _running(run_id)
        .filter(Q(finish_claimed_at__isnull=True) | Q(finish_claimed_at__lt=lost_before))
        .update(finish_claimed_at=timezone.now())
    )
    if not claimed:
        return None
    run = ScoringRun.objects.get(pk=run_id)
    matches = scoring.finish_full_rescore(run.started_at)
    _running(run_id).update(
        status=ScoringRun.Status.DONE, finished_at=timezone.now(), matches_written=matches
    )
    return matches


def run_fail(run_id: int, reason: str) -> None:
    ScoringRun.objects.filter(
        pk=run_id, status__in=[ScoringRun.Status.QUEUED, ScoringRun.Status.RUNNING]
    ).update(status=ScoringRun.Status.FAILED, finished_at=timezone.now(), error=reason)


def runs_in_progress() -> list[int]:
    return list(
        ScoringRun.objects.filter(status=ScoringRun.Status.RUNNING).values_list("pk", flat=True)
    )


def runs_waiting_too_long() -> list[int]:
    """Queued runs no worker has taken within `stale_after()` (the message was lost)."""
    return list(
        ScoringRun.objects.filter(
            status=ScoringRun.Status.QUEUED, started_at__lt=timezone.now() - stale_after()
        ).values_list("pk", flat=True)
    )
