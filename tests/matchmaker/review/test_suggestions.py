"""Suggestions from an institution's own decisions: shown only with enough evidence,
accepting one edits the offering and re-scores it, dismissing is remembered, and one
institution's decisions never suggest anything to another."""

import pytest
from django.urls import reverse

from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus, SuggestionAnswer
from matchmaker.review import services as review
from matchmaker.review.suggestions import suggestions_for
from tests.conftest import logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def decide(member, offering, trls_declined_early, trls_shortlisted):
    for trl in trls_declined_early + trls_shortlisted:
        project = ProjectFactory(trl=trl)
        scoring.score_project(project.pk)
        match = Match.objects.get(project=project, offering=offering)
        if trl in trls_shortlisted:
            review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
        else:
            review.match_decline(match=match, by=member.user, reason="stage_too_early")


@pytest.fixture
def fund():
    member = InstitutionMemberFactory()
    offering = OfferingFactory(institution=member.institution, name="Seed equity", trl_min=3)
    return member, offering


def test_four_declines_are_not_enough_evidence_five_are(fund):
    member, offering = fund
    decide(member, offering, [4, 5, 5, 6], [7])
    assert suggestions_for(member.institution.offerings.all()) == []
    decide(member, offering, [6], [])
    (suggestion,) = suggestions_for(member.institution.offerings.all())
    assert suggestion.text == (
        "You declined 5 of 5 projects below TRL 7 as too early: require TRL 7 on “Seed equity”?"
    )


def test_accepting_edits_the_offering_and_rescores_it(fund, django_capture_on_commit_callbacks):
    member, offering = fund
    decide(member, offering, [4, 5, 5, 6, 6], [7, 8])
    early = ProjectFactory(trl=5, title="Too early for them")
    scoring.score_project(early.pk)
    assert Match.objects.filter(project=early, offering=offering).exists()
    client = logged_in_client(member.user)
    page = client.get(reverse("institution:pipeline")).content.decode()
    assert "require TRL 7 on “Seed equity”?" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("institution:suggestion_accept"),
            {"offering": offering.pk, "kind": "require_trl", "value": 7},
        )
    offering.refresh_from_db()
    assert offering.trl_min == 7
    assert not Match.objects.filter(project=early, offering=offering).exists()  # re-scored
    assert "require TRL 7" not in client.get(reverse("institution:pipeline")).content.decode()


def test_a_dismissed_suggestion_does_not_come_back(fund):
    member, offering = fund
    decide(member, offering, [4, 5, 5, 6, 6], [7])
    client = logged_in_client(member.user)
    client.post(
        reverse("institution:suggestion_dismiss"),
        {"offering": offering.pk, "kind": "require_trl", "value": 7},
    )
    assert SuggestionAnswer.objects.get().state == SuggestionAnswer.State.DISMISSED
    assert suggestions_for(member.institution.offerings.all()) == []
    offering.refresh_from_db()
    assert offering.trl_min == 3


def test_mixed_reasons_below_the_threshold_suggest_nothing(fund):
    member, offering = fund
    decide(member, offering, [4, 5], [7])
    for trl in (5, 6, 6):
        project = ProjectFactory(trl=trl)
        scoring.score_project(project.pk)
        match = Match.objects.get(project=project, offering=offering)
        review.match_decline(match=match, by=member.user, reason="risk_too_high")
    assert suggestions_for(member.institution.offerings.all()) == []


def test_another_institution_learns_nothing_and_cannot_answer(fund):
    member, offering = fund
    decide(member, offering, [4, 5, 5, 6, 6], [7])
    other = InstitutionMemberFactory()
    OfferingFactory(institution=other.institution, trl_min=3)
    assert suggestions_for(other.institution.offerings.all()) == []
    response = logged_in_client(other.user).post(
        reverse("institution:suggestion_accept"),
        {"offering": offering.pk, "kind": "require_trl", "value": 7},
    )
    assert response.status_code == 404
    offering.refresh_from_db()
    assert offering.trl_min == 3


def test_offerings_without_decisions_are_not_read(fund):
    """The match list page asks on every reading: with no decisions it costs one query,
    not every offering's whole row; with some, only the deciding offering is read, and the
    suggestions come in the offerings' order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member, offering = fund
    later = OfferingFactory(institution=member.institution, name="Late equity", trl_min=3)
    OfferingFactory(institution=member.institution, name="Idle credit")
    scoring.score_project(ProjectFactory(trl=8).pk)
    with CaptureQueriesContext(connection) as counted:
        assert suggestions_for(member.institution.offerings.all()) == []
    assert len(counted.captured_queries) == 1
    decide(member, later, [4, 5, 5, 6, 6], [7])
    decide(member, offering, [4, 5, 5, 6, 6], [7])
    found = suggestions_for(member.institution.offerings.order_by("name"))
    assert [s.offering.name for s in found] == ["Late equity", "Seed equity"]
    found = suggestions_for(member.institution.offerings.order_by("-name"))
    assert [s.offering.name for s in found] == ["Seed equity", "Late equity"]


def test_another_institutions_decisions_are_not_read(fund):
    """An institution that has decided nothing costs one query, however much another
    institution has decided: no other institution's decisions are read for it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member, offering = fund
    decide(member, offering, [4, 5, 5, 6, 6], [7])
    idle = InstitutionMemberFactory()
    OfferingFactory(institution=idle.institution, trl_min=3)
    with CaptureQueriesContext(connection) as counted:
        assert suggestions_for(idle.institution.offerings.all()) == []
    assert len(counted.captured_queries) == 1


def test_offerings_without_decisions_are_read_for_their_order_alone(fund):
    """With a suggestion to show, the institution's offerings are listed for their order
    by their ids alone, not whole rows (JSON columns and all): only the deciding offering
    is read, with its decisions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member, offering = fund
    OfferingFactory(institution=member.institution, name="Idle credit")
    decide(member, offering, [4, 5, 5, 6, 6], [7])
    with CaptureQueriesContext(connection) as counted:
        (suggestion,) = suggestions_for(member.institution.offerings.order_by("name"))
    assert suggestion.offering == offering
    listed = [
        select
        for select, _from, rest in (q["sql"].partition(" FROM ") for q in counted.captured_queries)
        if rest.startswith('"investors_offering"')
    ]
    (select,) = listed
    assert select.startswith('SELECT "investors_offering"."id"') and "," not in select
