"""Races and re-deliveries of a full re-score, with real concurrency: each actor in its own
thread and database connection, ordered by events and barriers (never by sleeping), and
every check made by the test itself once the threads are done.

- two workers finish the same chunk at once (the first was presumed dead, its chunk sent
  again, and it finished after all): the chunk counts once;
- the broker delivers a re-score task twice at once: one run, its chunks created and
  sent once;
- a scoring request arrives while a chunk is being written: the run's finish, which
  clears the requests it answered, keeps this one;
- two workers take the finishing step at once: the run is finished once.

Where a lock is what protects, the first actor holds its transaction between reading and
writing until the second has read too, for a bounded while (a working lock never lets the
second read): on PostgreSQL (the CI run) that is the interleaving a missing lock lets
through; on SQLite the write transaction's `BEGIN IMMEDIATE` serialises the two instead.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from matchmaker import tasks
from matchmaker.matching import outbox, runs, scoring
from matchmaker.models import PendingScoring, ScoringChunk, ScoringRun
from tests.factories import OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

HOLD_SECONDS = 2.0  # how long the first waits for what a working lock never allows
WAIT_SECONDS = 60.0  # an event that must come: only a hang reaches this


@pytest.fixture
def market(settings):
    settings.SCORING_CHUNK_SIZE = 2
    # No heartbeat while a chunk is scored: a worker the test pauses looks dead at once.
    settings.SCORING_HEARTBEAT_SECONDS = 3600
    projects = [ProjectFactory(trl=4 + i % 4) for i in range(3)]
    for i in range(2):
        OfferingFactory(ticket_max=(i + 1) * 40_000_000)
    return projects


def in_threads(*jobs) -> list:
    """Each job in its own thread and connection; what each returned. A failure inside a
    thread is handed to the test, never lost there."""
    results: list = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index, job):
        try:
            results[index] = job()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, job), name=f"worker-{i}")
        for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(2 * WAIT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a worker never finished"
    assert errors == []
    return results


def test_two_workers_finishing_the_same_chunk_count_it_once(market, monkeypatch):
    run = runs.run_start()
    runs.chunks_to_send(run.pk)
    index = 1  # a chunk of projects
    first_has_scored = threading.Event()
    both_have_scored = threading.Barrier(2, timeout=WAIT_SECONDS)
    results = []
    score_chunk = scoring.score_chunk

    def scored_then_wait(project_ids, stamp):
        result = score_chunk(project_ids, stamp)
        results.append(result)
        if threading.current_thread().name == "worker-0":
            first_has_scored.set()
        both_have_scored.wait()  # then both mark the chunk done at the same moment
        return result

    monkeypatch.setattr(scoring, "score_chunk", scored_then_wait)

    def first():
        return runs.chunk_score(run.pk, index)

    def second():
        """The sweeper presumes the silent first worker dead, sends the chunk again, and a
        second worker takes it."""
        first_has_scored.wait(WAIT_SECONDS)
        ScoringChunk.objects.filter(run=run, index=index).update(
            heartbeat_at=timezone.now() - timedelta(hours=1)
        )
        sent_again = runs.chunks_to_send(run.pk)
        return sent_again, runs.chunk_score(run.pk, index)

    first_completed, (sent_again, second_completed) = in_threads(first, second)
    assert sent_again == [index]
    assert sorted([first_completed, second_completed]) == [False, True]
    run.refresh_from_db()
    assert run.chunks_done == 1
    assert len(results) == 2 and results[0].pairs_scored > 0
    assert run.pairs_scored == results[0].pairs_scored  # counted once
    assert ScoringChunk.objects.get(run=run, index=index).attempts == 2


def test_a_rescore_task_delivered_twice_starts_its_run_once(market, monkeypatch):
    queued = runs.run_queue()
    sent = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: sent.append((task.name, args)))
    first_has_read, second_has_read = threading.Event(), threading.Event()
    project_chunks = scoring.project_chunks

    def chunks_after_reading(size=None):
        """Called once the delivery has read its run as queued, inside its transaction."""
        if threading.current_thread().name == "worker-0":
            first_has_read.set()
            second_has_read.wait(HOLD_SECONDS)
        else:
            second_has_read.set()
        return project_chunks(size)

    monkeypatch.setattr(scoring, "project_chunks", chunks_after_reading)

    def second():
        first_has_read.wait(WAIT_SECONDS)
        return tasks.rescore_all(run_id=queued.pk)

    delivered = in_threads(lambda: tasks.rescore_all(run_id=queued.pk), second)
    assert delivered == [queued.pk, queued.pk]
    assert ScoringRun.objects.count() == 1
    run = ScoringRun.objects.get()
    # two chunks of projects and the offerings' chunk, each created and sent once
    assert (run.status, run.chunks_total) == ("running", 3)
    assert ScoringChunk.objects.filter(run=run).count() == 3
    chunk_messages = sorted(args for name, args in sent if name == tasks.score_chunk.name)
    assert chunk_messages == [(run.pk, 0), (run.pk, 1), (run.pk, 2)]


def test_a_request_made_while_a_chunk_is_written_outlives_the_run(market, monkeypatch):
    earlier = market[0]
    outbox.request_record(PendingScoring.Kind.PROJECT, earlier.pk)  # answered by the run
    run = runs.run_start()
    runs.chunks_to_send(run.pk)
    chunk = ScoringChunk.objects.get(run=run, index=1)
    changed = chunk.project_ids[-1]
    writing, requested = threading.Event(), threading.Event()
    upsert_matches = scoring.upsert_matches

    def upsert_held(pairs, stamp, **how):
        """Inside the chunk's write transaction: hold it until the request is in."""
        if threading.current_thread().name == "worker-0":
            writing.set()
            requested.wait(HOLD_SECONDS)
        return upsert_matches(pairs, stamp, **how)

    monkeypatch.setattr(scoring, "upsert_matches", upsert_held)

    def request():
        writing.wait(WAIT_SECONDS)
        try:
            return outbox.request_record(PendingScoring.Kind.PROJECT, changed)
        finally:
            requested.set()

    completed, must_publish = in_threads(lambda: runs.chunk_score(run.pk, 1), request)
    assert completed is True and must_publish is True
    for index in (0, 2):
        runs.chunk_score(run.pk, index)
    assert runs.run_finish(run.pk) is not None
    # the run answered the request made before it started, not the one made during it
    assert list(PendingScoring.objects.values_list("kind", "object_id")) == [
        (PendingScoring.Kind.PROJECT, changed)
    ]


def test_two_workers_finishing_the_run_at_once_finish_it_once(market, monkeypatch):
    run = runs.run_start()
    runs.chunks_to_send(run.pk)
    for index in range(3):
        runs.chunk_score(run.pk, index)
    both_see_it_due = threading.Barrier(2, timeout=WAIT_SECONDS)
    finish_due, finish_full_rescore = runs.finish_due, scoring.finish_full_rescore
    finished = []

    def due_then_wait(run_id):
        due = finish_due(run_id)
        both_see_it_due.wait()  # both read "due" before either claims it
        return due

    def finish_counted(stamp):
        finished.append(stamp)
        return finish_full_rescore(stamp)

    monkeypatch.setattr(runs, "finish_due", due_then_wait)
    monkeypatch.setattr(scoring, "finish_full_rescore", finish_counted)
    outcomes = in_threads(lambda: runs.run_finish(run.pk), lambda: runs.run_finish(run.pk))
    assert len(finished) == 1
    assert outcomes.count(None) == 1  # the other returned the matches kept
    run.refresh_from_db()
    assert run.status == "done" and run.finished_at is not None
