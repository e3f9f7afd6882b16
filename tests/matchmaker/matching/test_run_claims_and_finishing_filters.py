"""A worker claims only the chunk it names, of a running run, not done and with nobody
alive on it; a run is finished once, when its own chunks are done and nobody is finishing
it; one run's state never leaks into another's (survivors of make mutate, issue #28).

The clock is frozen at `NOW` and the limits are set, so every boundary is exact."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaker.matching import runs
from matchmaker.models import ScoringChunk, ScoringRun

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)
LOST_AFTER = timedelta(seconds=60)
STALE_AFTER = timedelta(seconds=600)
TICK = timedelta(microseconds=1)


@pytest.fixture(autouse=True)
def frozen(settings, monkeypatch):
    settings.SCORING_LOST_AFTER_SECONDS = LOST_AFTER.total_seconds()
    settings.SCORING_STALE_AFTER_SECONDS = STALE_AFTER.total_seconds()
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def a_run(chunks: int = 1, status=ScoringRun.Status.RUNNING) -> ScoringRun:
    run = ScoringRun.objects.create(status=status, started_at=NOW, chunks_total=chunks)
    ScoringChunk.objects.bulk_create(
        ScoringChunk(run=run, index=i, kind=ScoringChunk.Kind.PROJECTS, project_ids=[])
        for i in range(chunks)
    )
    return run


def chunk(run, index: int = 0) -> ScoringChunk:
    return ScoringChunk.objects.get(run=run, index=index)


def set_chunk(run, index: int = 0, **fields) -> None:
    ScoringChunk.objects.filter(run=run, index=index).update(**fields)


def all_done(run) -> None:
    ScoringChunk.objects.filter(run=run).update(done_at=NOW)


# _running: this run, and only while it runs


def test_a_run_that_is_not_running_is_never_sent_claimed_or_finished():
    for status in (ScoringRun.Status.DONE, ScoringRun.Status.FAILED):
        over = a_run(status=status)
        assert runs.chunks_to_send(over.pk) == []
        assert runs.chunk_claim(over.pk, 0) is False
        all_done(over)
        assert runs.finish_due(over.pk) is False
        assert runs.run_finish(over.pk) is None
        assert ScoringRun.objects.get(pk=over.pk).status == status


def test_another_running_run_does_not_make_a_finished_one_running():
    finished = a_run(status=ScoringRun.Status.DONE)
    all_done(finished)
    a_run()  # running, all its chunks done, nobody finishing it
    ScoringChunk.objects.update(done_at=NOW)
    assert runs.finish_due(finished.pk) is False
    assert runs.chunks_to_send(finished.pk) == []


def test_a_chunk_scored_counts_towards_its_own_run_only():
    run, other = a_run(), a_run()
    assert runs.chunk_score(run.pk, 0) is True
    progress = dict(ScoringRun.objects.values_list("pk", "chunks_done"))
    assert progress == {run.pk: 1, other.pk: 0}


def test_finishing_a_run_finishes_that_run_only(monkeypatch):
    monkeypatch.setattr(runs.scoring, "finish_full_rescore", lambda stamp: 7)
    run, other = a_run(), a_run()
    all_done(run)
    all_done(other)
    assert runs.run_finish(run.pk) == 7
    statuses = dict(ScoringRun.objects.values_list("pk", "status"))
    assert statuses == {run.pk: "done", other.pk: "running"}
    assert ScoringRun.objects.get(pk=other.pk).finish_claimed_at is None


# chunk_claim: the chunk named, not done, its run running, nobody alive on it


def test_a_claim_takes_the_chunk_of_the_run_named_only():
    run, other = a_run(), a_run()
    assert runs.chunk_claim(run.pk, 0) is True
    assert (chunk(run).started_at, chunk(run).attempts) == (NOW, 1)
    assert (chunk(other).started_at, chunk(other).attempts) == (None, 0)


def test_a_claim_is_refused_when_only_another_runs_chunk_of_that_index_is_free():
    run, other = a_run(), a_run()
    set_chunk(run, done_at=NOW)
    assert runs.chunk_claim(run.pk, 0) is False
    assert chunk(other).started_at is None


def test_a_done_chunk_is_not_claimed_again():
    run = a_run()
    set_chunk(run, done_at=NOW)
    assert runs.chunk_claim(run.pk, 0) is False
    assert chunk(run).attempts == 0


def test_a_chunk_of_a_failed_run_is_not_claimed():
    run = a_run(status=ScoringRun.Status.FAILED)
    assert runs.chunk_claim(run.pk, 0) is False
    assert chunk(run).started_at is None


def test_a_chunk_a_worker_is_alive_on_is_not_claimed_until_its_heartbeat_is_lost():
    run = a_run()
    started = NOW - timedelta(hours=1)
    # beating just now, and beating exactly lost_after() ago: alive
    for beat in (NOW, NOW - LOST_AFTER):
        set_chunk(run, started_at=started, heartbeat_at=beat)
        assert runs.chunk_claim(run.pk, 0) is False, beat
        assert chunk(run).started_at == started
    # silent a moment longer than lost_after(): its worker is gone, the chunk is taken
    set_chunk(run, heartbeat_at=NOW - LOST_AFTER - TICK)
    assert runs.chunk_claim(run.pk, 0) is True
    assert (chunk(run).started_at, chunk(run).heartbeat_at) == (NOW, NOW)


def test_a_chunk_nobody_started_is_claimed_whatever_its_last_heartbeat():
    """Released after an error (or sent again): a recent beat left behind is no worker."""
    run = a_run()
    set_chunk(run, started_at=None, heartbeat_at=NOW)
    assert runs.chunk_claim(run.pk, 0) is True


def test_a_started_chunk_that_never_beat_is_claimed():
    run = a_run()
    set_chunk(run, started_at=NOW - timedelta(hours=1), heartbeat_at=None)
    assert runs.chunk_claim(run.pk, 0) is True


# finish_due and run_finish: once, when this run's chunks are done


def test_a_finishing_claim_is_due_again_only_once_older_than_stale_after():
    run = a_run()
    all_done(run)
    assert runs.finish_due(run.pk) is True  # nobody finishing it
    for claimed in (NOW, NOW - STALE_AFTER):
        ScoringRun.objects.filter(pk=run.pk).update(finish_claimed_at=claimed)
        assert runs.finish_due(run.pk) is False, claimed
        assert runs.run_finish(run.pk) is None
    ScoringRun.objects.filter(pk=run.pk).update(finish_claimed_at=NOW - STALE_AFTER - TICK)
    assert runs.finish_due(run.pk) is True


def test_another_runs_unfinished_chunk_does_not_hold_this_run_back():
    run, other = a_run(), a_run()
    all_done(run)
    assert runs.finish_due(run.pk) is True
    assert runs.finish_due(other.pk) is False
    set_chunk(run, done_at=None)
    all_done(other)
    assert runs.finish_due(run.pk) is False


def test_a_second_caller_while_the_run_is_finishing_does_not_finish_it_too(monkeypatch):
    run = a_run()
    all_done(run)
    finishes, second = [], []

    def finishing(stamp):
        finishes.append(stamp)
        # the claim is stamped before the work: a caller now finds it taken
        second.append(runs.finish_due(run.pk))
        second.append(runs.run_finish(run.pk))
        return 3

    monkeypatch.setattr(runs.scoring, "finish_full_rescore", finishing)
    assert runs.run_finish(run.pk) == 3
    assert (finishes, second) == ([NOW], [False, None])
    run.refresh_from_db()
    assert (run.status, run.finish_claimed_at, run.matches_written) == ("done", NOW, 3)


def test_a_chunk_that_fails_releases_itself_only(monkeypatch):
    """Scoring one chunk fails: that chunk waits for its retry; another chunk a live worker
    is scoring, of this run or another, keeps its claim (cleared, it would be claimed and
    scored twice at once)."""
    run, other = a_run(chunks=2), a_run()
    set_chunk(run, 1, started_at=NOW, heartbeat_at=NOW, attempts=1)
    set_chunk(other, 0, started_at=NOW, heartbeat_at=NOW, attempts=1)

    def broken(project_ids, stamp):
        raise RuntimeError("disk full")

    monkeypatch.setattr(runs.scoring, "score_chunk", broken)
    with pytest.raises(RuntimeError):
        runs.chunk_score(run.pk, 0)

    assert (chunk(run, 0).started_at, chunk(run, 0).enqueued_at) == (None, NOW)
    for alive in (chunk(run, 1), chunk(other, 0)):
        assert (alive.started_at, alive.heartbeat_at) == (NOW, NOW)
        assert runs.chunk_claim(alive.run_id, alive.index) is False
