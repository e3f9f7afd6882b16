"""Scoring through a real Celery worker and broker, not eager mode (CI runs both the
embedded SQLite-file broker and Redis)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaker import tasks
from matchmaker.models import Match, PendingScoring
from projects.models import ProjectStatus
from tests.celery_worker import broker, broker_url_for_tests, real_worker, wait_for
from tests.conftest import logged_in_client
from tests.factories import FirmMemberFactory, OfferingFactory, ProjectFactory

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
