"""A project says where it stands, in words, and consequential moves are confirmed and can
be taken back: withdraw (put back up at any time), mark as funded (undo within a day)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaker.models import Notification, NotificationKind
from projects import services
from projects.models import Project, ProjectStatus
from tests.factories import FirmFactory, FirmMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def page_of(client, project) -> str:
    return client.get(reverse("projects:detail", args=[project.pk])).content.decode()


def test_withdraw_and_mark_as_funded_ask_for_confirmation_first(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm)
    page = page_of(firm_client, project)
    assert '<details class="confirm"><summary class="button danger">Withdraw…</summary>' in page
    assert "You can put it back up for matching at any time." in page
    assert "Mark as funded…</summary>" in page
    assert "You can undo this within a day." in page


def test_a_withdrawn_project_can_be_put_back_up_for_matching(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm)
    firm_client.post(reverse("projects:withdraw", args=[project.pk]))
    page = page_of(firm_client, project)
    assert "Withdrawn: institutions no longer see it." in page
    assert "Put back up for matching" in page
    assert "your firm is verified" not in page
    firm_client.post(reverse("projects:reopen", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED


def test_marking_as_funded_can_be_undone_within_a_day_and_not_after(firm_client, firm_member):
    project = ProjectFactory(firm=firm_member.firm)
    firm_client.post(reverse("projects:funded", args=[project.pk]))
    assert "Undo: not funded after all" in page_of(firm_client, project)
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now() - timedelta(days=2))
    page = page_of(firm_client, project)
    assert "Undo: not funded after all" not in page
    firm_client.post(reverse("projects:reopen", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == ProjectStatus.FUNDED
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
    firm_client.post(reverse("projects:reopen", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED


def test_an_unverified_firm_is_told_nothing_is_matched_until_verification(client):
    member = FirmMemberFactory(firm=FirmFactory(verified=False, verified_at=None))
    client.force_login(member.user)
    project = ProjectFactory(firm=member.firm, status=ProjectStatus.DRAFT, submitted_at=None)
    response = client.post(reverse("projects:submit", args=[project.pk]), follow=True)
    page = response.content.decode()
    assert "Nothing is matched until the programme office verifies your firm" in page
    assert "matches appear shortly" not in page
    fragment = client.get(reverse("firm:project_matches", args=[project.pk])).content.decode()
    assert "No offering fits yet" not in fragment
    assert "Nothing is matched until the programme office verifies your firm." in fragment
    listing = client.get(reverse("projects:list")).content.decode()
    assert "Awaiting verification" in listing


def test_the_firm_is_notified_when_it_is_verified(client):
    member = FirmMemberFactory(firm=FirmFactory(verified=False, verified_at=None))
    services.firms_verify(firms=type(member.firm).objects.filter(pk=member.firm.pk))
    notification = Notification.objects.get(user=member.user)
    assert notification.kind == NotificationKind.VERIFIED
    assert "is verified" in notification.text


def test_the_project_list_counts_each_projects_matches(firm_client, firm_member):
    from matchmaker.matching import scoring

    project = ProjectFactory(firm=firm_member.firm, title="Counted project")
    OfferingFactory.create_batch(3)
    scoring.score_project(project.pk)
    listing = firm_client.get(reverse("projects:list")).content.decode()
    assert '<td class="num" data-label="Matches">3</td>' in listing
