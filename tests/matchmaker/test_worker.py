"""Scoring through a real Celery worker and broker, not eager mode.

The broker is the embedded SQLite-file transport, or Redis when CELERY_BROKER_URL says so
(CI runs both). The worker consumes in a thread of this process, sharing the test database.
"""

import os
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone

from matchmaker import tasks
from matchmaker.celery import app
from matchmaker.models import Match, PendingScoring
from projects.models import ProjectStatus
from tests.conftest import logged_in_client
from tests.factories import FirmMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@contextmanager
def broker(url: str):
    """Point the Celery app at another broker, publishing for real (not eagerly)."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.update(broker_url=url, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.update(broker_url=saved[0], task_always_eager=saved[1])
        app._pool = None
        app.amqp._producer_pool = None


@pytest.fixture
def working_broker_url(tmp_path):
    if os.environ.get("MATCHMAKER_REQUIRE_SERVICES"):
        url = os.environ["CELERY_BROKER_URL"]
        assert url.startswith("redis://"), "CI must run the worker tests on Redis"
        return url
    return f"sqlite-poll+sqlite:///{tmp_path / 'broker.sqlite3'}"


@contextmanager
def real_worker(url: str):
    with broker(url), start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


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
