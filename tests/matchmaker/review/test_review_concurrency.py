"""Two people acting on one match at the same moment cannot corrupt its state."""

import threading
from itertools import pairwise

import pytest
from django.db import OperationalError, connection

from matchmaker.models import Match, MatchEvent, MatchStatus
from matchmaker.review import services as review
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_decisions_leave_one_consistent_outcome():
    pair = matched_pair()
    barrier = threading.Barrier(2)
    outcomes = []

    def act(decision):
        barrier.wait()
        try:
            decision(Match.objects.get(pk=pair.match.pk))
            outcomes.append("ok")
        except (review.IllegalMove, OperationalError) as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=act,
            args=(
                lambda m: review.match_move(
                    match=m, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user
                ),
            ),
        ),
        threading.Thread(
            target=act,
            args=(
                lambda m: review.match_decline(
                    match=m, by=pair.institution_user, reason="risk_too_high"
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    pair.match.refresh_from_db()
    events = list(MatchEvent.objects.order_by("at", "id"))
    assert outcomes.count("ok") == len(events) >= 1
    # every event starts where the previous one ended: no lost update, no illegal jump
    assert events[0].from_status == MatchStatus.NEW
    for earlier, later in pairwise(events):
        assert later.from_status == earlier.to_status
    assert pair.match.status == events[-1].to_status
