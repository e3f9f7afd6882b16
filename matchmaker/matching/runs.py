"""Full re-score runs that finish whatever dies.

A run is split into chunks, each a `ScoringChunk` row: one per slice of projects (their
best K offerings) and one for the offerings (their best K projects). Workers score
chunks in any order and any number of times (scoring is an idempotent upsert stamped with
the run's start); the first to complete a chunk marks it done. When no chunk is left, one
worker claims the finishing step, which retires what the run did not write.

A worker claims a chunk before scoring it (`started_at`) and, while it scores, stamps
`heartbeat_at` every `heartbeat_every()`; a second message for a chunk whose worker is
alive is dropped, so nothing a live worker is doing runs twice. The sweeper
(`resume_scoring_runs`, every few seconds) tells three cases apart:
- never sent: sent now;
- started, and silent for `lost_after()` (its worker was killed): sent again at once,
  counted as a failed attempt; after `MAX_ATTEMPTS` the run fails with the reason, which
  the operator sees;
- sent and not started: its message is waiting behind other work, and is left alone. Only
  when it has waited `stale_after()` and the re-score queue holds no message (so it is not
  waiting there: the embedded broker loses what a killed worker had prefetched) is it sent
  again, and that is no failed attempt.
A run is never "running" for ever.

The Celery tasks in `matchmaker.tasks` are thin wrappers around these functions.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaker.matching import scoring
from matchmaker.models import ScoringChunk, ScoringRun

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def stale_after() -> timedelta:
    """How long a claimed finish may take, or a sent chunk wait unstarted with its queue
    empty, before it is presumed lost."""
    return timedelta(seconds=settings.SCORING_STALE_AFTER_SECONDS)


def heartbeat_every() -> float:
    return settings.SCORING_HEARTBEAT_SECONDS


def lost_after() -> timedelta:
    """How long a started chunk may go without a heartbeat before its worker is presumed
    dead (several heartbeats: a busy database may delay one)."""
    return timedelta(seconds=settings.SCORING_LOST_AFTER_SECONDS)


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


def _lost(now) -> Q:
    """Started, not done, and silent too long: its worker is gone."""
    return Q(started_at__isnull=False) & (
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - lost_after())
    )


def _waiting_long(now) -> Q:
    """Sent long ago and never started."""
    return Q(started_at__isnull=True, enqueued_at__lt=now - stale_after())


def has_chunks_waiting_long(run_id: int) -> bool:
    """Whether a chunk of this run was sent long ago and never started: only then is the
    broker asked whether its message still waits."""
    return ScoringChunk.objects.filter(
        _waiting_long(timezone.now()), run_id=run_id, done_at__isnull=True
    ).exists()


@transaction.atomic
def chunks_to_send(run_id: int, *, queue_empty: bool = False) -> list[int]:
    """Indexes of the chunks to (re)send now: never sent; started and lost; or sent long
    ago, never started, while `queue_empty` says no message waits in the re-score queue.
    Fails the run when a chunk due again was already started `MAX_ATTEMPTS` times."""
    if not _running(run_id).exists():
        return []
    now = timezone.now()
    due_now = Q(enqueued_at__isnull=True) | _lost(now)
    if queue_empty:
        due_now |= _waiting_long(now)
    due = ScoringChunk.objects.select_for_update().filter(
        due_now, run_id=run_id, done_at__isnull=True
    )
    exhausted = due.filter(attempts__gte=MAX_ATTEMPTS).first()
    if exhausted is not None:
        run_fail(
            run_id,
            _(
                "Chunk %(number)s of the run was started %(attempts)s times without "
                "finishing; see the worker logs, then start a new run."
            )
            % {"number": exhausted.index + 1, "attempts": exhausted.attempts},
        )
        return []
    indexes = list(due.order_by("index").values_list("index", flat=True))
    ScoringChunk.objects.filter(run_id=run_id, index__in=indexes).update(
        enqueued_at=now, started_at=None, heartbeat_at=None
    )
    return indexes


def chunk_claim(run_id: int, index: int) -> bool:
    """Take the chunk for this worker: not done, its run running, and nobody alive on it.
    Counts the attempt."""
    now = timezone.now()
    alive = Q(started_at__isnull=False, heartbeat_at__gte=now - lost_after())
    return bool(
        ScoringChunk.objects.filter(
            run_id=run_id,
            index=index,
            done_at__isnull=True,
            run__status=ScoringRun.Status.RUNNING,
        )
        .exclude(alive)
        .update(started_at=now, heartbeat_at=now, attempts=F("attempts") + 1)
    )


@contextmanager
def heartbeat(chunk_pk: int, every: float | None = None) -> Iterator[None]:
    """Stamp the chunk's `heartbeat_at` every `every` seconds while the block runs, from a
    thread of its own (with its own database connection), so the sweeper can tell a
    running chunk from one whose worker died."""
    stop = threading.Event()
    interval = heartbeat_every() if every is None else every

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    ScoringChunk.objects.filter(pk=chunk_pk, done_at__isnull=True).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # a busy database: the next beat tries again
                    logger.warning("Heartbeat of chunk %s not written", chunk_pk, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{chunk_pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def chunk_score(run_id: int, index: int) -> bool:
    """Score one chunk unless it is done, its run is over or a live worker has it; True if
    this call completed it (only the first completion counts towards the run's progress).
    On an error the chunk is released, waiting for its retry."""
    if not chunk_claim(run_id, index):
        return False
    chunk = ScoringChunk.objects.select_related("run").get(run_id=run_id, index=index)
    try:
        with heartbeat(chunk.pk):
            if chunk.kind == ScoringChunk.Kind.OFFERINGS:
                result = scoring.score_offering_side(chunk.run.started_at)
            else:
                result = scoring.score_chunk(chunk.project_ids, chunk.run.started_at)
    except BaseException:
        ScoringChunk.objects.filter(pk=chunk.pk, done_at__isnull=True).update(
            started_at=None, heartbeat_at=None, enqueued_at=timezone.now()
        )
        raise
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
