"""The outbox's and the runs' bookkeeping touches only the request or run it names, and
waits exactly as long as it says before presuming a message lost (found by make mutate)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaker.matching import outbox, runs
from matchmaker.models import PendingScoring, ScoringChunk, ScoringRun

pytestmark = pytest.mark.django_db


def long_ago():
    return timezone.now() - timedelta(hours=1)


def request(kind, object_id, **fields) -> PendingScoring:
    fields.setdefault("requested_at", long_ago())
    fields.setdefault("enqueued_at", timezone.now())
    return PendingScoring.objects.create(kind=kind, object_id=object_id, **fields)


def test_a_request_marked_started_or_unsent_is_that_request_only():
    mine = request("project", 1)
    same_id = request("offering", 1)
    same_kind = request("project", 2)
    outbox.request_started("project", 1)
    outbox.request_unsent("project", 1)
    rows = {row.pk: row for row in PendingScoring.objects.all()}
    assert rows[mine.pk].started_at is not None and rows[mine.pk].enqueued_at is None
    for other in (same_id, same_kind):
        assert (rows[other.pk].started_at, rows[other.pk].enqueued_at) == (
            None,
            other.enqueued_at,
        )


def test_a_refused_request_waits_its_interval_before_it_is_sent_again():
    request("project", 1, requested_at=timezone.now(), enqueued_at=None)
    assert outbox.requests_to_send() == []
    PendingScoring.objects.update(requested_at=timezone.now() - outbox.UNSENT_AFTER * 2)
    assert outbox.requests_to_send() == [("project", 1)]


def test_a_sent_request_waits_long_before_an_empty_queue_presumes_it_lost():
    request("project", 1, enqueued_at=timezone.now())
    assert not outbox.has_requests_waiting_long()
    assert outbox.requests_to_send(queue_empty=True) == []
    PendingScoring.objects.update(enqueued_at=long_ago())
    assert outbox.has_requests_waiting_long()
    assert outbox.requests_to_send() == []  # unless told the queue is empty, it waits
    # with the queue empty it is sent, and so is one started and lost meanwhile
    request("offering", 2, enqueued_at=long_ago(), started_at=long_ago())
    assert sorted(outbox.requests_to_send(queue_empty=True)) == [("offering", 2), ("project", 1)]


def a_run_with_chunks(count: int) -> ScoringRun:
    run = ScoringRun.objects.create(status=ScoringRun.Status.RUNNING, started_at=timezone.now())
    ScoringChunk.objects.bulk_create(
        ScoringChunk(run=run, index=i, kind=ScoringChunk.Kind.PROJECTS, project_ids=[])
        for i in range(count)
    )
    return run


def test_only_this_runs_undone_chunks_sent_long_ago_count_as_waiting_long():
    run, other = a_run_with_chunks(2), a_run_with_chunks(1)
    ScoringChunk.objects.update(enqueued_at=timezone.now())
    assert not runs.has_chunks_waiting_long(run.pk)  # sent just now
    ScoringChunk.objects.filter(run=other).update(enqueued_at=long_ago())
    assert not runs.has_chunks_waiting_long(run.pk)  # another run's
    ScoringChunk.objects.filter(run=run, index=0).update(
        enqueued_at=long_ago(), done_at=timezone.now()
    )
    assert not runs.has_chunks_waiting_long(run.pk)  # done
    ScoringChunk.objects.filter(run=run, index=1).update(
        enqueued_at=long_ago(), started_at=timezone.now()
    )
    assert not runs.has_chunks_waiting_long(run.pk)  # a worker has it
    ScoringChunk.objects.filter(run=run, index=1).update(started_at=None)
    assert runs.has_chunks_waiting_long(run.pk)


def test_a_chunk_is_found_by_its_run_and_index(monkeypatch):
    a_run_with_chunks(1)
    run = a_run_with_chunks(1)
    assert runs.chunks_to_send(run.pk) == [0]
    assert runs.chunk_score(run.pk, 0) is True


def test_a_chunk_that_failed_is_not_sent_again_by_the_sweeper_its_retry_is_coming(monkeypatch):
    run = a_run_with_chunks(1)
    runs.chunks_to_send(run.pk)

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(runs.scoring, "score_chunk", broken)
    with pytest.raises(RuntimeError):
        runs.chunk_score(run.pk, 0)
    assert runs.chunks_to_send(run.pk) == []


def test_failing_a_run_fails_that_run_only_and_never_a_finished_one():
    run, other = a_run_with_chunks(1), a_run_with_chunks(1)
    done = ScoringRun.objects.create(status=ScoringRun.Status.DONE, started_at=timezone.now())
    runs.run_fail(run.pk, "disk full")
    runs.run_fail(done.pk, "too late")
    statuses = dict(ScoringRun.objects.values_list("pk", "status"))
    assert statuses == {run.pk: "failed", other.pk: "running", done.pk: "done"}
    assert runs.runs_in_progress() == [other.pk]


def test_only_a_queued_run_nobody_took_waits_too_long():
    queued = runs.run_queue()
    running = a_run_with_chunks(1)
    ScoringRun.objects.update(started_at=long_ago())
    assert runs.runs_waiting_too_long() == [queued.pk]
    assert running.pk not in runs.runs_waiting_too_long()
