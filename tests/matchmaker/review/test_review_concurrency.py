"""Two people acting on one match at the same moment cannot corrupt its state.

The second test forces the interleaving that a missing row lock would let through: the
first decision holds the match between reading and writing until the second has read it
(or, when the lock makes the second wait, for a bounded while). With the lock the second
reads the first's result; without it both start from "new" and the history breaks. On
PostgreSQL (CI) this exercises `select_for_update`; on SQLite the write transaction's
`BEGIN IMMEDIATE` serialises the two the same way.
"""

import threading
from itertools import pairwise

import pytest
from django.db import connection

from matchmaker.models import Match, MatchEvent, MatchStatus
from matchmaker.review import services as review
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db(transaction=True)

HOLD_SECONDS = 2.0  # how long the first waits for a read that a working lock never allows


def run_together(decisions) -> list[str]:
    """Each decision in its own thread and connection; what each ended with."""
    barrier = threading.Barrier(len(decisions))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def act(index, decision):
        try:
            barrier.wait()
            decision()
            outcomes.append("ok")
        except review.IllegalMove:
            outcomes.append("IllegalMove")
        except BaseException as error:  # reported to the test, never lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(i, d), name=f"decision-{i}")
        for i, d in enumerate(decisions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a decision never finished"
    assert errors == []
    return outcomes


def assert_one_unbroken_history(match):
    match.refresh_from_db()
    events = list(MatchEvent.objects.order_by("at", "id"))
    assert events and events[0].from_status == MatchStatus.NEW
    # every event starts where the previous one ended: no lost update, no illegal jump
    for earlier, later in pairwise(events):
        assert later.from_status == earlier.to_status
    assert match.status == events[-1].to_status
    return events


def shortlist(pair):
    return lambda: review.match_move(
        match=Match.objects.get(pk=pair.match.pk),
        to_status=MatchStatus.SHORTLISTED,
        by=pair.institution_user,
    )


def decline(pair):
    return lambda: review.match_decline(
        match=Match.objects.get(pk=pair.match.pk),
        reason="risk_too_high",
        by=pair.institution_user,
    )


def test_simultaneous_decisions_leave_one_consistent_outcome():
    pair = matched_pair()
    outcomes = run_together([shortlist(pair), decline(pair)])
    events = assert_one_unbroken_history(pair.match)
    assert outcomes.count("ok") == len(events)
    assert sorted(outcomes) in (["ok", "ok"], ["IllegalMove", "ok"])


def test_the_second_decision_waits_for_the_first_to_commit(monkeypatch):
    pair = matched_pair()
    first_holds, second_has_read = threading.Event(), threading.Event()
    locked, move = review._locked, review._move

    def locked_and_told(match):
        row = locked(match)
        if threading.current_thread().name == "decision-1":
            second_has_read.set()
        return row

    def move_held(match, to_status, by, **fields):
        if threading.current_thread().name == "decision-0":
            first_holds.set()
            second_has_read.wait(HOLD_SECONDS)
        return move(match, to_status, by, **fields)

    def second():
        first_holds.wait(30)
        decline(pair)()

    monkeypatch.setattr(review, "_locked", locked_and_told)
    monkeypatch.setattr(review, "_move", move_held)
    outcomes = run_together([shortlist(pair), second])
    events = assert_one_unbroken_history(pair.match)
    assert outcomes == ["ok", "ok"]
    assert [(e.from_status, e.to_status) for e in events] == [
        (MatchStatus.NEW, MatchStatus.SHORTLISTED),
        (MatchStatus.SHORTLISTED, MatchStatus.DECLINED),
    ]
