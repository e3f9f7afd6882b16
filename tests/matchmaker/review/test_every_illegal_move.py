"""Every move the state machine does not allow is refused from every state, not only from
the first one, and leaves the match and its history as they were."""

import pytest

from matchmaker.models import Match, MatchEvent, MatchStatus
from matchmaker.review import services as review
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db

S = MatchStatus
# Moves that go through their own service (a reason, a message), never through a bare move.
OWN_SERVICE = {S.DECLINED, S.INTRO_REQUESTED}
ILLEGAL_MOVES = [
    (start, target)
    for start in S.values
    for target in S.values
    if target not in review.INSTITUTION_MOVES.get(start, set()) or target in OWN_SERVICE
]
ILLEGAL_DECLINES = [
    start for start in S.values if S.DECLINED not in review.INSTITUTION_MOVES.get(start, set())
]


def at(status: str):
    pair = matched_pair()
    Match.objects.filter(pk=pair.match.pk).update(status=status)
    pair.match.refresh_from_db()
    return pair


@pytest.mark.parametrize(("start", "target"), ILLEGAL_MOVES)
def test_an_illegal_move_is_refused_and_changes_nothing(start, target):
    pair = at(start)
    with pytest.raises(review.IllegalMove):
        review.match_move(match=pair.match, to_status=target, by=pair.institution_user)
    assert Match.objects.get(pk=pair.match.pk).status == start
    assert not MatchEvent.objects.exists()


@pytest.mark.parametrize("start", ILLEGAL_DECLINES)
def test_a_decline_from_a_state_that_cannot_decline_is_refused(start):
    pair = at(start)
    with pytest.raises(review.IllegalMove):
        review.match_decline(match=pair.match, reason="risk_too_high", by=pair.institution_user)
    assert Match.objects.get(pk=pair.match.pk).status == start
    assert not MatchEvent.objects.exists()


def test_the_table_leaves_later_states_without_shortcuts():
    """A shortcut from a later state (term sheet back to shortlisted, closed reopened)
    would have to be added to the table; the parametrised tests above then fail."""
    assert len(ILLEGAL_MOVES) >= 40
    for closed in (S.CLOSED_WON, S.CLOSED_LOST, S.DECLINED, S.INTRO_REQUESTED):
        assert all((closed, target) in ILLEGAL_MOVES for target in S.values)


def test_declining_through_a_bare_move_is_refused_on_the_web(client):
    """A decline needs its reason: the pipeline's move form cannot be used to skip it."""
    pair = matched_pair()
    client.force_login(pair.institution_user)
    client.post(f"/institution/matches/{pair.match.pk}/move/", {"status": S.DECLINED})
    assert Match.objects.get(pk=pair.match.pk).status == S.NEW
    assert not MatchEvent.objects.exists()
