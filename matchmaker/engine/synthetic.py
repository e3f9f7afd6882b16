"""Synthetic projects and offerings shaped like ../shared/DOMAIN.md, for the benchmark."""

import random
from dataclasses import replace

from .facts import (
    CREDIT,
    EQUITY,
    N_COLLATERAL,
    N_CRITERIA,
    N_EXPOSURES,
    N_FLIGHT_RECORDS,
    N_OFFERING_ROLES,
    N_PROVINCES,
    N_REGIONS,
    N_REVENUE_STATUSES,
    N_ROUND_ROLES,
    N_SEGMENTS,
    N_STAGES,
    RISK_COVER,
    OfferingFacts,
    ProjectFacts,
)

STAGE_TRL = ((1, 3), (2, 4), (4, 6), (5, 7), (6, 8), (7, 9), (8, 9))
MILLION = 1_000_000


def _sample(rng: random.Random, population: int, low: int, high: int) -> frozenset[int]:
    return frozenset(rng.sample(range(population), rng.randint(low, high)))


def project(rng: random.Random) -> ProjectFacts:
    stage = rng.randrange(N_STAGES)
    needs = [rng.choice([5, 20, 50, 120, 300, 800]) * MILLION, 0, 0]
    if stage >= 3 or rng.random() < 0.4:
        needs[CREDIT] = rng.choice([10, 30, 100, 300]) * MILLION
    if stage >= 3 or rng.random() < 0.3:
        needs[RISK_COVER] = rng.choice([50, 200, 600, 1500]) * MILLION
    if rng.random() < 0.15:
        needs[EQUITY] = 0
    revenue = rng.choice([0, 6, 12, 24, 36, 60, 84, 120])
    return ProjectFacts(
        segment=rng.randrange(N_SEGMENTS),
        stage=stage,
        trl=rng.randint(*STAGE_TRL[stage]),
        needs=tuple(needs),
        months_to_revenue=revenue,
        months_to_break_even=revenue + rng.choice([0, 12, 24, 48]),
        exposures=_sample(rng, N_EXPOSURES, 0, 4),
        collateral=_sample(rng, N_COLLATERAL, 0, 2),
        region=rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 6]),
    )


def offering(rng: random.Random) -> OfferingFacts:
    instrument = rng.choice([EQUITY, EQUITY, CREDIT, CREDIT, RISK_COVER])
    ticket_min = rng.choice([1, 5, 10, 20, 50]) * MILLION
    ticket_max = ticket_min * rng.choice([10, 20, 50, 100])
    trl_min = rng.randint(1, 7)
    return OfferingFacts(
        instrument=instrument,
        ticket_min=ticket_min,
        ticket_max=ticket_max,
        capacity_left=rng.choice([0, 1, 5, 20]) * ticket_max,
        max_tenor_months=rng.choice([12, 24, 36, 60, 84, 120]),
        weights=tuple(rng.choice([0, 1, 1, 2, 3]) for _ in range(N_CRITERIA)),
        segments=_sample(rng, N_SEGMENTS, 0, 5),
        stages=frozenset() if rng.random() < 0.6 else _sample(rng, N_STAGES, 2, 5),
        trl_min=trl_min,
        trl_max=rng.randint(trl_min, 9),
        appetite=rng.randrange(3),
        exposures_covered=_sample(rng, N_EXPOSURES, 1, 3)
        if instrument == RISK_COVER
        else frozenset(),
        regions=frozenset() if rng.random() < 0.8 else _sample(rng, N_REGIONS, 1, 3),
        collateral_required=_sample(rng, N_COLLATERAL, 0, 2)
        if instrument == CREDIT
        else frozenset(),
    )


def with_track_record(rng: random.Random, project: ProjectFacts) -> ProjectFacts:
    """Flight record and revenue that follow the stage; where the firm sits and works."""
    flown = project.stage >= 4 or rng.random() < 0.05
    # Shanghai (0) for a Shanghai district; another province for the last region (outside)
    province = rng.randrange(1, N_PROVINCES) if project.region == N_REGIONS - 1 else 0
    return replace(
        project,
        flight_record=rng.randrange(2, N_FLIGHT_RECORDS) if flown else rng.randrange(2),
        revenue_status=rng.randrange(N_REVENUE_STATUSES) if project.stage >= 5 else 0,
        round_role=rng.randrange(N_ROUND_ROLES),
        registered_in=province if rng.random() < 0.8 else rng.randrange(N_PROVINCES),
        works_in=province,
    )


def with_mandate(rng: random.Random, offering: OfferingFacts) -> OfferingFacts:
    """Sweet spots for half the offerings; lenders and insurers that ask for a flight record
    or revenue; state funds that ask for local presence; insurers that take a line."""
    lender = offering.instrument != EQUITY
    sweet = rng.random() < 0.5
    return replace(
        offering,
        preferred_trl=rng.randint(offering.trl_min, offering.trl_max) if sweet else 0,
        preferred_ticket=rng.randint(offering.ticket_min, offering.ticket_max) if sweet else 0,
        min_flight_record=rng.choice([0, 2, 2]) if lender else 0,
        min_revenue_status=rng.choice([0, 1]) if offering.instrument == CREDIT else 0,
        round_role=rng.randrange(N_OFFERING_ROLES) if not lender else 1,
        presence=_sample(rng, N_PROVINCES, 1, 2) if rng.random() < 0.1 else frozenset(),
        line_share=rng.choice([0.2, 0.3, 0.5]) if offering.instrument == RISK_COVER else 1.0,
    )


def _with_facts(seed: int, projects: list, offerings: list) -> tuple[list, list]:
    """The new facts drawn from their own stream, so the older facts stay as they were."""
    rng = random.Random(seed * 7919)
    return (
        [with_track_record(rng, p) for p in projects],
        [with_mandate(rng, o) for o in offerings],
    )


def world(projects: int, offerings: int, seed: int = 7):
    rng = random.Random(seed)
    return _with_facts(
        seed,
        [project(rng) for _ in range(projects)],
        [offering(rng) for _ in range(offerings)],
    )


# A market shaped like the real one rather than uniform noise: most projects are early and
# seek equity only; banks and insurers screen at TRL 7 and above; a few large offerings.
EARLY_STAGES = (0, 1, 2, 3)


def market_project(rng: random.Random) -> ProjectFacts:
    early = rng.random() < 0.7
    stage = rng.choice(EARLY_STAGES) if early else rng.randrange(3, N_STAGES)
    needs = [rng.choice([5, 10, 20, 50, 100]) * MILLION, 0, 0]
    if not early:
        needs[CREDIT] = rng.choice([30, 100, 300]) * MILLION if rng.random() < 0.6 else 0
        needs[RISK_COVER] = rng.choice([200, 600, 1500]) * MILLION if rng.random() < 0.5 else 0
    revenue = rng.choice([24, 36, 60, 84, 120]) if early else rng.choice([0, 6, 12, 24])
    return ProjectFacts(
        segment=rng.randrange(N_SEGMENTS),
        stage=stage,
        trl=rng.randint(*STAGE_TRL[stage]),
        needs=tuple(needs),
        months_to_revenue=revenue,
        months_to_break_even=revenue + rng.choice([12, 24, 48]),
        exposures=_sample(rng, N_EXPOSURES, 0, 3),
        collateral=_sample(rng, N_COLLATERAL, 0, 2),
        region=rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 6]),
    )


def market_offering(rng: random.Random) -> OfferingFacts:
    instrument = rng.choice([EQUITY] * 6 + [CREDIT] * 3 + [RISK_COVER])
    large = rng.random() < 0.05
    ticket_min = (rng.choice([50, 100]) if large else rng.choice([1, 5, 10, 20])) * MILLION
    ticket_max = ticket_min * rng.choice([10, 20])
    trl_min = rng.randint(1, 5) if instrument == EQUITY else rng.randint(7, 8)
    return OfferingFacts(
        instrument=instrument,
        ticket_min=ticket_min,
        ticket_max=ticket_max,
        capacity_left=rng.choice([1, 5, 20]) * ticket_max,
        max_tenor_months=rng.choice([24, 60, 84, 120]),
        weights=tuple(rng.choice([1, 1, 2]) for _ in range(N_CRITERIA)),
        segments=frozenset() if rng.random() < 0.5 else _sample(rng, N_SEGMENTS, 1, 4),
        stages=frozenset(),
        trl_min=trl_min,
        trl_max=9,
        appetite=rng.randrange(3),
        exposures_covered=_sample(rng, N_EXPOSURES, 1, 3)
        if instrument == RISK_COVER
        else frozenset(),
        regions=frozenset() if rng.random() < 0.85 else _sample(rng, N_REGIONS, 1, 2),
        collateral_required=_sample(rng, N_COLLATERAL, 0, 1)
        if instrument == CREDIT
        else frozenset(),
    )


def market_world(projects: int, offerings: int, seed: int = 11):
    rng = random.Random(seed)
    return _with_facts(
        seed,
        [market_project(rng) for _ in range(projects)],
        [market_offering(rng) for _ in range(offerings)],
    )
