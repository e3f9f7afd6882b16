"""Decisions about flight heritage teach the engine: a suggestion to prefer it, shown only
with enough evidence and applied in one click; and the sweet spot the shortlists centre
on, used only while learning is on and only for the offering that decided."""

import pytest
from django.urls import reverse

from matchmaker.matching import encoding, scoring
from matchmaker.models import LearnedWeights, Match, MatchStatus
from matchmaker.review import learning
from matchmaker.review import services as review
from matchmaker.review.suggestions import suggestions_for
from tests.conftest import logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db

FLOWN = {"flight_record": "flight_proven", "successful_flights": 4, "trl": 9}


@pytest.fixture
def fund():
    member = InstitutionMemberFactory()
    offering = OfferingFactory(
        institution=member.institution, name="Growth equity", trl_min=3, trl_max=9
    )
    return member, offering


def decide(member, offering, unflown_declined: int, flown_shortlisted: int, reason="risk_too_high"):
    for n in range(unflown_declined + flown_shortlisted):
        flown = n >= unflown_declined
        project = ProjectFactory(**(FLOWN if flown else {"trl": 7}))
        scoring.score_project(project.pk)
        match = Match.objects.get(project=project, offering=offering)
        if flown:
            review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
        else:
            review.match_decline(match=match, by=member.user, reason=reason)


def test_flight_heritage_is_suggested_only_with_enough_evidence(fund):
    member, offering = fund
    decide(member, offering, unflown_declined=4, flown_shortlisted=3)
    assert suggestions_for(member.institution.offerings.all()) == []
    decide(member, offering, unflown_declined=1, flown_shortlisted=0, reason="stage_too_early")
    (suggestion,) = suggestions_for(member.institution.offerings.all())
    assert suggestion.text == (
        "You shortlisted 3 projects with flight heritage and declined 5 of 5 without it: "
        "prefer flight heritage, so that “Growth equity” asks for “First flight done” at least?"
    )


def test_declines_for_other_reasons_suggest_nothing(fund):
    member, offering = fund
    decide(member, offering, unflown_declined=6, flown_shortlisted=2, reason="outside_thesis")
    assert suggestions_for(member.institution.offerings.all()) == []


def test_accepting_it_requires_a_flight_record_and_rescores(
    fund, django_capture_on_commit_callbacks
):
    member, offering = fund
    decide(member, offering, unflown_declined=5, flown_shortlisted=2)
    unflown = ProjectFactory(trl=7)
    scoring.score_project(unflown.pk)
    assert Match.objects.filter(project=unflown, offering=offering).exists()
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_client(member.user).post(
            reverse("institution:suggestion_accept"),
            {"offering": offering.pk, "kind": "require_flight_record", "value": 2},
        )
    offering.refresh_from_db()
    assert offering.min_flight_record == "first_flight"
    assert not Match.objects.filter(project=unflown, offering=offering).exists()


def test_the_sweet_spot_follows_the_shortlists_while_learning_is_on(fund):
    member, offering = fund
    bystander = OfferingFactory(name="Someone else's", trl_min=3, trl_max=9)
    decide(member, offering, unflown_declined=8, flown_shortlisted=3)
    learned = learning.learn(offering)
    assert (learned.preferred_trl, learned.preferred_stage) == (9, "qualification")
    offering = type(offering).objects.select_related("learned_weights").get(pk=offering.pk)
    assert encoding.sweet_spots(offering)[1] == 9
    assert encoding.sweet_spots(bystander)[1] == 0  # none learned: the engine's default
    assert "Your shortlists centre on TRL 9" in learning.describe(learned)
    learning.learned_weights_set_active(learned=learned, active=False, by=None)
    offering = type(offering).objects.select_related("learned_weights").get(pk=offering.pk)
    assert encoding.sweet_spots(offering)[1] == 0


def test_too_early_declines_alone_move_the_sweet_spot_past_them(fund):
    member, offering = fund
    for trl in (4, 5, 5, 6, 6, 6, 5, 4, 6, 5):
        project = ProjectFactory(trl=trl)
        scoring.score_project(project.pk)
        match = Match.objects.get(project=project, offering=offering)
        review.match_decline(match=match, by=member.user, reason="stage_too_early")
    learned = learning.learn(offering)
    assert learned.preferred_trl == 7
    assert LearnedWeights.objects.get(offering=offering).multipliers == {}


def test_the_offerings_own_sweet_spot_wins_over_what_was_learned(fund):
    member, offering = fund
    offering.preferred_trl = 6
    offering.save()
    decide(member, offering, unflown_declined=8, flown_shortlisted=3)
    learning.learn(offering)
    offering = type(offering).objects.select_related("learned_weights").get(pk=offering.pk)
    assert encoding.sweet_spots(offering)[1] == 6


def test_unflown_projects_declined_alone_suggest_flight_heritage(fund):
    """No shortlist yet, and the TRL says nothing (every project at TRL 7, declined as
    too risky): consistent declines alone suggest asking for a first flight."""
    member, offering = fund
    decide(member, offering, unflown_declined=5, flown_shortlisted=0)
    (suggestion,) = suggestions_for(member.institution.offerings.all())
    assert suggestion.text == (
        "You declined 5 of 5 projects without flight heritage: "
        "ask for “First flight done” at least on “Growth equity”?"
    )
    assert suggestion.change == {"min_flight_record": "first_flight"}
