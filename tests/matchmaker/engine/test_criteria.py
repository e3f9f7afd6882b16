"""Each criterion against numbers worked out by hand."""

import pytest

from matchmaker.engine import reference, rules
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


@pytest.fixture(autouse=True)
def round_curves(monkeypatch):
    """The hand-worked numbers below use round curve steps, not the calibrated ones."""
    for name, value in {
        "STAGE_STEP": 0.2,
        "TRL_STEP": 0.15,
        "TICKET_SPOT_SLOPE": 0.5,
        "TICKET_SPOT_SHARE": 0.5,
        "TENOR_EXCESS_SLOPE": 0.0,
        "APPETITE_UNDERUSE": 0.0,
    }.items():
        monkeypatch.setattr(rules, name, value)


def with_project(**changes) -> ProjectFacts:
    return ProjectFacts(**{**vars(PROJECT), **changes})


def test_a_named_segment_scores_no_higher_than_an_open_thesis():
    assert reference.segment(PROJECT, offering(segments=frozenset({2, 5}))) == 1.0
    assert reference.segment(PROJECT, offering(segments=frozenset({2}))) == 1.0
    assert reference.segment(PROJECT, offering()) == 1.0
    assert reference.segment(PROJECT, offering(segments=frozenset({0}))) == 0.0


def test_stage_is_graded_by_distance_to_the_sweet_spot():
    assert reference.stage(PROJECT, offering()) == 1.0  # equity's usual: qualification
    assert reference.stage(PROJECT, offering(preferred_stage=5)) == pytest.approx(0.6)
    assert reference.stage(PROJECT, offering(instrument=CREDIT)) == pytest.approx(0.4)


def test_an_accepted_stage_list_moves_the_default_sweet_spot_inside_it():
    late = offering(instrument=EQUITY, stages=frozenset({3, 4, 5}), preferred_stage=-1)
    assert reference.stage(PROJECT, late) == 1.0
    early = offering(instrument=CREDIT, stages=frozenset({2, 3}))  # credit's usual 6 → 3
    assert reference.stage(PROJECT, early) == 1.0


def test_trl_is_graded_by_distance_to_the_sweet_spot():
    assert reference.trl(PROJECT, offering(trl_min=4, trl_max=8)) == 1.0  # equity: middle, 6
    assert reference.trl(PROJECT, offering(preferred_trl=8)) == pytest.approx(0.7)
    assert reference.trl(PROJECT, offering(instrument=CREDIT)) == pytest.approx(0.7)  # top, 8


def test_trl_outside_the_range_scores_zero_and_is_ineligible():
    assert reference.trl(PROJECT, offering(trl_min=7, trl_max=9)) == 0.0
    assert not reference.eligible(PROJECT, offering(trl_min=7, trl_max=9))


def test_ticket_covering_a_tenth_of_the_need_at_its_sweet_spot_scores_0_75():
    # coverage 1 + 0.5 log10(0.1) = 0.5; what it puts in is its preferred ticket → 1
    lender = offering(instrument=CREDIT, ticket_min=1_000_000, ticket_max=4_000_000)
    lender = OfferingFacts(**{**vars(lender), "preferred_ticket": 4_000_000})
    # a firm taking follow-on money: a participant fits it fully
    assert reference.ticket(with_project(round_role=1), lender) == pytest.approx(0.75)


def test_a_lender_taking_a_tenth_of_the_loan_cannot_arrange_it():
    lender = offering(instrument=CREDIT, ticket_min=1_000_000, ticket_max=4_000_000)
    arranger = offering(instrument=CREDIT, ticket_min=1_000_000, ticket_max=8_000_000)
    seeks_lead = with_project(round_role=0)
    assert reference.round_role(seeks_lead, lender) == 0.1  # 10 % of the RMB 40 M loan
    assert reference.round_role(seeks_lead, arranger) == 1.0  # 20 %: it may arrange
    assert reference.round_role(PROJECT, lender) == 0.8  # either: a participant is second best
    insurer = offering(instrument=RISK_COVER, ticket_min=1, line_share=0.1)
    assert reference.round_role(with_project(needs=(0, 0, 10**8), round_role=0), insurer) == 1.0


def test_a_fund_taking_a_tenth_of_the_round_is_a_participant_and_ranks_as_a_follower():
    # 0.75 as above, times how a follower fits a firm that takes either (0.8) or seeks a
    # lead (0.1): it cannot lead with a tenth of the round
    tenth = offering(ticket_max=10_000_000)
    assert reference.ticket(PROJECT, tenth) == pytest.approx(0.75 * 0.8)
    assert reference.ticket(with_project(round_role=0), tenth) == pytest.approx(0.75 * 0.1)
    # a fund that leads rounds may lead with a fifth of the round, not with a tenth
    fifth = offering(ticket_max=20_000_000, round_role=0)
    assert reference.round_role(with_project(round_role=0), fifth) == 1.0
    tenth_lead = offering(ticket_max=10_000_000, round_role=0)
    assert reference.round_role(with_project(round_role=0), tenth_lead) == 0.1


def test_a_share_below_the_minimum_of_the_need_is_ineligible_and_says_so():
    # 5 % of RMB 100 M is RMB 5 M: a fund that can put in at most 4.9 M is no member
    assert reference.failed_screen(PROJECT, offering(ticket_min=1, ticket_max=4_999_999)) == (
        "share"
    )
    assert reference.eligible(PROJECT, offering(ticket_min=1, ticket_max=5_000_000))
    # a capacity as small counts the same; an insurer's line below 5 % never joins a panel
    small = offering(ticket_min=1, capacity_left=4_000_000)
    assert reference.failed_screen(PROJECT, small) == "share"
    cover = with_project(needs=(0, 0, 100_000_000))
    insurer = offering(instrument=RISK_COVER, ticket_min=1, ticket_max=10**9, line_share=0.04)
    assert reference.failed_screen(cover, insurer) == "share"
    assert reference.eligible(cover, offering(**{**vars(insurer), "line_share": 0.05}))


def test_ticket_blends_coverage_with_closeness_to_the_preferred_ticket():
    assert reference.ticket(PROJECT, offering(preferred_ticket=100_000_000)) == 1.0
    ten_times_smaller = offering(ticket_max=1_000_000_000, preferred_ticket=1_000_000_000)
    assert reference.ticket(PROJECT, ten_times_smaller) == pytest.approx(0.5 + 0.5 * 0.5)


def test_a_follow_only_fund_barely_fits_a_project_seeking_a_lead():
    follower = offering(preferred_ticket=100_000_000, round_role=2)
    assert reference.ticket(with_project(round_role=0), follower) == pytest.approx(0.1)
    assert reference.ticket(with_project(round_role=1), follower) == 1.0


def test_an_insurers_line_caps_what_it_carries():
    project = with_project(needs=(0, 0, 100_000_000))
    insurer = offering(instrument=RISK_COVER, ticket_max=1_000_000_000, line_share=0.1)
    assert reference.carry(project, insurer) == pytest.approx(10_000_000)


def test_tenor_half_of_the_time_to_break_even_scores_0_5():
    assert reference.tenor(PROJECT, offering(max_tenor_months=30)) == 0.5


def test_insurance_tenor_is_judged_per_policy_year():
    project = with_project(needs=(0, 0, 10_000_000))
    assert reference.tenor(project, offering(instrument=RISK_COVER, max_tenor_months=12)) == 1.0


def test_insurers_prefer_a_demonstrated_vehicle():
    insurer = offering(instrument=RISK_COVER, exposures_covered=frozenset({0, 1}))
    assert reference.risk(PROJECT, insurer) == pytest.approx(0.5 * 0.4)  # one of two, unflown
    assert reference.risk(with_project(flight_record=3), insurer) == pytest.approx(0.5)


def test_lender_risk_counts_flight_record_and_revenue():
    # 0.3·2/7 + 0.3·3/8 + 0.25·1 + 0.15·1 = 0.598214…; low tolerance 0.35
    assert reference.risk(PROJECT, offering(appetite=0)) == pytest.approx(
        1 - 2 * (0.598214285714 - 0.35)
    )
    assert reference.risk(PROJECT, offering(appetite=2)) == 1.0
    proven = with_project(flight_record=3, revenue_status=2)
    assert reference.risk(proven, offering(appetite=0)) == 1.0


def test_a_tenor_far_longer_than_needed_fits_a_long_project_better(monkeypatch):
    monkeypatch.setattr(rules, "TENOR_EXCESS_SLOPE", 0.4)
    # 60 months to break-even: 240 months is four times as long → 1 - 0.4 · (1 - 1/4)
    assert reference.tenor(PROJECT, offering(max_tenor_months=240)) == pytest.approx(0.7)
    assert reference.tenor(PROJECT, offering(max_tenor_months=60)) == 1.0
    assert reference.tenor(PROJECT, offering(max_tenor_months=30)) == 0.5  # as before
    long_cycle = with_project(months_to_break_even=240)
    assert reference.tenor(long_cycle, offering(max_tenor_months=240)) == 1.0


def test_a_proven_earning_firm_fits_a_low_appetite_lender_better_than_a_high_one(monkeypatch):
    monkeypatch.setattr(rules, "APPETITE_UNDERUSE", 0.3)
    proven = with_project(flight_record=3, revenue_status=2, trl=9)
    risk = 0.3 * 2 / 7  # only its two exposures remain
    low, high = offering(appetite=0), offering(appetite=2)
    assert reference.risk(proven, low) == pytest.approx(1 - 0.3 * (0.35 - risk))
    assert reference.risk(proven, high) == pytest.approx(1 - 0.3 * (0.85 - risk))
    assert reference.risk(proven, low) > reference.risk(proven, high)


def test_national_content_asks_where_the_work_happens_not_where_the_firm_is_registered():
    # a foreign buyer (registered abroad, 11) of a satellite built in China (province 10)
    export_credit = offering(presence=frozenset({11}), content=frozenset(range(11)))
    buyer = with_project(registered_in=11, works_in=10)
    assert reference.eligible(buyer, export_credit)
    assert reference.failed_screen(with_project(registered_in=11, works_in=11), export_credit) == (
        "content"
    )
    assert reference.failed_screen(with_project(registered_in=10, works_in=10), export_credit) == (
        "presence"
    )


def test_geography_asks_for_presence_and_gives_no_bonus_for_a_narrow_list():
    assert reference.geography(PROJECT, offering()) == 1.0
    assert reference.geography(PROJECT, offering(presence=frozenset({0}))) == 1.0
    registered_only = with_project(registered_in=3, works_in=0)
    assert reference.geography(registered_only, offering(presence=frozenset({3}))) == 0.7
    assert not reference.eligible(PROJECT, offering(presence=frozenset({3})))


def test_loan_wanting_collateral_the_project_lacks_scores_0_2():
    loan = offering(instrument=CREDIT, collateral_required=frozenset({1}))
    assert reference.collateral(PROJECT, loan) == 0.2
    assert (
        reference.collateral(
            PROJECT, offering(instrument=CREDIT, collateral_required=frozenset({0}))
        )
        == 1.0
    )


def test_a_guarantee_fits_a_firm_without_collateral_and_not_one_that_has_some():
    """A guarantor lends its standing against collateral the firm lacks; a bank loan that
    names no collateral fits both firms alike, so only the guarantee tells them apart."""
    guarantee = offering(instrument=CREDIT, guarantee=True, collateral_required=frozenset({1}))
    bank = offering(instrument=CREDIT)
    bare = with_project(collateral=frozenset())
    assert reference.collateral(bare, guarantee) == 1.0
    assert reference.collateral(PROJECT, guarantee) == rules.GUARANTEE_NOT_NEEDED == 0.2
    assert reference.collateral(bare, bank) == reference.collateral(PROJECT, bank) == 1.0
    # equity and risk cover have no collateral criterion, whatever the flag says
    assert reference.collateral(PROJECT, offering(guarantee=True)) == 1.0


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


def test_flight_record_revenue_and_presence_requirements_are_screens():
    assert reference.failed_screen(PROJECT, offering(min_flight_record=2)) == "flight_record"
    assert reference.failed_screen(PROJECT, offering(min_revenue_status=1)) == "revenue"
    assert reference.failed_screen(PROJECT, offering(presence=frozenset({5}))) == "presence"
    flown = with_project(flight_record=2, revenue_status=1, works_in=5)
    requiring = offering(min_flight_record=2, min_revenue_status=1, presence=frozenset({5}))
    assert reference.eligible(flown, requiring)
