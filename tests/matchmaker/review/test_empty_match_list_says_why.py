"""An empty match list says why: an unverified institution, no active offering, the
filters, or simply nothing yet."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from investors import services as offering_services
from investors.models import OfferingStatus
from matchmaker.matching import scoring
from tests.conftest import logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _page(member, query: str = "") -> str:
    url = reverse("institution:match_list") + query
    return logged_in_client(member.user).get(url).content.decode()


def test_an_unverified_institution_is_told_it_awaits_verification():
    member = InstitutionMemberFactory(institution__verified=False, institution__verified_at=None)
    OfferingFactory(institution=member.institution)
    page = _page(member)
    assert "because your institution is not verified" in page
    assert "No matches with these filters." not in page


def test_a_verified_institution_without_an_active_offering_is_told_so():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution, status=OfferingStatus.PAUSED)
    page = _page(member)
    assert "because none of your offerings is active" in page
    assert "No matches with these filters." not in page


def test_filters_that_find_nothing_say_so_and_no_filters_say_nothing_yet():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution)
    assert "No matches with these filters." in _page(member, "?min_score=99")
    assert "No matches yet: projects that fit your active offerings" in _page(member)


def test_the_reason_changes_once_the_institution_is_verified():
    member = InstitutionMemberFactory(institution__verified=False, institution__verified_at=None)
    OfferingFactory(institution=member.institution)
    assert "not verified" in _page(member)
    member.institution.verified = True
    member.institution.save(update_fields=["verified"])
    assert "not verified" not in _page(member)


def test_pausing_the_last_active_offering_changes_the_reason_at_once():
    """The cached list is kept under the institution's data fingerprint and verification,
    not under the reason: an offering paused changes the fingerprint."""
    member = InstitutionMemberFactory()
    offering = OfferingFactory(institution=member.institution)
    assert "No matches yet: projects that fit your active offerings" in _page(member)
    offering_services.offering_move(offering=offering, by=member.user, status=OfferingStatus.PAUSED)
    assert "because none of your offerings is active" in _page(member)


def test_a_list_with_matches_does_not_ask_why_it_would_be_empty():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution)
    scoring.score_project(ProjectFactory(title="Ka-band terminal line").pk)
    client = logged_in_client(member.user)
    with CaptureQueriesContext(connection) as read:
        page = client.get(reverse("institution:match_list")).content.decode()
    assert "Ka-band terminal line" in page
    asked = [q["sql"] for q in read.captured_queries if q["sql"].startswith('SELECT 1 AS "a"')]
    assert not any('"investors_offering"."status"' in sql for sql in asked)
