"""The package solver: hand-checked optima and properties on random markets."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.engine.packages import (
    Candidate,
    build_packages,
    greedy,
    shared_at_most,
    syndicate_roles,
)

C = Candidate


def test_hand_checked_optimum_prefers_the_better_weighted_stack():
    # equity 100: A (inst 1, carries 60, score 80), B (inst 2, 50, 70), C (inst 3, 100, 50)
    # credit 50: D (inst 4, 50, 60), E (inst 1, 30, 90): inst 1 may appear once
    # risk 200: F (insurer covering launch failure, 200, 40), G (150, 95)
    candidates = [
        C(1, 1, 0, 10, 60, 80),
        C(2, 2, 0, 10, 50, 70),
        C(3, 3, 0, 10, 100, 50),
        C(4, 4, 1, 5, 50, 60),
        C(5, 1, 1, 5, 30, 90),
        C(6, 5, 2, 10, 200, 40, covers_critical=True),
        C(7, 6, 2, 10, 150, 95),
    ]
    best, second, _third = build_packages(candidates, [100, 50, 200], needs_critical_cover=True)
    # Best: B+C for equity (70·.5 + 50·.5 = 60), E+D for credit (90·.6 + 60·.4 = 78),
    # G+F for risk (95·.75 + 40·.25 = 81.25): mean 73.08. Using A would bar E (same institution).
    assert sorted((c.key, amount) for c, amount in best.members) == [
        (2, 50),
        (3, 50),
        (4, 20),
        (5, 30),
        (6, 50),
        (7, 150),
    ]
    assert round(best.score, 2) == 73.08
    assert best.coverage == [1.0, 1.0, 1.0] and best.uncovered == [0, 0, 0]
    # The runner-up keeps at most half the best's members: A 60 + B 40 (76), D 50 (60),
    # F 200 (40). (A+B, D, G+F would score 72.42 but share four of the best's six.)
    assert sorted((c.key, amount) for c, amount in second.members) == [
        (1, 60),
        (2, 40),
        (4, 50),
        (6, 200),
    ]
    assert round(second.score, 2) == 58.67


def test_required_insurer_is_in_every_package():
    candidates = [
        C(1, 1, 2, 1, 100, 99),
        C(2, 2, 2, 1, 100, 10, covers_critical=True),
        C(3, 3, 0, 1, 50, 50),
    ]
    for package in build_packages(candidates, [50, 0, 100], needs_critical_cover=True):
        assert any(c.covers_critical for c, _ in package.members)


def test_coverage_beats_score():
    # a high-score offering that carries little loses to one that carries the whole need
    candidates = [C(1, 1, 0, 1, 10, 99), C(2, 2, 0, 1, 100, 20)]
    best = build_packages(candidates, [100, 0, 0], needs_critical_cover=False, count=1)[0]
    assert best.coverage[0] == 1.0
    assert {c.key for c, _ in best.members} >= {2}


def test_what_cannot_be_covered_is_reported():
    best = build_packages([C(1, 1, 1, 1, 30, 50)], [0, 100, 0], needs_critical_cover=False)[0]
    assert best.coverage[1] == 0.3 and best.uncovered == [0, 70, 0]


def test_packages_differ_and_are_ranked():
    candidates = [C(i, i, 0, 1, 40, 50 + i) for i in range(1, 6)]
    packages = build_packages(candidates, [100, 0, 0], needs_critical_cover=False)
    sets = [frozenset(c.key for c, _ in p.members) for p in packages]
    assert len(set(sets)) == len(sets) == 3
    keys = [p.sort_key() for p in packages]
    assert keys == sorted(keys)


def test_a_later_package_is_a_real_alternative_not_one_insurer_swapped():
    """Equity and credit from one pair of institutions, three interchangeable insurers:
    the second package may not keep the same equity and credit and swap the insurer."""
    candidates = [
        C(1, 1, 0, 1, 100, 90),
        C(2, 2, 1, 1, 50, 90),
        C(3, 3, 2, 1, 80, 60),
        C(4, 4, 2, 1, 80, 59),
        C(5, 5, 2, 1, 80, 58),
        C(6, 6, 0, 1, 100, 40),
        C(7, 7, 1, 1, 50, 40),
    ]
    packages = build_packages(candidates, [100, 50, 80], needs_critical_cover=False)
    sets = [frozenset(c.key for c, _ in p.members) for p in packages]
    for earlier, later in itertools.pairwise(sets):
        assert len(earlier & later) <= len(earlier) // 2, (earlier, later)


candidates_strategy = st.lists(
    st.builds(
        C,
        key=st.integers(0, 10**6),
        institution=st.integers(0, 5),
        instrument=st.integers(0, 2),
        ticket_min=st.integers(1, 40),
        carry=st.integers(1, 150),
        score=st.floats(0, 100),
        covers_critical=st.booleans(),
    ),
    max_size=14,
    unique_by=lambda c: c.key,
)


@settings(max_examples=120, deadline=None)
@given(candidates_strategy, st.lists(st.integers(0, 200), min_size=3, max_size=3), st.booleans())
def test_packages_respect_tickets_capacity_needs_and_institutions(candidates, needs, critical):
    for package in build_packages(candidates, needs, critical):
        institutions = [c.institution for c, _ in package.members]
        assert len(institutions) == len(set(institutions))
        for candidate, amount in package.members:
            assert candidate.ticket_min <= amount <= candidate.carry
        for instrument in range(3):
            raised = sum(a for c, a in package.members if c.instrument == instrument)
            assert raised <= needs[instrument]
            assert 0 <= package.coverage[instrument] <= 1


@settings(max_examples=80, deadline=None)
@given(candidates_strategy, st.lists(st.integers(1, 200), min_size=3, max_size=3))
def test_the_exact_package_covers_at_least_as_much_as_greedy(candidates, needs):
    exact = build_packages(candidates, needs, False, count=1)
    fallback = greedy(candidates, needs, False)
    if fallback is not None:
        assert exact and exact[0].mean_coverage >= fallback.mean_coverage - 1e-6


def test_a_risk_larger_than_any_line_is_shared_by_a_panel():
    # risk cover 100: four insurers, each taking a 30 line (carry 30): one cannot cover it
    candidates = [C(i, i, 2, 1, 30, 60 + i, covers_critical=True) for i in range(1, 5)]
    best = build_packages(candidates, [0, 0, 100], needs_critical_cover=True, count=1)[0]
    assert best.coverage[2] == 1.0
    panel = sorted(amount for c, amount in best.members)
    assert len(panel) == 4 and sum(panel) == 100 and max(panel) <= 30


def test_a_two_member_alternative_changes_both_members():
    # equity A or B, insurer F or G: the runner-up of A+F is B+G, never A+G or B+F
    candidates = [
        C(1, 1, 0, 1, 100, 90),
        C(2, 2, 0, 1, 100, 80),
        C(3, 3, 2, 1, 100, 90, covers_critical=True),
        C(4, 4, 2, 1, 100, 80, covers_critical=True),
    ]
    best, second = build_packages(candidates, [100, 0, 100], needs_critical_cover=True, count=2)
    assert {c.key for c, _ in best.members} == {1, 3}
    assert {c.key for c, _ in second.members} == {2, 4}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(1, 60), st.integers(1, 99)),
        min_size=2,
        max_size=9,
    )
)
def test_every_later_package_keeps_at_most_what_the_rule_allows(rows):
    candidates = [
        C(key, key, instrument, 1, carry, score)
        for key, (instrument, carry, score) in enumerate(rows, start=1)
    ]
    packages = build_packages(candidates, [100, 100, 100], needs_critical_cover=False)
    found = [{c.key for c, _ in package.members} for package in packages]
    for earlier, later in itertools.combinations(found, 2):
        shared = len(earlier & later)
        assert shared <= max(shared_at_most(len(earlier)), shared_at_most(len(later))), (
            earlier,
            later,
        )


def test_a_round_larger_than_any_ticket_is_shared_by_a_syndicate_with_a_lead():
    # equity 5,000: funds carrying 800, 1,500, 1,200 and 2,000 (the last one only follows);
    # the firm seeks a lead: the package holds a member able to lead (≥ 20 % = 1,000)
    candidates = [
        C(1, 1, 0, 100, 800, 95),
        C(2, 2, 0, 100, 1500, 60),
        C(3, 3, 0, 100, 1200, 70),
        C(4, 4, 0, 100, 2000, 90, can_lead=False),
    ]
    best = build_packages(
        candidates, [5000, 0, 0], needs_critical_cover=False, count=1, wants_lead=(True,) * 3
    )[0]
    # the best scores carry the most: 4 puts in 2,000, 1 800, 3 1,200 and 2 the last 1,000
    assert sorted((c.key, amount) for c, amount in best.members) == [
        (1, 800),
        (2, 1000),
        (3, 1200),
        (4, 2000),
    ]
    # the largest member able to lead leads: 4 puts in more but only follows
    roles = syndicate_roles(best, [5000, 0, 0])
    assert roles == {3: "lead", 1: "participant", 2: "participant", 4: "participant"}


def test_a_firm_seeking_a_lead_gets_one_even_at_a_lower_score():
    # equity 1,000: a follower carrying it all (score 99) or a lead-capable fund (score 50)
    candidates = [C(1, 1, 0, 10, 1000, 99, can_lead=False), C(2, 2, 0, 10, 300, 50)]
    led = build_packages(
        candidates, [1000, 0, 0], needs_critical_cover=False, count=1, wants_lead=(True,) * 3
    )[0]
    assert 2 in {c.key for c, _amount in led.members}
    free = build_packages(candidates, [1000, 0, 0], needs_critical_cover=False, count=1)[0]
    assert [c.key for c, _amount in free.members] == [1]
    assert syndicate_roles(free, [1000, 0, 0]) == {1: "participant"}  # it never leads


def test_one_member_carrying_the_whole_need_is_its_sole_financier():
    best = build_packages([C(1, 1, 1, 10, 500, 80)], [0, 400, 0], needs_critical_cover=False)[0]
    assert syndicate_roles(best, [0, 400, 0]) == {1: "sole"}


def test_a_spent_budget_answers_with_the_greedy_package_without_solving(monkeypatch):
    """One project's packages are ready within the budget: spent, the solver is not run
    and the greedy package is the answer (marked not exact)."""
    from matchmaker.engine import packages

    def no_solver(*_args, **_kwargs):
        raise AssertionError("the solver ran with no budget left")

    monkeypatch.setattr(packages, "_solve", no_solver)
    candidates = [C(1, 1, 0, 10, 60, 80), C(2, 2, 0, 10, 50, 70)]
    (only,) = build_packages(candidates, [100, 0, 0], needs_critical_cover=False, budget=0)
    assert not only.exact
    assert sorted((c.key, amount) for c, amount in only.members) == [(1, 60), (2, 40)]


def test_a_budget_left_is_spent_on_the_exact_packages():
    candidates = [C(1, 1, 0, 10, 60, 80), C(2, 2, 0, 10, 50, 70), C(3, 3, 0, 10, 100, 50)]
    found = build_packages(candidates, [100, 0, 0], needs_critical_cover=False, budget=60)
    assert found[0].exact and len(found) > 1
