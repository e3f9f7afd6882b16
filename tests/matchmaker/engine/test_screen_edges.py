"""Every hard rule at its edge, written by hand: the value on the edge passes, one step
past it fails with that rule named, in the reference and in both vectorised paths.

Hypothesis finds these edges only sometimes; a `<=` turned into `<` must fail here every
run.
"""

import dataclasses

import numpy as np
import pytest

from matchmaker.engine import reference
from matchmaker.engine.blocks import OfferingTables
from matchmaker.engine.criteria import score_pairs
from matchmaker.engine.facts import (
    CREDIT,
    N_CRITERIA,
    RISK_COVER,
    OfferingFacts,
    ProjectFacts,
    encode_offerings,
    encode_projects,
)

M = 1_000_000

PROJECT = ProjectFacts(
    segment=2,
    stage=3,
    trl=6,
    needs=(0, 100 * M, 0),
    months_to_revenue=24,
    months_to_break_even=48,
    exposures=frozenset({0, 1}),
    collateral=frozenset({0}),
    region=0,
    flight_record=1,
    revenue_status=1,
    registered_in=3,
    works_in=3,
)
OFFERING = OfferingFacts(
    instrument=CREDIT,
    ticket_min=10 * M,
    ticket_max=200 * M,
    capacity_left=1_000 * M,
    max_tenor_months=60,
    weights=(1.0,) * N_CRITERIA,
)


def vectorised_eligible(project: ProjectFacts, offering: OfferingFacts) -> tuple[bool, bool]:
    """(direct criteria path, tabulated block path) eligibility of one pair."""
    projects, offerings = encode_projects([project]), encode_offerings([offering])
    eligible, _scores, _values = score_pairs(projects, offerings, 0, 0)
    block = OfferingTables(offerings).score_block(projects)
    return bool(eligible), bool(np.isfinite(block[0, 0]))


def assert_eligible(project, offering):
    assert reference.failed_screen(project, offering) is None
    assert vectorised_eligible(project, offering) == (True, True)


def assert_fails(project, offering, screen):
    assert reference.failed_screen(project, offering) == screen
    assert vectorised_eligible(project, offering) == (False, False)


def test_the_base_pair_is_eligible():
    assert_eligible(PROJECT, OFFERING)


def test_a_need_of_exactly_the_smallest_ticket_passes_and_one_yuan_less_fails():
    at_edge = dataclasses.replace(PROJECT, needs=(0, OFFERING.ticket_min, 0))
    assert_eligible(at_edge, OFFERING)
    below = dataclasses.replace(PROJECT, needs=(0, OFFERING.ticket_min - 1, 0))
    assert_fails(below, OFFERING, "ticket")


def test_no_need_for_the_instrument_fails_the_need_screen():
    assert_fails(dataclasses.replace(PROJECT, needs=(100 * M, 0, 0)), OFFERING, "need")


def test_capacity_of_exactly_the_smallest_ticket_passes_and_one_yuan_less_fails():
    assert_eligible(PROJECT, dataclasses.replace(OFFERING, capacity_left=OFFERING.ticket_min))
    short = dataclasses.replace(OFFERING, capacity_left=OFFERING.ticket_min - 1)
    assert_fails(PROJECT, short, "capacity")


@pytest.mark.parametrize("trl", [4, 8])
def test_trl_on_either_end_of_the_range_passes(trl):
    offering = dataclasses.replace(OFFERING, trl_min=4, trl_max=8)
    assert_eligible(dataclasses.replace(PROJECT, trl=trl), offering)


@pytest.mark.parametrize("trl", [3, 9])
def test_trl_one_step_outside_the_range_fails(trl):
    offering = dataclasses.replace(OFFERING, trl_min=4, trl_max=8)
    assert_fails(dataclasses.replace(PROJECT, trl=trl), offering, "trl")


def test_segment_stage_and_region_lists_admit_members_and_refuse_others():
    assert_eligible(PROJECT, dataclasses.replace(OFFERING, segments=frozenset({2})))
    assert_fails(PROJECT, dataclasses.replace(OFFERING, segments=frozenset({1})), "segment")
    assert_eligible(PROJECT, dataclasses.replace(OFFERING, stages=frozenset({3})))
    assert_fails(PROJECT, dataclasses.replace(OFFERING, stages=frozenset({2, 4})), "stage")
    assert_eligible(PROJECT, dataclasses.replace(OFFERING, regions=frozenset({0})))
    assert_fails(PROJECT, dataclasses.replace(OFFERING, regions=frozenset({1})), "region")


def test_an_insurer_needs_one_shared_exposure():
    insured = dataclasses.replace(PROJECT, needs=(0, 0, 50 * M))
    cover = dataclasses.replace(OFFERING, instrument=RISK_COVER)
    assert_eligible(insured, dataclasses.replace(cover, exposures_covered=frozenset({1, 5})))
    assert_fails(insured, dataclasses.replace(cover, exposures_covered=frozenset({5})), "exposures")
    # a lender's exposure list is no screen
    assert_eligible(PROJECT, dataclasses.replace(OFFERING, exposures_covered=frozenset({5})))


def test_flight_record_and_revenue_minimums_admit_the_level_itself():
    assert_eligible(PROJECT, dataclasses.replace(OFFERING, min_flight_record=1))
    assert_fails(PROJECT, dataclasses.replace(OFFERING, min_flight_record=2), "flight_record")
    assert_eligible(PROJECT, dataclasses.replace(OFFERING, min_revenue_status=1))
    assert_fails(PROJECT, dataclasses.replace(OFFERING, min_revenue_status=2), "revenue")


def test_presence_admits_where_the_firm_works_or_is_registered():
    assert_eligible(PROJECT, dataclasses.replace(OFFERING, presence=frozenset({3})))
    registered_only = dataclasses.replace(PROJECT, works_in=5)
    assert_eligible(registered_only, dataclasses.replace(OFFERING, presence=frozenset({3})))
    working_only = dataclasses.replace(PROJECT, registered_in=5)
    assert_eligible(working_only, dataclasses.replace(OFFERING, presence=frozenset({3})))
    assert_fails(PROJECT, dataclasses.replace(OFFERING, presence=frozenset({4})), "presence")
