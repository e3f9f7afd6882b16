"""Property tests: the vectorised engine agrees with the per-pair reference."""

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.engine import reference
from matchmaker.engine.blocks import OfferingTables, best_pairs
from matchmaker.engine.criteria import score_pairs
from matchmaker.engine.facts import TRL, encode_offerings, encode_projects, sweet_trl

from .strategies import offerings, projects

worlds = st.tuples(
    st.lists(projects(), min_size=1, max_size=12), st.lists(offerings(), min_size=1, max_size=12)
)


@settings(max_examples=150, deadline=None)
@given(worlds)
def test_direct_and_tabulated_scores_equal_the_reference(world):
    project_facts, offering_facts = world
    projects_array, offerings_array = (
        encode_projects(project_facts),
        encode_offerings(offering_facts),
    )
    p_idx, o_idx = np.arange(len(project_facts))[:, None], np.arange(len(offering_facts))[None, :]
    eligible, scores, values = score_pairs(projects_array, offerings_array, p_idx, o_idx)
    block = OfferingTables(offerings_array).score_block(projects_array)
    for p, project in enumerate(project_facts):
        for o, offering in enumerate(offering_facts):
            expected = reference.score(project, offering)
            assert eligible[p, o] == (expected is not None)
            assert np.allclose(values[p, o], reference.components(project, offering))
            if expected is None:
                assert block[p, o] == -np.inf
            else:
                assert abs(scores[p, o] - expected) < 1e-9
                assert abs(block[p, o] - expected) < 1e-3


@settings(max_examples=150, deadline=None)
@given(worlds)
def test_scores_lie_between_0_and_100(world):
    project_facts, offering_facts = world
    block = OfferingTables(encode_offerings(offering_facts)).score_block(
        encode_projects(project_facts)
    )
    finite = block[np.isfinite(block)]
    assert ((finite >= -1e-4) & (finite <= 100 + 1e-4)).all()


@settings(max_examples=100, deadline=None)
@given(worlds, st.integers(1, 5))
def test_best_pairs_are_eligible_and_hold_each_sides_top_k(world, k):
    project_facts, offering_facts = world
    rows, columns = best_pairs(
        encode_projects(project_facts), encode_offerings(offering_facts), k=k, block_rows=3
    ).union()
    stored = set(zip(rows.tolist(), columns.tolist(), strict=True))
    scores = {
        (p, o): reference.score(project, offering)
        for p, project in enumerate(project_facts)
        for o, offering in enumerate(offering_facts)
    }
    assert all(scores[pair] is not None for pair in stored)
    eligible = {pair: score for pair, score in scores.items() if score is not None}
    for side in (0, 1):
        for key in {pair[side] for pair in eligible}:
            ranked = sorted(
                (score for pair, score in eligible.items() if pair[side] == key), reverse=True
            )
            kept = [pair for pair in stored if pair[side] == key]
            assert len(kept) >= min(k, len(ranked))
            kth_best = ranked[min(k, len(ranked)) - 1]
            kept_best = sorted((eligible[pair] for pair in kept), reverse=True)[
                : min(k, len(ranked))
            ]
            assert min(kept_best) >= kth_best - 1e-3


@settings(max_examples=200, deadline=None)
@given(projects(), offerings())
def test_moving_trl_towards_the_sweet_spot_never_lowers_the_trl_component(project, offering):
    sweet = sweet_trl(offering)
    for start, step in ((offering.trl_min, 1), (offering.trl_max, -1)):
        previous = dataclasses.replace(project, trl=start)
        for trl in range(start, sweet + step, step) if start != sweet else ():
            nearer = dataclasses.replace(project, trl=trl)
            assert reference.trl(nearer, offering) >= reference.trl(previous, offering)
            _eligible, _score, values = score_pairs(
                encode_projects([nearer]), encode_offerings([offering]), 0, 0
            )
            assert values[TRL] == reference.trl(nearer, offering)
            previous = nearer


@settings(max_examples=200, deadline=None)
@given(projects(), offerings())
def test_a_better_flight_record_or_revenue_never_lowers_the_score(project, offering):
    """Public deals: loans and insurance follow flight heritage and revenue."""
    before = reference.score(project, offering)
    better = dataclasses.replace(
        project,
        flight_record=min(project.flight_record + 1, 3),
        revenue_status=min(project.revenue_status + 1, 2),
    )
    after = reference.score(better, offering)
    if before is not None:
        assert after is not None and after >= before - 1e-9


def test_cutting_the_offerings_candidates_back_early_keeps_the_same_best(monkeypatch):
    """Memory stays bounded because candidates are cut to each offering's best k as they
    pile up; the kept scores per offering are the same as when cut once at the end."""
    from matchmaker.engine import blocks
    from matchmaker.engine.synthetic import world

    project_facts, offering_facts = world(300, 40, seed=3)
    projects_array, offerings_array = (
        encode_projects(project_facts),
        encode_offerings(offering_facts),
    )
    block = OfferingTables(offerings_array).score_block(projects_array)

    def kept_scores(pairs):
        rows, columns = pairs.for_offerings
        found = {}
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            found.setdefault(column, []).append(round(float(block[row, column]), 3))
        return {column: sorted(scores) for column, scores in found.items()}

    once = kept_scores(best_pairs(projects_array, offerings_array, k=3, block_rows=8))
    monkeypatch.setattr(blocks, "CANDIDATE_SLACK", 0)  # cut back after every block
    often = kept_scores(best_pairs(projects_array, offerings_array, k=3, block_rows=8))
    assert often == once and len(once) > 10


def test_the_tabulated_engine_scores_a_guarantee_as_the_reference_does():
    """Random worlds rarely hold an eligible guarantee for a firm with collateral: one
    worked pair each way, the fast tables against the reference."""
    from matchmaker.engine.facts import CREDIT, N_CRITERIA, OfferingFacts, ProjectFacts

    with_collateral = ProjectFacts(
        segment=0,
        stage=5,
        trl=8,
        needs=(0, 50_000_000, 0),
        months_to_revenue=12,
        months_to_break_even=36,
        collateral=frozenset({0}),
    )
    without = dataclasses.replace(with_collateral, collateral=frozenset())
    guarantee = OfferingFacts(
        instrument=CREDIT,
        ticket_min=1_000_000,
        ticket_max=100_000_000,
        capacity_left=1_000_000_000,
        max_tenor_months=36,
        weights=(1,) * N_CRITERIA,
        guarantee=True,
    )
    block = OfferingTables(encode_offerings([guarantee])).score_block(
        encode_projects([with_collateral, without])
    )
    expected = [reference.score(p, guarantee) for p in (with_collateral, without)]
    assert np.allclose(block[:, 0], expected, atol=1e-3)
    assert expected[1] > expected[0]


def test_the_tabulated_engine_screens_countries_as_the_reference_does():
    """#25: a state lender's country mandate (the firm's registration) and an
    export-credit agency's (where what is financed is built, for a buyer from another
    country), over every country key: unknown (0) passes, a named country passes, any
    other is screened out, and so is a purchase at home."""
    from matchmaker.engine.facts import (
        CREDIT,
        N_COUNTRY_KEYS,
        N_CRITERIA,
        OfferingFacts,
        ProjectFacts,
    )

    base = ProjectFacts(
        segment=0,
        stage=5,
        trl=8,
        needs=(0, 50_000_000, 0),
        months_to_revenue=12,
        months_to_break_even=36,
    )
    keys = range(N_COUNTRY_KEYS)
    # registered in k, buying what is built in k (at home) or in k from country 9
    at_home = [dataclasses.replace(base, registered_country=k, works_country=k) for k in keys]
    buyers = [dataclasses.replace(base, registered_country=9, works_country=k) for k in keys]
    lender = OfferingFacts(
        instrument=CREDIT,
        ticket_min=1_000_000,
        ticket_max=100_000_000,
        capacity_left=1_000_000_000,
        max_tenor_months=36,
        weights=(1,) * N_CRITERIA,
    )
    state_lender = dataclasses.replace(lender, countries=frozenset({5, 200}))
    export_credit = dataclasses.replace(lender, content_countries=frozenset({7, 9}))
    offerings_ = [lender, state_lender, export_credit]
    firms = at_home + buyers
    block = OfferingTables(encode_offerings(offerings_)).score_block(encode_projects(firms))
    for row, firm in enumerate(firms):
        for column, offering in enumerate(offerings_):
            expected = reference.score(firm, offering)
            assert (block[row, column] == -np.inf) == (expected is None)
    eligible = np.isfinite(block)
    assert eligible[:, 0].all()
    assert np.flatnonzero(eligible[: len(keys), 1]).tolist() == [0, 5, 200]
    assert np.flatnonzero(eligible[: len(keys), 2]).tolist() == [0]  # at home: no export
    assert np.flatnonzero(eligible[len(keys) :, 2]).tolist() == [0, 7]  # 9 buys at home
    assert reference.failed_screen(at_home[6], state_lender) == "country"
    assert reference.failed_screen(at_home[7], export_credit) == "content_country"
    assert reference.failed_screen(buyers[6], export_credit) == "content_country"
    assert reference.eligible(buyers[7], export_credit)


def test_a_state_lender_lending_for_work_at_home_screens_where_the_work_happens():
    """#25: with `home_content`, the country mandate covers the work's country too (known
    ones only); the vectorised tables agree with the reference on every country key."""
    from matchmaker.engine.facts import (
        CREDIT,
        N_COUNTRY_KEYS,
        N_CRITERIA,
        OfferingFacts,
        ProjectFacts,
    )

    base = ProjectFacts(
        segment=0,
        stage=4,
        trl=7,
        needs=(0, 50_000_000, 0),
        months_to_revenue=12,
        months_to_break_even=36,
    )
    keys = range(N_COUNTRY_KEYS)
    # registered in 5 (a mandate country), the work in k; registered in k, the work in 5
    works = [dataclasses.replace(base, registered_country=5, works_country=k) for k in keys]
    firms = [dataclasses.replace(base, registered_country=k, works_country=5) for k in keys]
    lender = OfferingFacts(
        instrument=CREDIT,
        ticket_min=1_000_000,
        ticket_max=100_000_000,
        capacity_left=1_000_000_000,
        max_tenor_months=36,
        weights=(1,) * N_CRITERIA,
        countries=frozenset({5, 200}),
    )
    at_home = dataclasses.replace(lender, home_content=True)
    without_mandate = dataclasses.replace(lender, countries=frozenset(), home_content=True)
    offerings_ = [lender, at_home, without_mandate]
    projects_ = works + firms
    block = OfferingTables(encode_offerings(offerings_)).score_block(encode_projects(projects_))
    for row, firm in enumerate(projects_):
        for column, offering in enumerate(offerings_):
            expected = reference.score(firm, offering)
            assert (block[row, column] == -np.inf) == (expected is None)
    eligible = np.isfinite(block)
    assert eligible[: len(keys), 0].all()  # registration only: the work may be anywhere
    assert np.flatnonzero(eligible[: len(keys), 1]).tolist() == [0, 5, 200]
    assert np.flatnonzero(eligible[len(keys) :, 1]).tolist() == [0, 5, 200]
    assert eligible[:, 2].all()  # no countries named: nothing to be at home in
    assert reference.failed_screen(works[7], at_home) == "home_country"
    assert reference.failed_screen(firms[7], at_home) == "country"
