"""What learning reads and where it speaks: only the decisions of the offering that made
them, the match explanation only while learning is on, and a suggestion answered twice
told plainly that it is no longer open."""

import pytest
from django.utils import translation

from matchmaker.matching import scoring
from matchmaker.models import LearnedWeights, Match, MatchStatus
from matchmaker.review import learning, suggestions
from matchmaker.review import services as review
from matchmaker.vocabulary import StateConflict
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_offerings():
    member = InstitutionMemberFactory()
    offering = OfferingFactory(institution=member.institution, trl_min=2, trl_max=9)
    other = OfferingFactory(institution=member.institution, trl_min=2, trl_max=9)
    return member, offering, other


def test_only_the_offerings_own_decisions_are_learned_from(two_offerings):
    member, offering, other = two_offerings
    for trl in (3, 8, 5):
        project = ProjectFactory(trl=trl)
        scoring.score_project(project.pk)
    first, second, undecided = Match.objects.filter(offering=offering).order_by("project__trl")
    review.match_decline(match=first, by=member.user, reason="stage_too_early")
    review.match_move(match=undecided, to_status=MatchStatus.SHORTLISTED, by=member.user)
    assert second.status == MatchStatus.NEW  # not decided: not learned from
    assert Match.objects.filter(offering=other).count() == 3  # none decided

    values, decisions = learning.decided_pairs(offering)
    assert sorted(decisions.tolist()) == [0, 1]
    assert values.shape[0] == 2
    values, decisions = learning.decided_pairs(other)
    assert values.shape[0] == len(decisions) == 0


def test_the_match_explanation_names_the_learning_only_while_it_is_on(two_offerings):
    _member, offering, _other = two_offerings
    assert learning.active_note(offering) == ""
    learned = LearnedWeights.objects.create(
        offering=offering, multipliers={}, decisions=12, preferred_trl=None
    )
    offering = type(offering).objects.get(pk=offering.pk)
    with translation.override("en"):
        assert learning.active_note(offering) == (
            "Your decisions so far match the offering's weights."
        )
    learned.active = False
    learned.save()
    offering = type(offering).objects.get(pk=offering.pk)
    assert learning.active_note(offering) == ""


def test_answering_a_suggestion_that_is_not_open_says_so(two_offerings):
    member, offering, _other = two_offerings
    with translation.override("en"), pytest.raises(StateConflict) as refused:
        suggestions.suggestion_dismiss(
            offerings=member.institution.offerings.all(),
            offering_id=offering.pk,
            kind="require_trl",
            value=7,
            by=member.user,
        )
    assert refused.value.messages == ["This suggestion is no longer open."]
