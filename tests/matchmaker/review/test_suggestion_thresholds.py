"""The rule behind every suggestion, at each of its edges, without a database: the floor
is the lowest value gone further with (or just above every decline), it must raise the
offering's floor and stay within its ceiling, and it needs `MIN_EVIDENCE` decisions below
it of which `AGREEMENT` were declined for the matching reason."""

from django.utils import translation

from matchmaker.models import DeclineReason, SuggestionKind
from matchmaker.review import suggestions
from matchmaker.review.suggestions import Decision
from matchmaker.vocabulary import FlightRecord

EARLY = DeclineReason.STAGE_TOO_EARLY
OFFERING = object()  # the rule only carries it into the suggestion


def _rule(decisions, *, current=3, ceiling=9, above=suggestions._next):
    return suggestions._threshold_rule(
        decisions,
        lambda d: d.trl,
        {EARLY},
        current,
        SuggestionKind.REQUIRE_TRL,
        OFFERING,
        ceiling,
        above,
    )


def _declined(*trls, reason=EARLY):
    return [Decision(trl, 0, False, reason) for trl in trls]


def _shortlisted(*trls):
    return [Decision(trl, 0, True, "") for trl in trls]


def test_the_floor_is_the_lowest_value_gone_further_with_and_counts_what_lies_below():
    found = _rule(_declined(4, 5, 5, 6, 6, 8) + _shortlisted(9, 7))
    assert (found.value, found.agreeing, found.decided, found.supporting) == (7, 5, 5, 2)
    assert (found.offering, found.kind) == (OFFERING, SuggestionKind.REQUIRE_TRL)


def test_a_decision_at_the_floor_is_not_below_it():
    found = _rule(_declined(4, 5, 5, 6, 6, 7) + _shortlisted(7))
    assert (found.value, found.decided) == (7, 5)


def test_exactly_five_decisions_below_are_enough_four_are_not():
    assert _rule(_declined(4, 5, 5, 6, 6) + _shortlisted(7)) is not None
    assert _rule(_declined(4, 5, 5, 6) + _shortlisted(7)) is None


def test_exactly_four_of_five_agreeing_is_enough_three_of_five_is_not():
    other = DeclineReason.TICKET_TOO_SMALL
    found = _rule(_declined(4, 5, 5, 6) + _declined(6, reason=other) + _shortlisted(7))
    assert (found.agreeing, found.decided) == (4, 5)
    mixed = _declined(4, 5, 5) + _declined(6, 6, reason=other) + _shortlisted(7)
    assert _rule(mixed) is None


def test_a_positive_decision_below_the_floor_counts_as_disagreeing():
    # a project shortlisted below another one shortlisted: the lowest sets the floor, so
    # with a shortlist at 5 and declines below it, those below 5 alone count
    assert _rule(_declined(4, 4, 4, 4, 4) + _shortlisted(5, 7)).decided == 5
    assert _rule(_declined(4, 4, 4, 4) + _shortlisted(5, 7)) is None


def test_the_floor_must_raise_the_offerings_own_and_may_reach_its_ceiling():
    decisions = _declined(4, 5, 5, 6, 6) + _shortlisted(7)
    assert _rule(decisions, current=7) is None
    assert _rule(decisions, current=6).value == 7
    assert _rule(decisions, ceiling=7).value == 7
    assert _rule(decisions, ceiling=6) is None


def test_declines_alone_set_the_floor_just_above_every_declined_value():
    found = _rule(_declined(4, 5, 5, 6, 6))
    assert (found.value, found.agreeing, found.decided, found.supporting) == (7, 5, 5, 0)


def test_no_decision_suggests_nothing():
    assert _rule([]) is None


def test_a_floor_above_a_ticket_is_a_round_amount_a_person_would_set():
    assert suggestions._round_amount_above(48_000_000) == 49_000_000
    assert suggestions._round_amount_above(48_500_000) == 49_000_000
    assert suggestions._round_amount_above(1_234) == 1_300
    assert suggestions._round_amount_above(99) == 100
    assert suggestions._round_amount_above(7) == 8
    assert suggestions._round_amount_above(0) == 1


def _suggestion(kind, value, supporting=0):
    return suggestions.Suggestion("Seed equity", kind, value, 4, 5, supporting)


def test_each_kind_of_suggestion_says_its_evidence_and_what_accepting_sets():
    with translation.override("en"):
        trl = _suggestion(SuggestionKind.REQUIRE_TRL, 7)
        assert trl.text == (
            "You declined 4 of 5 projects below TRL 7 as too early: require TRL 7 on “Seed equity”?"
        )
        assert trl.change == {"trl_min": 7}
        ticket = _suggestion(SuggestionKind.RAISE_TICKET_MIN, 50_000_000)
        assert ticket.text == (
            "You declined 4 of 5 projects seeking less than RMB 50,000,000 as a ticket too "
            "small: raise the smallest ticket of “Seed equity” to RMB 50,000,000?"
        )
        assert ticket.change == {"ticket_min": 50_000_000}
        flown = suggestions.FLIGHT_HERITAGE
        alone = _suggestion(SuggestionKind.REQUIRE_FLIGHT_RECORD, flown)
        assert alone.text == (
            "You declined 4 of 5 projects without flight heritage: "
            "ask for “First flight done” at least on “Seed equity”?"
        )
        assert alone.change == {"min_flight_record": FlightRecord.FIRST_FLIGHT}
        supported = _suggestion(SuggestionKind.REQUIRE_FLIGHT_RECORD, flown, supporting=3)
        assert supported.text == (
            "You shortlisted 3 projects with flight heritage and declined 4 of 5 without "
            "it: prefer flight heritage, so that “Seed equity” asks for “First flight done” "
            "at least?"
        )
