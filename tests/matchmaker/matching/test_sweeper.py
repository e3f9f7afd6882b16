"""The sweepers send again only what is lost, never a copy of a message still waiting;
a running chunk's heartbeat tells a live worker from a dead one."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaker import queues, tasks
from matchmaker.matching import runs, scoring
from matchmaker.matching.scoring import ScoreResult
from matchmaker.models import PendingScoring, ScoringChunk
from projects.models import ProjectStatus
from tests.celery_worker import broker, broker_url_for_tests, wait_for
from tests.factories import OfferingFactory, ProjectFactory


def long_ago() -> timezone.datetime:
    return timezone.now() - timedelta(hours=1)


def submit(project) -> None:
    project.status = ProjectStatus.SUBMITTED
    project.save()
    from projects.signals import project_changed

    project_changed.send(sender=type(project), project=project)


@pytest.mark.django_db(transaction=True)
def test_a_busy_workers_queue_does_not_grow_when_nothing_new_is_submitted(tmp_path):
    """No worker takes the people's queue (all busy): sweeping minute after minute sends
    nothing, because every request's message is still waiting there."""
    OfferingFactory()
    projects = [ProjectFactory(status=ProjectStatus.DRAFT) for _ in range(5)]
    with broker(broker_url_for_tests(tmp_path)):
        for project in projects:
            submit(project)
        assert queues.queue_depths()[queues.PEOPLE] == 5
        for _minute in range(6):
            PendingScoring.objects.update(requested_at=long_ago(), enqueued_at=long_ago())
            assert tasks.sweep_pending() == 0
        assert queues.queue_depths()[queues.PEOPLE] == 5
        # A change to a project whose message waits adds no second message either.
        submit(projects[0])
        assert queues.queue_depths()[queues.PEOPLE] == 5


@pytest.mark.django_db
def test_the_sweeper_sends_what_was_never_sent_or_was_lost_once_started(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: sent.append(args) or True)
    monkeypatch.setattr(queues, "queue_is_empty", lambda name: False)
    rows = {
        "unsent": PendingScoring(kind="project", object_id=1, enqueued_at=None),
        "waiting": PendingScoring(kind="project", object_id=2, enqueued_at=long_ago()),
        "lost": PendingScoring(
            kind="project", object_id=3, enqueued_at=long_ago(), started_at=long_ago()
        ),
        "running": PendingScoring(
            kind="project", object_id=4, enqueued_at=long_ago(), started_at=timezone.now()
        ),
    }
    for row in rows.values():
        row.requested_at = long_ago()
        row.save()
    assert tasks.sweep_pending() == 2
    assert sorted(sent) == [(1,), (3,)]
    assert tasks.sweep_pending() == 2 - 2  # both are now sent and waiting
    # Only once no message waits in the queue is the long-waiting one presumed lost.
    monkeypatch.setattr(queues, "queue_is_empty", lambda name: True)
    PendingScoring.objects.update(enqueued_at=long_ago())
    PendingScoring.objects.filter(object_id=4).update(started_at=timezone.now())
    sent.clear()
    assert tasks.sweep_pending() == 3
    assert sorted(sent) == [(1,), (2,), (3,)]


@pytest.mark.django_db
def test_a_request_the_broker_refused_waits_for_the_sweeper(monkeypatch):
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: False)
    now = timezone.now()
    PendingScoring.objects.create(kind="project", object_id=7, requested_at=now, enqueued_at=now)
    assert tasks.publish_scoring("project", 7) is False
    assert PendingScoring.objects.get(object_id=7).enqueued_at is None


@pytest.mark.django_db(transaction=True)
def test_a_running_chunk_beats_until_it_is_done(settings, monkeypatch):
    """The heartbeat thread stamps the chunk while it scores: the scoring below waits for
    two stamps (events, not a clock)."""
    settings.SCORING_CHUNK_SIZE = 2
    settings.SCORING_HEARTBEAT_SECONDS = 0.01
    ProjectFactory()
    OfferingFactory()
    run = runs.run_start()
    runs.chunks_to_send(run.pk)
    seen = []

    def scoring_that_waits_for_heartbeats(project_ids, stamp):
        chunk = ScoringChunk.objects.get(run=run, index=1)

        def beaten_twice() -> bool:
            beat = ScoringChunk.objects.get(pk=chunk.pk).heartbeat_at
            if beat not in seen:
                seen.append(beat)
            return len(seen) >= 3

        assert wait_for(beaten_twice)
        return ScoreResult(0, 0)

    monkeypatch.setattr(scoring, "score_chunk", scoring_that_waits_for_heartbeats)
    assert runs.chunk_score(run.pk, 1) is True
    assert seen == sorted(seen)
    assert not [t for t in threading.enumerate() if t.name.startswith("heartbeat-")]
