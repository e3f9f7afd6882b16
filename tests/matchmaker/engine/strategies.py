"""Hypothesis strategies for engine facts."""

from dataclasses import replace

from hypothesis import strategies as st

from matchmaker.engine.facts import (
    N_COLLATERAL,
    N_CRITERIA,
    N_EXPOSURES,
    N_FLIGHT_RECORDS,
    N_INSTRUMENTS,
    N_OFFERING_ROLES,
    N_PROVINCES,
    N_REGIONS,
    N_REVENUE_STATUSES,
    N_ROUND_ROLES,
    N_SEGMENTS,
    N_STAGES,
    OfferingFacts,
    ProjectFacts,
)

amounts = st.sampled_from([0, 1, 5, 10, 50, 100, 500, 2000]).map(lambda m: m * 1_000_000)


def code_sets(size: int, max_size: int | None = None):
    return st.frozensets(st.integers(0, size - 1), max_size=max_size or size)


@st.composite
def projects(draw):
    return ProjectFacts(
        segment=draw(st.integers(0, N_SEGMENTS - 1)),
        stage=draw(st.integers(0, N_STAGES - 1)),
        trl=draw(st.integers(1, 9)),
        needs=tuple(draw(amounts) for _ in range(N_INSTRUMENTS)),
        months_to_revenue=draw(st.integers(0, 180)),
        months_to_break_even=draw(st.integers(0, 240)),
        exposures=draw(code_sets(N_EXPOSURES)),
        collateral=draw(code_sets(N_COLLATERAL)),
        region=draw(st.integers(0, N_REGIONS - 1)),
        flight_record=draw(st.integers(0, N_FLIGHT_RECORDS - 1)),
        revenue_status=draw(st.integers(0, N_REVENUE_STATUSES - 1)),
        round_role=draw(st.integers(0, N_ROUND_ROLES - 1)),
        registered_in=draw(st.integers(0, N_PROVINCES - 1)),
        works_in=draw(st.integers(0, N_PROVINCES - 1)),
        tools=draw(st.frozensets(st.integers(0, 2))),
        # #25: country keys 0 (unknown) to 3, so offerings' small sets often meet them
        registered_country=draw(st.integers(0, 3)),
        works_country=draw(st.integers(0, 3)),
    )


@st.composite
def offerings(draw):
    trl_min = draw(st.integers(1, 9))
    trl_max = draw(st.integers(trl_min, 9))
    ticket_min = draw(amounts.filter(bool))
    ticket_max = ticket_min * draw(st.sampled_from([1, 3, 10, 100]))
    return OfferingFacts(
        instrument=draw(st.integers(0, N_INSTRUMENTS - 1)),
        ticket_min=ticket_min,
        ticket_max=ticket_max,
        capacity_left=draw(st.sampled_from([0, 1, 50, 10_000])) * 1_000_000,
        max_tenor_months=draw(st.integers(1, 180)),
        weights=tuple(draw(st.sampled_from([0, 0.5, 1, 2, 10])) for _ in range(N_CRITERIA)),
        segments=draw(code_sets(N_SEGMENTS, 4)),
        stages=draw(code_sets(N_STAGES, 4)),
        trl_min=trl_min,
        trl_max=trl_max,
        appetite=draw(st.integers(0, 2)),
        exposures_covered=draw(code_sets(N_EXPOSURES, 3)),
        regions=draw(code_sets(N_REGIONS, 2)),
        collateral_required=draw(code_sets(N_COLLATERAL, 2)),
        preferred_stage=draw(st.integers(-1, N_STAGES - 1)),
        preferred_trl=draw(st.sampled_from([0, trl_min, trl_max])),
        preferred_ticket=draw(st.sampled_from([0, ticket_min, ticket_max])),
        min_flight_record=draw(st.integers(0, N_FLIGHT_RECORDS - 1)),
        min_revenue_status=draw(st.integers(0, N_REVENUE_STATUSES - 1)),
        round_role=draw(st.integers(0, N_OFFERING_ROLES - 1)),
        presence=draw(code_sets(N_PROVINCES, 3)),
        line_share=draw(st.sampled_from([1.0, 0.5, 0.2, 0.05, 0.04])),
        countries=draw(st.frozensets(st.integers(1, 3), max_size=2)),
        content_countries=draw(st.frozensets(st.integers(1, 3), max_size=2)),
        home_content=draw(st.booleans()),
        guarantee=draw(st.booleans()),
        content=draw(st.sampled_from([frozenset(), *(frozenset({p}) for p in range(3))])),
    )


@st.composite
def with_covered_variants(draw, own: list[OfferingFacts]) -> list[OfferingFacts]:
    """The offerings' own rows, then covered variants of some of them: relaxed TRL,
    pre-revenue allowed, a larger ticket, each needing one of three tools."""
    rows = list(own)
    for position, offering in enumerate(own):
        for tool in draw(st.frozensets(st.integers(0, 2), max_size=2)):
            rows.append(
                replace(
                    offering,
                    trl_min=draw(st.integers(1, offering.trl_min)),
                    min_revenue_status=draw(st.integers(0, offering.min_revenue_status)),
                    ticket_max=offering.ticket_max * draw(st.sampled_from([1, 2, 10])),
                    tool=tool,
                    variant_of=position,
                )
            )
    return rows
