"""The review status of a match moves only along allowed paths, once, with history."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from matchmaker.models import IntroductionState, MatchEvent, MatchStatus
from matchmaker.review import services as review
from matchmaker.review.introductions import introduction_answer, introduction_request
from projects import services as project_services
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return matched_pair()


def test_shortlist_then_request_an_introduction(pair):
    review.match_move(match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user)
    introduction = introduction_request(
        match=pair.match, by=pair.institution_user, message="Let us talk."
    )
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.INTRO_REQUESTED
    assert introduction.state == IntroductionState.REQUESTED
    assert list(pair.match.events.values_list("to_status", flat=True)) == [
        "intro_requested",
        "shortlisted",
    ]


@pytest.mark.parametrize(
    "target", [MatchStatus.IN_TALKS, MatchStatus.TERM_SHEET, MatchStatus.CLOSED_WON]
)
def test_no_jumping_ahead_of_the_introduction(pair, target):
    with pytest.raises(review.IllegalMove):
        review.match_move(match=pair.match, to_status=target, by=pair.institution_user)
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.NEW
    assert not MatchEvent.objects.exists()


def test_decline_needs_a_known_reason_and_words_for_other(pair):
    with pytest.raises(ValidationError):
        review.match_decline(match=pair.match, by=pair.institution_user, reason="no_reason")
    with pytest.raises(ValidationError):
        review.match_decline(match=pair.match, by=pair.institution_user, reason="other", note="  ")
    review.match_decline(match=pair.match, by=pair.institution_user, reason="risk_too_high")
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.DECLINED
    assert pair.match.events.get().reason == "risk_too_high"


def test_a_stale_page_cannot_override_a_newer_decision(pair):
    stale = type(pair.match).objects.get(pk=pair.match.pk)
    review.match_decline(match=pair.match, by=pair.institution_user, reason="outside_thesis")
    with pytest.raises(review.IllegalMove):
        review.match_move(match=stale, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user)
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.DECLINED


def test_undo_restores_the_previous_status_the_same_day(pair):
    review.match_decline(match=pair.match, by=pair.institution_user, reason="ticket_too_small")
    review.match_undo(match=pair.match, by=pair.institution_user)
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.NEW
    assert pair.match.events.get().undone


def test_undo_is_refused_the_next_day(pair):
    review.match_move(match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user)
    MatchEvent.objects.update(at=MatchEvent.objects.get().at - timedelta(days=1))
    with pytest.raises(review.IllegalMove):
        review.match_undo(match=pair.match, by=pair.institution_user)


def test_an_answered_introduction_cannot_be_undone(pair):
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    introduction_answer(introduction=introduction, by=pair.firm_user, accept=True)
    with pytest.raises(review.IllegalMove):
        review.match_undo(match=pair.match, by=pair.institution_user)


def test_accept_opens_talks_and_refuse_closes_the_match(pair):
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    introduction_answer(introduction=introduction, by=pair.firm_user, accept=True)
    pair.match.refresh_from_db()
    introduction.refresh_from_db()
    assert (pair.match.status, introduction.state, introduction.answered_by) == (
        MatchStatus.IN_TALKS,
        IntroductionState.ACCEPTED,
        pair.firm_user,
    )
    other = matched_pair()
    refused = introduction_request(match=other.match, by=other.institution_user, message="Hello")
    introduction_answer(introduction=refused, by=other.firm_user, accept=False)
    other.match.refresh_from_db()
    assert other.match.status == MatchStatus.CLOSED_LOST


def test_an_introduction_is_answered_once(pair):
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    introduction_answer(introduction=introduction, by=pair.firm_user, accept=True)
    with pytest.raises(review.IllegalMove):
        introduction_answer(introduction=introduction, by=pair.firm_user, accept=False)


def test_pipeline_after_talks_runs_to_a_close(pair):
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    introduction_answer(introduction=introduction, by=pair.firm_user, accept=True)
    review.match_move(match=pair.match, to_status=MatchStatus.TERM_SHEET, by=pair.institution_user)
    review.match_move(match=pair.match, to_status=MatchStatus.CLOSED_WON, by=pair.institution_user)
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.CLOSED_WON
    with pytest.raises(review.IllegalMove):
        review.match_move(
            match=pair.match, to_status=MatchStatus.CLOSED_LOST, by=pair.institution_user
        )


def test_no_introduction_for_a_withdrawn_project(pair):
    project_services.project_withdraw(project=pair.match.project, by=None)
    with pytest.raises(review.IllegalMove):
        introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
