"""Full re-score runs finish whatever dies: chunks are resent when lost, counted once when
scored twice, and the run finishes exactly once or fails with a reason."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaker import tasks
from matchmaker.matching import runs, scoring
from matchmaker.models import EngineSettings, Match, ScoringChunk, ScoringRun
from tests.factories import OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(settings):
    settings.SCORING_CHUNK_SIZE = 2
    projects = [ProjectFactory(trl=4 + i % 4) for i in range(7)]
    for i in range(4):
        OfferingFactory(ticket_max=(i + 1) * 40_000_000)
    return projects


def pairs_and_scores() -> set:
    return set(Match.objects.values_list("project_id", "offering_id", "score"))


def clean_run_result() -> set:
    scoring.full_rescore_inline()
    result = pairs_and_scores()
    Match.objects.all().delete()
    return result


def age(model, **fields):
    """Pretend whatever was sent or claimed happened long ago."""
    model.objects.update(**{name: timezone.now() - timedelta(hours=1) for name in fields})


def test_a_run_scores_every_chunk_and_finishes_once(market):
    expected = clean_run_result()
    run = ScoringRun.objects.get(pk=tasks.rescore_all())
    # four chunks of two projects, and the offerings' chunk
    assert (run.status, run.chunks_total, run.chunks_done) == ("done", 5, 5)
    assert run.pairs_scored == 7 * 4
    assert pairs_and_scores() == expected
    assert runs.run_finish(run.pk) is None  # finished already: nothing happens twice


def test_a_chunk_scored_twice_counts_once(market):
    run = runs.run_start()
    runs.chunks_to_send(run.pk)
    assert runs.chunk_score(run.pk, 0) is True
    assert runs.chunk_score(run.pk, 0) is False
    run.refresh_from_db()
    assert run.chunks_done == 1


@pytest.fixture
def queue(monkeypatch):
    """The re-score queue's depth as the sweeper sees it (set by each test)."""
    state = {"empty": False}
    monkeypatch.setattr(tasks.queues, "queue_is_empty", lambda name: state["empty"])
    return state


def start_and_lose(run, index: int) -> None:
    """A worker claims the chunk, then dies: its heartbeat stops."""
    assert runs.chunk_claim(run.pk, index)
    ScoringChunk.objects.filter(run=run, index=index).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )


def test_a_chunk_whose_worker_died_is_sent_again_and_the_run_completes(market, queue):
    expected = clean_run_result()
    run = runs.run_start()
    assert runs.chunks_to_send(run.pk) == [0, 1, 2, 3, 4]
    for index in (0, 1, 3, 4):
        tasks.score_chunk(run.pk, index)
    assert runs.chunks_to_send(run.pk) == []  # chunk 2 still waits for a worker
    start_and_lose(run, 2)
    tasks.resume_scoring_runs()
    run.refresh_from_db()
    assert (run.status, run.chunks_done) == ("done", 5)
    assert ScoringChunk.objects.get(run=run, index=2).attempts == 2
    assert pairs_and_scores() == expected


def test_a_chunk_sent_but_never_started_has_not_failed(market, queue):
    """Behind a busy queue a chunk waits; it is sent again only when no message waits in
    the re-score queue (then its message was lost), and that is no failed attempt."""
    run = runs.run_start()
    runs.chunks_to_send(run.pk)
    for _sweep in range(runs.MAX_ATTEMPTS + 2):
        age(ScoringChunk, enqueued_at=True)
        tasks.resume_scoring_runs()  # the queue holds messages: they wait there
        assert not ScoringChunk.objects.filter(started_at__isnull=False).exists()
    queue["empty"] = True
    for _sweep in range(runs.MAX_ATTEMPTS + 2):
        age(ScoringChunk, enqueued_at=True)
        assert runs.chunks_to_send(run.pk, queue_empty=True) == [0, 1, 2, 3, 4]
    run.refresh_from_db()
    assert run.status == "running"
    assert set(ScoringChunk.objects.values_list("attempts", flat=True)) == {0}


def test_a_chunk_a_live_worker_is_scoring_is_not_run_twice(market, monkeypatch):
    run = runs.run_start()
    runs.chunks_to_send(run.pk)
    assert runs.chunk_claim(run.pk, 1)  # a live worker has it; its heartbeat is fresh
    scored = []
    monkeypatch.setattr(scoring, "score_chunk", lambda *args: scored.append(args))
    assert runs.chunk_score(run.pk, 1) is False  # a second message for it is dropped
    assert scored == []
    assert runs.chunks_to_send(run.pk, queue_empty=True) == []  # not presumed lost
    assert ScoringChunk.objects.get(run=run, index=1).attempts == 1


def test_a_chunk_that_failed_with_an_error_waits_for_its_retry(market, monkeypatch):
    run = runs.run_start()
    runs.chunks_to_send(run.pk)

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(scoring, "score_chunk", broken)
    with pytest.raises(RuntimeError):
        runs.chunk_score(run.pk, 1)
    chunk = ScoringChunk.objects.get(run=run, index=1)
    assert (chunk.attempts, chunk.started_at, chunk.done_at) == (1, None, None)
    monkeypatch.undo()
    assert runs.chunk_score(run.pk, 1) is True  # the retry takes it


def test_a_finishing_step_whose_worker_died_is_resumed(market):
    expected = clean_run_result()
    run = runs.run_start()
    runs.chunks_to_send(run.pk)
    for index in range(5):
        runs.chunk_score(run.pk, index)
    ScoringRun.objects.filter(pk=run.pk).update(finish_claimed_at=timezone.now())
    assert runs.run_finish(run.pk) is None  # someone else is finishing
    age(ScoringRun, finish_claimed_at=True)
    tasks.resume_scoring_runs()
    run.refresh_from_db()
    assert run.status == "done"
    assert pairs_and_scores() == expected


def test_a_chunk_whose_worker_keeps_dying_fails_the_run_with_a_reason(market, operator_client):
    run = runs.run_start()
    runs.chunks_to_send(run.pk)
    for _attempt in range(runs.MAX_ATTEMPTS):
        start_and_lose(run, 0)
        assert runs.chunks_to_send(run.pk) in ([0], [])
    run.refresh_from_db()
    assert run.status == "failed"
    assert "Chunk 1 of the run was started 3 times" in run.error
    assert run.finished_at is not None
    page = operator_client.get(reverse("operator:scoring_runs")).content.decode()
    assert "Chunk 1 of the run was started 3 times" in page


def test_a_run_with_nothing_to_score_finishes_at_once(settings):
    run = ScoringRun.objects.get(pk=tasks.rescore_all())
    assert (run.status, run.chunks_total) == ("done", 0)


def test_a_run_writes_in_short_transactions_with_the_same_result(market, monkeypatch):
    expected = clean_run_result()
    monkeypatch.setattr(scoring, "WRITE_BATCH", 3)
    largest = []
    upsert = scoring.upsert_matches

    def watched(rows, stamp, **how):
        largest.append(len(rows))
        return upsert(rows, stamp, **how)

    monkeypatch.setattr(scoring, "upsert_matches", watched)
    Match.objects.create(  # an old, untouched row the run must retire
        project=market[0],
        offering=OfferingFactory(status="paused"),
        score=50,
        engine_version="0",
        computed_at=timezone.now() - timedelta(days=1),
    )
    tasks.rescore_all()
    assert max(largest) <= 3 and len(largest) > 4
    assert pairs_and_scores() == expected


def test_the_bulk_and_the_small_write_paths_store_the_same_matches(market, monkeypatch):
    """On PostgreSQL a chunk's matches go through COPY and one project's through UNNEST
    (on SQLite both through executemany): either way the same rows and components."""

    def stored() -> set:
        return set(
            (project, offering, score, tuple(components))
            for project, offering, score, components in Match.objects.values_list(
                "project_id", "offering_id", "score", "components"
            )
        )

    monkeypatch.setattr(scoring, "COPY_FROM_ROWS", 1)
    scoring.full_rescore_inline()
    by_copy = stored()
    Match.objects.all().delete()
    monkeypatch.setattr(scoring, "COPY_FROM_ROWS", 10**9)
    scoring.full_rescore_inline()
    assert stored() == by_copy and len(by_copy) > 10
    scoring.full_rescore_inline()  # the second time, every row is an update
    assert stored() == by_copy


def test_the_offerings_chunk_runs_beside_the_projects_chunks(market):
    """Each offering's best K needs nothing the projects' chunks write: it is a chunk of
    its own, sent first (it takes longest), and the run's result is the same whichever
    order the chunks are scored in."""
    engine = EngineSettings.current()
    engine.top_k = 1  # few enough that offerings rank pairs no project keeps
    engine.save()
    expected = clean_run_result()
    for project_ids in scoring.project_chunks():
        scoring.score_chunk(project_ids, timezone.now())
    projects_best_alone = pairs_and_scores()
    Match.objects.all().delete()
    assert projects_best_alone < expected  # the offerings' chunk adds pairs of its own
    run = runs.run_start()
    kinds = list(ScoringChunk.objects.filter(run=run).values_list("kind", flat=True))
    assert kinds == [ScoringChunk.Kind.OFFERINGS] + [ScoringChunk.Kind.PROJECTS] * 4
    runs.chunks_to_send(run.pk)
    for index in (4, 0, 2, 1, 3):
        assert runs.chunk_score(run.pk, index) is True
    runs.run_finish(run.pk)
    run.refresh_from_db()
    assert run.status == "done"
    assert pairs_and_scores() == expected
    assert run.pairs_scored == 7 * 4  # every pair counted once, by the projects' chunks
