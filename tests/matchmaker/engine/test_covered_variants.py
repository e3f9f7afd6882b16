"""Property tests: covered variants (an offering's terms when a programme tool applies).

A pair is judged on the best of the offering's own row and the variants whose tool
applies to the project; the vectorised engine, the direct pair scorer and the reference
agree on that, and on which pairs are eligible at all."""

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.engine import reference
from matchmaker.engine.blocks import OfferingTables, best_pairs
from matchmaker.engine.criteria import best_of_variants, score_pairs
from matchmaker.engine.facts import OfferingFacts, encode_offerings, encode_projects

from .strategies import offerings, projects, with_covered_variants


@st.composite
def worlds(draw):
    own = draw(st.lists(offerings(), min_size=1, max_size=8))
    return (
        draw(st.lists(projects(), min_size=1, max_size=10)),
        own,
        draw(with_covered_variants(own)),
    )


def rows_of(rows: list[OfferingFacts], owner: int) -> list[int]:
    return [owner] + [at for at, row in enumerate(rows) if row.variant_of == owner]


def expected(project, rows, owner) -> float | None:
    positions = rows_of(rows, owner)
    best = reference.best_row(project, [rows[at] for at in positions])
    return None if best is None else best[1]


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_the_tabulated_engine_keeps_the_best_of_own_and_covered_terms(world):
    project_facts, own, rows = world
    found = {}
    p_rows, columns, scores = OfferingTables(encode_offerings(rows)).eligible_scores(
        encode_projects(project_facts)
    )
    owners = encode_offerings(rows).owner[columns]
    for p, owner, value in zip(p_rows.tolist(), owners.tolist(), scores.tolist(), strict=True):
        assert (p, owner) not in found  # one row per pair, whatever the variants
        found[p, owner] = value
    for p, project in enumerate(project_facts):
        for owner in range(len(own)):
            want = expected(project, rows, owner)
            if want is None:
                assert (p, owner) not in found
            else:
                assert abs(found[p, owner] - want) < 1e-3


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_best_of_variants_picks_the_reference_row(world):
    project_facts, own, rows = world
    projects_array, offerings_array = encode_projects(project_facts), encode_offerings(rows)
    p_idx = np.repeat(np.arange(len(project_facts)), len(own))
    o_idx = np.tile(np.arange(len(own)), len(project_facts))
    eligible, best = best_of_variants(projects_array, offerings_array, p_idx, o_idx)
    _ok, scores, _values = score_pairs(projects_array, offerings_array, p_idx, best)
    for at, (p, owner) in enumerate(zip(p_idx.tolist(), o_idx.tolist(), strict=True)):
        want = expected(project_facts[p], rows, owner)
        assert eligible[at] == (want is not None)
        if want is not None:
            assert offerings_array.owner[best[at]] == owner
            assert abs(scores[at] - want) < 1e-9


@settings(max_examples=80, deadline=None)
@given(worlds(), st.integers(1, 4))
def test_best_pairs_rank_offerings_not_their_variants(world, k):
    project_facts, own, rows = world
    pairs = best_pairs(encode_projects(project_facts), encode_offerings(rows), k=k, block_rows=3)
    rows_kept, columns = pairs.union()
    assert set(columns.tolist()) <= set(range(len(own)))
    for p, owner in zip(rows_kept.tolist(), columns.tolist(), strict=True):
        assert expected(project_facts[p], rows, owner) is not None


def test_a_covered_variant_matches_only_where_its_tool_applies():
    """A TRL-6 project and a bank's TRL-7 loan: no match on the loan's own terms; with a
    variant accepting TRL 6 under tool 0, a match exactly when tool 0 applies."""
    project = reference_project(trl=6)
    bank = OfferingFacts(
        instrument=1,
        ticket_min=1_000_000,
        ticket_max=50_000_000,
        capacity_left=500_000_000,
        max_tenor_months=60,
        weights=(1,) * 8,
        trl_min=7,
        trl_max=9,
    )
    covered = dataclasses.replace(bank, trl_min=6, tool=0, variant_of=0)
    tables = OfferingTables(encode_offerings([bank, covered]))
    assert reference.score(project, bank) is None
    _rows, columns, _scores = tables.eligible_scores(encode_projects([project]))
    assert len(columns) == 0  # tool 0 does not apply to this project
    eligible_project = dataclasses.replace(project, tools=frozenset({0}))
    _rows, columns, scores = tables.eligible_scores(encode_projects([eligible_project]))
    assert columns.tolist() == [1]
    assert abs(scores[0] - reference.score(eligible_project, covered)) < 1e-3


def reference_project(**changes):
    from matchmaker.engine.facts import ProjectFacts

    base = ProjectFacts(
        segment=1,
        stage=3,
        trl=7,
        needs=(0, 20_000_000, 0),
        months_to_revenue=24,
        months_to_break_even=48,
    )
    return dataclasses.replace(base, **changes)
