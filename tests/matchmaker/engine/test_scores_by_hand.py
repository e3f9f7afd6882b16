"""Hand-made eligible pairs, one per kind of financier, and the syndicate rule at its
edges: the score, each component and the tabulated block equal the reference's, and the
shares that make a financier eligible, a lead or a participant are exact.

The property tests compare the engines on random worlds, where an eligible pair (the only
kind whose score is compared) is rare; these pairs are eligible by construction, so a
wrong score in either vectorised path fails here every run.
"""

import dataclasses

import numpy as np
import pytest

from matchmaker.engine import reference, rules, syndicate
from matchmaker.engine.blocks import OfferingTables
from matchmaker.engine.criteria import best_of_variants, score_pairs
from matchmaker.engine.facts import (
    CREDIT,
    EQUITY,
    N_CRITERIA,
    RISK_COVER,
    OfferingFacts,
    ProjectFacts,
    encode_offerings,
    encode_projects,
)

M = 1_000_000
SEEKS_LEAD = 0
FLEXIBLE = 1

PROJECT = ProjectFacts(
    segment=2,
    stage=3,
    trl=6,
    needs=(100 * M, 80 * M, 50 * M),
    months_to_revenue=24,
    months_to_break_even=48,
    exposures=frozenset({0, 1, 4}),
    collateral=frozenset(),
    region=0,
    flight_record=1,
    revenue_status=0,
    round_role=SEEKS_LEAD,
    registered_in=3,
    works_in=5,
)
WEIGHTS = (0.2, 0.1, 0.15, 0.2, 0.1, 0.1, 0.05, 0.1)
FUND = OfferingFacts(
    instrument=EQUITY,
    ticket_min=5 * M,
    ticket_max=30 * M,
    capacity_left=500 * M,
    max_tenor_months=84,
    weights=WEIGHTS,
    preferred_ticket=20 * M,
    preferred_trl=7,
    round_role=FLEXIBLE,
)
LENDER = OfferingFacts(
    instrument=CREDIT,
    ticket_min=10 * M,
    ticket_max=60 * M,
    capacity_left=1_000 * M,
    max_tenor_months=36,
    weights=WEIGHTS,
    appetite=0,
    collateral_required=frozenset({0}),
    presence=frozenset({5, 9}),
)
INSURER = OfferingFacts(
    instrument=RISK_COVER,
    ticket_min=1 * M,
    ticket_max=400 * M,
    capacity_left=400 * M,
    max_tenor_months=12,
    weights=WEIGHTS,
    exposures_covered=frozenset({0, 4}),
    line_share=0.3,
)
PAIRS = {
    "equity fund": (PROJECT, FUND),
    "fund that can only follow": (PROJECT, dataclasses.replace(FUND, round_role=2)),
    "low-appetite lender wanting collateral": (PROJECT, LENDER),
    "lender to a proven earner": (
        dataclasses.replace(PROJECT, flight_record=3, revenue_status=2, trl=9),
        dataclasses.replace(LENDER, appetite=2, trl_max=9),
    ),
    "insurer with a line": (PROJECT, INSURER),
}


def engines(project: ProjectFacts, offering: OfferingFacts):
    """(eligible, score, components) of the direct path, and the tabulated block's score."""
    projects, offerings = encode_projects([project]), encode_offerings([offering])
    eligible, scores, values = score_pairs(projects, offerings, 0, 0)
    block = OfferingTables(offerings).score_block(projects)
    return bool(eligible), float(scores), np.asarray(values), float(block[0, 0])


@pytest.mark.parametrize("kind", list(PAIRS))
def test_an_eligible_pair_scores_as_the_reference_in_both_paths(kind):
    project, offering = PAIRS[kind]
    expected = reference.score(project, offering)
    assert expected is not None and 0 < expected <= 100

    eligible, score, values, block = engines(project, offering)

    assert eligible
    assert np.allclose(values, reference.components(project, offering))
    assert abs(score - expected) < 1e-9
    assert abs(block - expected) < 1e-3


def test_the_score_is_the_weighted_sum_of_the_components_times_100():
    eligible, score, values, _block = engines(PROJECT, FUND)
    assert eligible
    assert abs(score - 100 * sum(w * v for w, v in zip(WEIGHTS, values, strict=True))) < 1e-9
    assert len(values) == N_CRITERIA


def carrying(instrument: int, most: int, **changes) -> OfferingFacts:
    """An offering of the instrument that can carry at most `most` of a need."""
    base = {EQUITY: FUND, CREDIT: LENDER, RISK_COVER: INSURER}[instrument]
    return dataclasses.replace(base, ticket_min=1, ticket_max=most, capacity_left=most, **changes)


def needing(instrument: int, need: int) -> ProjectFacts:
    needs = [0, 0, 0]
    needs[instrument] = need
    return dataclasses.replace(PROJECT, needs=tuple(needs))


@pytest.mark.parametrize("instrument", [EQUITY, CREDIT])
def test_a_share_of_exactly_the_minimum_is_eligible_and_one_yuan_more_need_is_not(instrument):
    most = 3 * M
    edge = most * 100 // rules.SYNDICATE_MIN_SHARE_PERCENT  # most is exactly 5 % of it
    offering = carrying(instrument, most)

    at_edge = needing(instrument, edge)
    assert reference.failed_screen(at_edge, offering) is None
    assert engines(at_edge, offering)[0]
    assert np.isfinite(engines(at_edge, offering)[3])

    beyond = needing(instrument, edge + 1)
    assert reference.failed_screen(beyond, offering) is not None
    assert not engines(beyond, offering)[0]
    assert engines(beyond, offering)[3] == -np.inf


def test_an_insurer_joins_a_panel_from_a_line_of_exactly_the_minimum_share():
    project = needing(RISK_COVER, 50 * M)
    minimum = rules.SYNDICATE_MIN_SHARE_PERCENT / 100
    for line, joins in [(minimum, True), (minimum - 0.0004, False), (0.045, False)]:
        insurer = dataclasses.replace(INSURER, line_share=line)
        assert syndicate.line_ok(line) is joins
        assert (reference.failed_screen(project, insurer) is None) is joins
        eligible, _score, _values, block = engines(project, insurer)
        assert eligible is joins
        assert bool(np.isfinite(block)) is joins


def test_an_insurer_whose_line_is_too_small_joins_no_panel_however_small_the_need():
    insurer = dataclasses.replace(carrying(RISK_COVER, 10 * M), line_share=0.01)
    for need in (1, 2, 1_000):
        project = needing(RISK_COVER, need)
        assert reference.failed_screen(project, insurer) is not None
        eligible, _score, _values, block = engines(project, insurer)
        assert not eligible
        assert block == -np.inf


def test_a_fund_putting_in_exactly_the_lead_share_leads_and_one_yuan_less_follows():
    need = 100 * M
    lead_share = need * rules.LEAD_SHARE_PERCENT // 100
    project = needing(EQUITY, need)
    leads, follows = carrying(EQUITY, lead_share), carrying(EQUITY, lead_share - 1)

    assert reference.round_role(project, leads) == rules.ROUND_ROLE_FIT[SEEKS_LEAD][FLEXIBLE]
    assert reference.round_role(project, follows) == rules.ROUND_ROLE_FIT[SEEKS_LEAD][2]
    for offering in (leads, follows):  # both paths rank the two as the reference does
        _eligible, score, _values, block = engines(project, offering)
        assert abs(score - reference.score(project, offering)) < 1e-9
        assert abs(block - reference.score(project, offering)) < 1e-3


def test_the_role_a_share_gives():
    need = 100 * M
    lead_share = need * rules.LEAD_SHARE_PERCENT // 100
    assert syndicate.role(need, need, FLEXIBLE, EQUITY) == syndicate.SOLE
    assert syndicate.role(need - 1, need, FLEXIBLE, EQUITY) == syndicate.LEAD
    assert syndicate.role(lead_share, need, FLEXIBLE, CREDIT) == syndicate.LEAD
    assert syndicate.role(lead_share - 1, need, FLEXIBLE, CREDIT) == syndicate.PARTICIPANT
    # a fund that only follows never leads, however much it could carry ...
    assert syndicate.role(need, need, syndicate.FOLLOW_ONLY, EQUITY) == syndicate.PARTICIPANT
    # ... but the role index means "follows only" for equity funds alone
    assert syndicate.role(need, need, syndicate.FOLLOW_ONLY, CREDIT) == syndicate.SOLE
    assert syndicate.role(lead_share, need, syndicate.FOLLOW_ONLY, RISK_COVER) == syndicate.LEAD


CN, FR = 45, 75  # two country keys (0 is an unknown country)
COUNTRY_PROJECTS = [
    dataclasses.replace(PROJECT, registered_country=registered, works_country=works)
    for registered, works in [(CN, CN), (FR, CN), (CN, FR), (FR, FR), (0, 0)]
] + [dataclasses.replace(PROJECT, needs=(0, 80 * M, 0), registered_country=CN, works_country=FR)]
COUNTRY_OFFERINGS = [
    LENDER,
    dataclasses.replace(LENDER, countries=frozenset({CN})),  # a state lender's mandate
    dataclasses.replace(LENDER, countries=frozenset({CN}), home_content=True),  # work at home
    dataclasses.replace(LENDER, content_countries=frozenset({CN})),  # an export-credit agency
    dataclasses.replace(FUND, countries=frozenset({FR, CN})),
    INSURER,
]


def test_country_mandates_screen_every_pair_of_a_world_as_the_reference_does():
    projects, offerings = encode_projects(COUNTRY_PROJECTS), encode_offerings(COUNTRY_OFFERINGS)
    p_idx = np.arange(len(COUNTRY_PROJECTS))[:, None]
    o_idx = np.arange(len(COUNTRY_OFFERINGS))[None, :]
    eligible, scores, values = score_pairs(projects, offerings, p_idx, o_idx)
    block = OfferingTables(offerings).score_block(projects)

    for p, project in enumerate(COUNTRY_PROJECTS):
        for o, offering in enumerate(COUNTRY_OFFERINGS):
            expected = reference.score(project, offering)
            assert eligible[p, o] == (expected is not None), (p, o)
            assert np.allclose(values[p, o], reference.components(project, offering)), (p, o)
            if expected is None:
                assert block[p, o] == -np.inf, (p, o)
            else:
                assert abs(scores[p, o] - expected) < 1e-9
                assert abs(block[p, o] - expected) < 1e-3
    # what the mandates mean, read off the matrix: the state lender takes Chinese firms
    # wherever they work, unless it lends for work at home; the agency finances foreign
    # buyers of what is built in China, never a purchase at home
    assert eligible[:5, 1].tolist() == [True, False, True, False, True]
    assert eligible[:5, 2].tolist() == [True, False, False, False, True]
    assert eligible[:5, 3].tolist() == [False, True, False, False, True]


def test_a_lender_far_below_the_projects_risk_scores_no_risk_fit_at_all():
    raw = dataclasses.replace(
        PROJECT, exposures=frozenset(range(7)), trl=1, flight_record=0, revenue_status=0
    )
    lender = dataclasses.replace(LENDER, appetite=0, trl_min=1, presence=frozenset())
    assert reference.risk(raw, lender) == 0.0
    eligible, _score, values, _block = engines(raw, lender)
    assert eligible
    assert values[5] == 0.0  # RISK: clipped at nothing, never below


@pytest.mark.parametrize("kind", list(PAIRS))
def test_the_underused_appetite_costs_the_same_in_both_engines(kind, monkeypatch):
    """Calibrated to 0 today; a non-zero APPETITE_UNDERUSE must move both paths alike."""
    monkeypatch.setattr(rules, "APPETITE_UNDERUSE", 0.5)
    project, offering = PAIRS[kind]
    _eligible, score, values, block = engines(project, offering)
    assert np.allclose(values, reference.components(project, offering))
    assert abs(score - reference.score(project, offering)) < 1e-9
    assert abs(block - reference.score(project, offering)) < 1e-3


def test_a_pair_is_judged_on_the_best_row_whose_tool_applies_and_the_own_row_wins_a_tie():
    strict = dataclasses.replace(LENDER, trl_min=7)  # its own terms refuse a TRL 6 project
    rows = [
        strict,
        FUND,
        dataclasses.replace(strict, trl_min=6, tool=3, variant_of=0),  # covered: TRL 6 with tool 3
        dataclasses.replace(FUND, tool=3, variant_of=1),  # the same terms: a tie
        dataclasses.replace(strict, trl_min=6, preferred_trl=6, tool=5, variant_of=0),
    ]
    projects = [dataclasses.replace(PROJECT, tools=frozenset(tools)) for tools in [(), (3,), (5,)]]
    projects_array, offerings_array = encode_projects(projects), encode_offerings(rows)
    p_idx, o_idx = np.repeat(np.arange(3), 2), np.tile(np.arange(2), 3)

    eligible, best = best_of_variants(projects_array, offerings_array, p_idx, o_idx)

    # (no tool, lender), (no tool, fund), (tool 3, lender), (tool 3, fund), (tool 5, …)
    assert eligible.tolist() == [False, True, True, True, True, True]
    assert best[1:].tolist() == [1, 2, 1, 4, 1]
    for at in range(1, 6):
        project, owner = projects[p_idx[at]], o_idx[at]
        own_and_variants = [row for row in rows if row is rows[owner] or row.variant_of == owner]
        position, value = reference.best_row(project, own_and_variants)
        assert own_and_variants[position] is rows[best[at]]
        assert reference.score(project, rows[best[at]]) == value
    # pairs with the lender only (a block of columns): its later variant still counts
    eligible, best = best_of_variants(projects_array, offerings_array, np.array([2]), np.array([0]))
    assert (eligible.tolist(), best.tolist()) == ([True], [4])


def test_an_insurer_that_lists_no_exposures_covers_any_project():
    insurer = dataclasses.replace(INSURER, exposures_covered=frozenset())
    assert reference.failed_screen(PROJECT, insurer) is None
    eligible, _score, _values, block = engines(PROJECT, insurer)
    assert eligible and np.isfinite(block)
