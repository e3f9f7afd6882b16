"""`make evaluate` reads the engine's figures against what the deals' facts alone say
(`deals.facts_baseline`): the best a ranking by those facts can do on the set, and what
they predict for a deal not yet seen."""

import pytest

from matchmaker.evaluation.deals import deal_rows, facts_baseline


def deal(instrument: str, chinese: bool, *lead_kinds: str, flight: str = "flight_proven") -> dict:
    return {
        "instrument": instrument,
        "chinese": chinese,
        "flight_record": flight,
        "revenue_status": "revenue",
        "lead_kinds": list(lead_kinds),
    }


def test_deals_with_equal_facts_and_different_leads_cap_any_ranking_by_them():
    rows = [
        deal("credit", False, "commercial_bank"),
        deal("credit", False, "commercial_bank"),
        deal("credit", False, "commercial_bank"),
        deal("credit", False, "private_credit"),
        deal("equity", True, "venture_capital"),
    ]
    figures = facts_baseline(rows)
    # the four credit deals: at best the three the banks led; the equity deal: its own
    assert figures["same_facts_ceiling"] == pytest.approx(4 / 5)
    # a bank's deal guessed from the other three (two banks, one private lender): a bank;
    # the private lender's from three banks: a miss; the equity deal shares its facts, its
    # instrument and its country with no other deal: no guess, a miss
    assert figures["leave_one_out_hit_at_1"] == pytest.approx(3 / 5)


def test_a_deal_no_other_shares_its_facts_with_is_guessed_from_coarser_ones():
    rows = [
        deal("equity", True, "venture_capital", flight="not_flown"),
        deal("equity", True, "venture_capital", flight="first_flight"),
        deal("equity", True, "local_state_fund", flight="flight_proven"),
    ]
    figures = facts_baseline(rows)
    assert figures["same_facts_ceiling"] == 1.0  # each its own group
    # each from the two other Chinese equity deals: the fund's from two venture leads (a
    # miss); each venture lead's from the other venture lead and the fund (a tie, taken by
    # the kind seen first: the venture lead, a hit)
    assert figures["leave_one_out_hit_at_1"] == pytest.approx(2 / 3)


def test_a_deal_led_by_several_kinds_is_a_hit_for_any_of_them():
    rows = [
        deal("credit", True, "commercial_bank", "state_lender"),
        deal("credit", True, "state_lender"),
        deal("credit", True, "state_lender"),
    ]
    figures = facts_baseline(rows)
    assert figures == {"same_facts_ceiling": 1.0, "leave_one_out_hit_at_1": 1.0}


def test_the_public_deals_facts_alone_do_not_reach_the_issues_goal():
    """What `make evaluate` reports on the set (#25's goal is hit@1 0.8 within the
    instrument): these facts alone cap a ranking below it."""
    figures = facts_baseline(deal_rows())
    assert 0 < figures["leave_one_out_hit_at_1"] <= figures["same_facts_ceiling"] < 0.8
