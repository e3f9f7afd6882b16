"""A suggestion reads each decided project through the offering's instrument: the ticket
floor follows what the project seeks of that instrument (not of another it also seeks),
and a decided project that has since stopped seeking it still counts for the TRL, but
alone never suggests a ticket floor."""

import pytest
from django.urls import reverse

from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus
from matchmaker.review import services as review
from matchmaker.review.suggestions import suggestions_for
from matchmaker.vocabulary import Instrument
from projects import services as project_services
from tests.conftest import logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory
from tests.matchmaker.review.test_suggestions import decide, fund  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _decided(member, offering, needs, *, shortlist=False, reason="ticket_too_small"):
    project = ProjectFactory(needs=needs)
    scoring.score_project(project.pk)
    match = Match.objects.get(project=project, offering=offering)
    if shortlist:
        review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
    else:
        review.match_decline(match=match, by=member.user, reason=reason)
    return project


def _stop_seeking(project, instrument):
    """The firm edits its project to no longer seek ``instrument``; the re-score keeps
    the decided match (flagged ineligible), as it keeps every match someone acted on."""
    project_services.project_update(project=project, by=None, needs={instrument: None})
    scoring.score_project(project.pk)


def test_the_ticket_floor_follows_the_need_of_the_offerings_instrument():
    """Every project seeks RMB 300 M of equity besides its credit: a credit line that
    declined credit of 8–12 M as too small and shortlisted 50 M is offered a 50 M floor,
    and accepting it raises the line's smallest ticket."""
    member = InstitutionMemberFactory()
    line = OfferingFactory(
        institution=member.institution,
        name="Term loan",
        instrument=Instrument.CREDIT,
        ticket_min=5_000_000,
        ticket_max=200_000_000,
    )
    for credit in (8_000_000, 9_000_000, 10_000_000, 11_000_000, 12_000_000):
        _decided(member, line, {Instrument.CREDIT: credit, Instrument.EQUITY: 300_000_000})
    _decided(
        member,
        line,
        {Instrument.CREDIT: 50_000_000, Instrument.EQUITY: 300_000_000},
        shortlist=True,
    )
    (suggestion,) = suggestions_for(member.institution.offerings.all())
    assert suggestion.text == (
        "You declined 5 of 5 projects seeking less than RMB 50,000,000 as a ticket too "
        "small: raise the smallest ticket of “Term loan” to RMB 50,000,000?"
    )
    logged_in_client(member.user).post(
        reverse("institution:suggestion_accept"),
        {"offering": line.pk, "kind": "raise_ticket_min", "value": 50_000_000},
    )
    line.refresh_from_db()
    assert line.ticket_min == 50_000_000
    assert suggestions_for(member.institution.offerings.all()) == []


def test_a_declined_project_that_stopped_seeking_the_instrument_still_counts_for_the_trl(
    fund,  # noqa: F811
):
    member, offering = fund
    decide(member, offering, [4, 5, 5, 6, 6], [7])
    early = Match.objects.filter(offering=offering, status=MatchStatus.DECLINED).first()
    _stop_seeking(early.project, Instrument.EQUITY)  # it now seeks credit alone
    early.refresh_from_db()
    assert (early.status, early.eligible) == (MatchStatus.DECLINED, False)
    (suggestion,) = suggestions_for(member.institution.offerings.all())
    assert (suggestion.change, suggestion.agreeing, suggestion.decided) == ({"trl_min": 7}, 5, 5)


def test_projects_that_stopped_seeking_the_instrument_alone_suggest_no_ticket_floor():
    """An offering open to any ticket (RMB 1 at least) declined five projects as seeking
    too little, and each then stopped seeking its instrument: nothing is known of what
    they seek of it, so no floor is suggested (not even "raise it to RMB 2")."""
    member = InstitutionMemberFactory()
    offering = OfferingFactory(institution=member.institution, ticket_min=1, trl_min=3)
    for _n in range(5):
        project = _decided(
            member, offering, {Instrument.EQUITY: 3_000_000, Instrument.CREDIT: 20_000_000}
        )
        _stop_seeking(project, Instrument.EQUITY)
    assert offering.matches.filter(status=MatchStatus.DECLINED).count() == 5
    assert suggestions_for(member.institution.offerings.all()) == []
