"""Each criterion against numbers worked out by hand."""

import pytest

from matchmaker.engine import reference
from matchmaker.engine.facts import (
    CREDIT,
    EQUITY,
    N_CRITERIA,
    RISK_COVER,
    OfferingFacts,
    ProjectFacts,
)

PROJECT = ProjectFacts(
    segment=2,  # components
    stage=3,  # qualification
    trl=6,
    needs=(100_000_000, 40_000_000, 0),
    months_to_revenue=24,
    months_to_break_even=60,
    exposures=frozenset({0, 4}),  # launch failure, first of kind
    collateral=frozenset({0}),  # equipment
    region=0,  # Songjiang
)


def offering(**changes) -> OfferingFacts:
    base = {
        "instrument": EQUITY,
        "ticket_min": 10_000_000,
        "ticket_max": 100_000_000,
        "capacity_left": 1_000_000_000,
        "max_tenor_months": 120,
        "weights": (1,) * N_CRITERIA,
        "trl_min": 4,
        "trl_max": 8,
    }
    return OfferingFacts(**{**base, **changes})


def test_segment_named_in_a_two_segment_thesis_scores_0_95():
    assert reference.segment(PROJECT, offering(segments=frozenset({2, 5}))) == pytest.approx(0.95)


def test_generalist_offering_scores_segment_0_6():
    assert reference.segment(PROJECT, offering()) == 0.6


def test_stage_preference_without_a_stage_list_follows_the_instrument():
    assert reference.stage(PROJECT, offering()) == 1.0  # equity loves qualification
    assert reference.stage(PROJECT, offering(instrument=CREDIT)) == 0.5


def test_trl_halfway_into_the_range_scores_0_75():
    assert reference.trl(PROJECT, offering(trl_min=4, trl_max=8)) == pytest.approx(0.75)


def test_trl_outside_the_range_scores_zero_and_is_ineligible():
    assert reference.trl(PROJECT, offering(trl_min=7, trl_max=9)) == 0.0
    assert not reference.eligible(PROJECT, offering(trl_min=7, trl_max=9))


def test_ticket_covering_a_tenth_of_the_need_scores_0_5():
    assert reference.ticket(PROJECT, offering(ticket_max=10_000_000)) == pytest.approx(0.5)


def test_ticket_covering_the_whole_need_scores_1():
    assert reference.ticket(PROJECT, offering(ticket_max=500_000_000)) == 1.0


def test_tenor_half_of_the_time_to_break_even_scores_0_5():
    assert reference.tenor(PROJECT, offering(max_tenor_months=30)) == 0.5


def test_insurance_tenor_is_judged_per_policy_year():
    project = ProjectFacts(**{**vars(PROJECT), "needs": (0, 0, 10_000_000)})
    assert reference.tenor(project, offering(instrument=RISK_COVER, max_tenor_months=12)) == 1.0


def test_insurer_covering_one_of_two_exposures_scores_risk_0_5():
    insurer = offering(instrument=RISK_COVER, exposures_covered=frozenset({0, 1}))
    assert reference.risk(PROJECT, insurer) == 0.5


def test_lender_risk_beyond_a_low_appetite_falls_twice_as_fast():
    # project risk = 0.5 * 2/7 + 0.5 * 3/8 = 0.330357…; low tolerance 0.35 → fits fully
    assert reference.risk(PROJECT, offering(appetite=0)) == 1.0
    riskier = ProjectFacts(**{**vars(PROJECT), "trl": 3})  # 0.5*2/7 + 0.5*6/8 = 0.517857…
    assert reference.risk(riskier, offering(appetite=0)) == pytest.approx(
        1 - 2 * (0.517857142857 - 0.35)
    )


def test_geography_uses_cluster_priority_for_nationwide_offerings():
    assert reference.geography(PROJECT, offering()) == 0.9
    assert reference.geography(PROJECT, offering(regions=frozenset({0}))) == 1.0


def test_loan_wanting_collateral_the_project_lacks_scores_0_2():
    loan = offering(instrument=CREDIT, collateral_required=frozenset({1}))
    assert reference.collateral(PROJECT, loan) == 0.2
    assert (
        reference.collateral(
            PROJECT, offering(instrument=CREDIT, collateral_required=frozenset({0}))
        )
        == 1.0
    )


def test_score_is_the_weighted_mean_scaled_to_100():
    values = reference.components(PROJECT, offering())
    assert reference.score(PROJECT, offering()) == pytest.approx(100 * sum(values) / N_CRITERIA)


def test_hard_rules_exclude_pairs():
    assert not reference.eligible(PROJECT, offering(instrument=RISK_COVER))  # no risk-cover need
    assert not reference.eligible(PROJECT, offering(ticket_min=200_000_000, ticket_max=300_000_000))
    assert not reference.eligible(PROJECT, offering(capacity_left=5_000_000))
    assert not reference.eligible(PROJECT, offering(segments=frozenset({0})))
    assert not reference.eligible(PROJECT, offering(stages=frozenset({0, 1})))
    assert not reference.eligible(PROJECT, offering(regions=frozenset({6})))
    assert reference.score(PROJECT, offering(regions=frozenset({6}))) is None
    assert reference.eligible(PROJECT, offering())
