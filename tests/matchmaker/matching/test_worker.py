"""Scoring through a real Celery worker and broker, not eager mode (CI runs both the
embedded SQLite-file broker and Redis)."""

import threading
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_results.models import TaskResult

from matchmaker import tasks
from matchmaker.celery import app
from matchmaker.matching import scoring
from matchmaker.models import Match, PendingScoring, ScoringChunk, ScoringRun
from projects.models import ProjectStatus
from tests.celery_worker import (
    broker,
    broker_url_for_tests,
    kill,
    real_worker,
    wait_for,
    worker_process,
)
from tests.conftest import logged_in_client
from tests.factories import PASSWORD, FirmMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def working_broker_url(tmp_path):
    return broker_url_for_tests(tmp_path)


def submit_through_the_web(project):
    member = FirmMemberFactory(firm=project.firm)
    response = logged_in_client(member.user).post(
        reverse("projects:submit", args=[project.pk]), follow=True
    )
    assert response.status_code == 200
    return response


def test_a_submitted_project_is_scored_by_a_real_worker(working_broker_url):
    offering = OfferingFactory()
    project = ProjectFactory(status=ProjectStatus.DRAFT)
    with real_worker(working_broker_url):
        submit_through_the_web(project)
        assert wait_for(lambda: Match.objects.filter(project=project, offering=offering).exists())
        assert wait_for(lambda: not PendingScoring.objects.exists())


def test_a_submission_is_scored_ahead_of_a_rescores_backlog(working_broker_url):
    """A full re-score leaves dozens of package batches queued; people's requests go on a
    queue of their own that workers take first (Redis) or in turn (the embedded broker)."""
    project = ProjectFactory(status=ProjectStatus.SUBMITTED)
    OfferingFactory()
    backlog = 6
    with broker(working_broker_url):
        for _batch in range(backlog):
            assert tasks.enqueue(tasks.build_packages_for, [project.pk])
        assert tasks.enqueue(tasks.score_project, project.pk)
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            assert wait_for(lambda: TaskResult.objects.count() >= backlog + 1)
    order = list(TaskResult.objects.order_by("date_done").values_list("task_name", flat=True))
    assert order.index("matchmaker.tasks.score_project") <= 2, order


def test_nothing_is_lost_when_the_broker_is_down_at_submit(working_broker_url):
    offering = OfferingFactory()
    project = ProjectFactory(status=ProjectStatus.DRAFT)
    with broker(UNREACHABLE_BROKER):
        response = submit_through_the_web(project)
    assert "scoring your project" in response.content.decode()
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED
    assert PendingScoring.objects.filter(kind="project", object_id=project.pk).exists()
    assert not Match.objects.exists()

    PendingScoring.objects.update(requested_at=timezone.now() - timedelta(minutes=5))
    with real_worker(working_broker_url):
        assert tasks.sweep_pending() == 1
        assert wait_for(lambda: Match.objects.filter(project=project, offering=offering).exists())
    assert not PendingScoring.objects.exists()


def test_a_full_rescore_completes_after_its_worker_is_killed(
    working_broker_url, settings, tmp_path
):
    """SIGKILL a real worker mid-run: a new worker and the sweeper finish the run, with
    the same matches as a clean run and none twice."""
    settings.SCORING_CHUNK_SIZE = 4
    for index in range(240):
        ProjectFactory(trl=4 + index % 5, needs={"equity": (1 + index % 7) * 10_000_000})
    for index in range(30):
        OfferingFactory(ticket_max=(1 + index % 6) * 50_000_000)
    scoring.full_rescore_inline()
    expected = set(Match.objects.values_list("project_id", "offering_id", "score"))
    Match.objects.all().delete()

    with broker(working_broker_url):
        run_id = tasks.rescore_all()
        run = ScoringRun.objects.filter(pk=run_id)
        first = worker_process(working_broker_url, tmp_path)
        try:
            assert wait_for(lambda: run.get().chunks_done >= 2, seconds=120, every=0.005)
        finally:
            kill(first)
        at_kill = run.get()
        assert at_kill.status == ScoringRun.Status.RUNNING
        assert at_kill.chunks_done < at_kill.chunks_total == 61  # and the offerings' chunk

        # Later, past SCORING_STALE_AFTER_SECONDS, the sweeper presumes unfinished chunks lost.
        ScoringChunk.objects.filter(done_at__isnull=True).update(
            enqueued_at=timezone.now() - timedelta(hours=1)
        )
        second = worker_process(working_broker_url, tmp_path)
        try:
            tasks.resume_scoring_runs()
            assert wait_for(lambda: run.get().status == ScoringRun.Status.DONE, seconds=120)
        finally:
            kill(second)

    finished = run.get()
    assert finished.chunks_done == finished.chunks_total == 61
    assert set(Match.objects.values_list("project_id", "offering_id", "score")) == expected
    assert Match.objects.count() == len(expected)


def packages_built() -> int:
    return TaskResult.objects.filter(
        task_name="matchmaker.tasks.build_packages_for", status="SUCCESS"
    ).count()


def test_web_requests_never_meet_a_locked_database_during_a_rescore(
    working_broker_url, settings, tmp_path
):
    """Log-ins (which write sessions) and page views from four threads, while a worker
    process writes a full re-score and rebuilds packages: every request answers, none
    with an error."""
    settings.SCORING_CHUNK_SIZE = 10
    members = [FirmMemberFactory() for _ in range(4)]
    for index in range(160):
        ProjectFactory(firm=members[index % 4].firm, trl=4 + index % 5)
    for index in range(60):
        OfferingFactory(ticket_max=(1 + index % 6) * 50_000_000)
    answers: list[int] = []
    logins: list[bool] = []
    during_run: list[int] = []
    stop = threading.Event()

    def browse(member) -> None:
        try:
            while not stop.is_set():
                client = Client()
                # recorded, not asserted: an assertion inside a thread fails nothing
                logins.append(client.login(username=member.user.username, password=PASSWORD))
                for url in (reverse("projects:list"), reverse("notifications:list")):
                    answers.append(client.get(url).status_code)
                    if ScoringRun.objects.filter(status=ScoringRun.Status.RUNNING).exists():
                        during_run.append(1)
                stop.wait(0.02)  # people click, they do not loop
        finally:
            connection.close()

    with broker(working_broker_url):
        worker = worker_process(working_broker_url, tmp_path)
        browsers = [threading.Thread(target=browse, args=(m,)) for m in members]
        try:
            for thread in browsers:
                thread.start()
            run_id = tasks.rescore_all()
            assert wait_for(
                lambda: ScoringRun.objects.get(pk=run_id).status == ScoringRun.Status.DONE,
                seconds=180,
            )
            # Then the worker rebuilds every project's packages (one task of 160 projects).
            assert wait_for(lambda: packages_built() == 1, seconds=180)
        finally:
            stop.set()
            for thread in browsers:
                thread.join(timeout=60)
            kill(worker)  # its packages are not this test's business
    assert len(during_run) >= 8, "the pages must be read while the run writes"
    assert logins and all(logins)
    assert set(answers) == {200}
