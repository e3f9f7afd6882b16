"""Plain facts about projects and offerings, and their encoding into NumPy arrays.

Categorical codes arrive as small integers (their position in the vocabulary lists of
../shared/DOMAIN.md); sets of codes become bitmasks. The adapter does the code → index
mapping, so this package never needs Django.

The sizes below are the one place the engine learns how many codes each vocabulary has;
`matchmaker.matching.encoding` refuses to start when they disagree with
`matchmaker.vocabulary` (bitmask tables would silently be wrong), and a test checks it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

N_SEGMENTS = 8
N_STAGES = 7
N_REGIONS = 7
N_EXPOSURES = 7
N_COLLATERAL = 4  # equipment, ip, receivables, real_estate ("none" is the empty set)
N_INSTRUMENTS = 3
N_APPETITES = 3
N_PROVINCES = 12  # where a firm is registered and where a project's work happens
N_FLIGHT_RECORDS = 4  # not flown, the firm's earlier products flew, first flight, proven
N_REVENUE_STATUSES = 3  # pre-revenue, revenue, profitable
N_ROUND_ROLES = 3  # what a project seeks: lead, follow-on, either
N_OFFERING_ROLES = 3  # what a fund does: leads, leads or follows, follows only
N_COUNTRIES = 249  # ISO 3166-1 alpha-2 codes (#25)
# A country key: 0 = unknown (the project did not say), 1 + the code's position otherwise
N_COUNTRY_KEYS = N_COUNTRIES + 1
UNKNOWN_COUNTRY = 0
EQUITY, CREDIT, RISK_COVER = 0, 1, 2
MAX_TRL = 9
MAX_FLIGHT_RECORD = N_FLIGHT_RECORDS - 1
MAX_REVENUE_STATUS = N_REVENUE_STATUSES - 1
ROLE_EITHER = 2  # a project that takes a lead or a follower
ROLE_FLEXIBLE = 1  # an offering that leads or follows
NO_SWEET_SPOT = 0  # a preferred TRL or ticket of 0, or a stage of -1: none given
NO_TOOL = -1
MAX_TOOLS = 63  # programme tools a project's bitmask (int64) can hold

CRITERIA = ("segment", "stage", "trl", "ticket", "tenor", "risk", "geography", "collateral")
N_CRITERIA = len(CRITERIA)
(SEGMENT, STAGE, TRL, TICKET, TENOR, RISK, GEOGRAPHY, COLLATERAL) = range(N_CRITERIA)


@dataclass(frozen=True)
class ProjectFacts:
    segment: int
    stage: int
    trl: int
    needs: tuple[int, int, int]  # RMB sought per instrument (equity, credit, risk cover); 0 = none
    months_to_revenue: int
    months_to_break_even: int
    exposures: frozenset[int] = field(default_factory=frozenset)
    collateral: frozenset[int] = field(default_factory=frozenset)
    region: int = 0
    flight_record: int = 0  # ordinal, see N_FLIGHT_RECORDS
    revenue_status: int = 0  # ordinal, see N_REVENUE_STATUSES
    round_role: int = ROLE_EITHER
    registered_in: int = 0  # province index
    works_in: int = 0  # province index
    tools: frozenset[int] = field(default_factory=frozenset)  # programme tools that apply
    # #25: country keys (see N_COUNTRY_KEYS) of the firm's registration and of where the
    # work happens (China's for a Chinese province; UNKNOWN_COUNTRY when not given)
    registered_country: int = UNKNOWN_COUNTRY
    works_country: int = UNKNOWN_COUNTRY


@dataclass(frozen=True)
class OfferingFacts:
    instrument: int
    ticket_min: int
    ticket_max: int
    capacity_left: int
    max_tenor_months: int
    weights: tuple[float, ...]  # one per criterion, in CRITERIA order
    segments: frozenset[int] = field(default_factory=frozenset)  # empty = every segment
    stages: frozenset[int] = field(default_factory=frozenset)  # empty = every stage
    trl_min: int = 1
    trl_max: int = 9
    appetite: int = 1  # 0 low, 1 medium, 2 high
    exposures_covered: frozenset[int] = field(default_factory=frozenset)
    regions: frozenset[int] = field(default_factory=frozenset)  # empty = everywhere
    collateral_required: frozenset[int] = field(default_factory=frozenset)
    preferred_stage: int = -1  # the sweet spot inside the accepted range; -1 = the default
    preferred_trl: int = NO_SWEET_SPOT
    preferred_ticket: int = NO_SWEET_SPOT
    min_flight_record: int = 0
    min_revenue_status: int = 0
    round_role: int = ROLE_FLEXIBLE
    presence: frozenset[int] = field(default_factory=frozenset)  # provinces; empty = none asked
    line_share: float = 1.0  # the share of one risk an insurer takes (its line), 0–1
    content: frozenset[int] = field(default_factory=frozenset)  # where the work must happen
    # A credit guarantee (a guarantee company's credit offering): fits firms without
    # collateral to pledge (`rules.GUARANTEE_NOT_NEEDED`).
    guarantee: bool = False
    # #25: country keys the firm must be registered in (a state lender's mandate) and
    # where the financed work must happen (an export-credit agency's exporters); empty:
    # none asked. A project whose country is unknown passes both.
    countries: frozenset[int] = field(default_factory=frozenset)
    content_countries: frozenset[int] = field(default_factory=frozenset)
    # #25: the country mandate covers where the financed work happens too (a state lender
    # lends against domestic jobs and spending, not for what is built abroad): the work's
    # country, when known, must be among `countries`. False: the registration only.
    home_content: bool = False
    # A covered variant: the offering's terms when programme tool `tool` applies (its
    # enrolment's covered terms), eligible only for projects that tool applies to, and
    # `variant_of` the position of the offering's own row. -1: the offering's own terms.
    tool: int = NO_TOOL
    variant_of: int = NO_TOOL


def bitmask(indices) -> int:
    mask = 0
    for index in indices:
        mask |= 1 << index
    return mask


@dataclass
class ProjectArrays:
    segment: np.ndarray  # int16 [P]
    stage: np.ndarray
    trl: np.ndarray
    needs: np.ndarray  # int64 [P, 3]
    horizon_months: np.ndarray  # int32 [P]: break-even, else first revenue
    exposures: np.ndarray  # int16 bitmask [P]
    collateral: np.ndarray  # int16 bitmask [P]
    region: np.ndarray
    flight_record: np.ndarray  # int16 [P]
    revenue_status: np.ndarray
    round_role: np.ndarray
    registered_in: np.ndarray
    works_in: np.ndarray
    tools: np.ndarray  # int64 bitmask [P]: the programme tools that apply
    registered_country: np.ndarray  # int16 [P]: country keys
    works_country: np.ndarray

    def __len__(self) -> int:
        return len(self.segment)

    def take(self, rows: np.ndarray) -> "ProjectArrays":
        return ProjectArrays(**{name: value[rows] for name, value in vars(self).items()})


@dataclass
class OfferingArrays:
    instrument: np.ndarray  # int16 [O]
    ticket_min: np.ndarray  # int64
    ticket_max: np.ndarray
    capacity_left: np.ndarray
    max_tenor: np.ndarray  # int32
    segments: np.ndarray  # int16 bitmasks
    stages: np.ndarray
    trl_min: np.ndarray
    trl_max: np.ndarray
    appetite: np.ndarray
    exposures_covered: np.ndarray
    regions: np.ndarray
    collateral_required: np.ndarray
    preferred_stage: np.ndarray  # int16, resolved: always a stage index
    preferred_trl: np.ndarray  # int16, resolved
    preferred_ticket: np.ndarray  # float64, resolved
    min_flight_record: np.ndarray
    min_revenue_status: np.ndarray
    round_role: np.ndarray
    presence: np.ndarray  # int16 bitmask of provinces
    line_share: np.ndarray  # float64
    content: np.ndarray  # int16 bitmask of provinces where the work must happen
    guarantee: np.ndarray  # bool [O]: a credit guarantee
    countries: np.ndarray  # bool [O, N_COUNTRY_KEYS]: registration countries asked
    content_countries: np.ndarray  # bool [O, N_COUNTRY_KEYS]: where the work must happen
    home_content: np.ndarray  # bool [O]: `countries` also screens where the work happens
    tool: np.ndarray  # int16 [O]: the tool a covered variant needs, NO_TOOL for own terms
    owner: np.ndarray  # int64 [O]: the position of the offering's own row (itself if own)
    weights: np.ndarray  # float64 [O, N_CRITERIA], each row summing to 1

    def __len__(self) -> int:
        return len(self.instrument)

    def take(self, columns: np.ndarray) -> "OfferingArrays":
        return OfferingArrays(**{name: value[columns] for name, value in vars(self).items()})


def horizon_months(months_to_revenue: int, months_to_break_even: int) -> int:
    """How long capital is tied up: to break-even when known, else to first revenue."""
    return months_to_break_even if months_to_break_even > 0 else months_to_revenue


def normalised_weights(weights: Sequence[float]) -> np.ndarray:
    weights = np.asarray(weights, dtype=np.float64)
    total = weights.sum()
    if total <= 0:
        return np.full(N_CRITERIA, 1.0 / N_CRITERIA)
    return weights / total


def encode_projects(projects: Sequence[ProjectFacts]) -> ProjectArrays:
    return ProjectArrays(
        segment=np.array([p.segment for p in projects], dtype=np.int16),
        stage=np.array([p.stage for p in projects], dtype=np.int16),
        trl=np.array([p.trl for p in projects], dtype=np.int16),
        needs=np.array([p.needs for p in projects], dtype=np.int64).reshape(-1, N_INSTRUMENTS),
        horizon_months=np.array(
            [horizon_months(p.months_to_revenue, p.months_to_break_even) for p in projects],
            dtype=np.int32,
        ),
        exposures=np.array([bitmask(p.exposures) for p in projects], dtype=np.int16),
        collateral=np.array([bitmask(p.collateral) for p in projects], dtype=np.int16),
        region=np.array([p.region for p in projects], dtype=np.int16),
        flight_record=np.array([p.flight_record for p in projects], dtype=np.int16),
        revenue_status=np.array([p.revenue_status for p in projects], dtype=np.int16),
        round_role=np.array([p.round_role for p in projects], dtype=np.int16),
        registered_in=np.array([p.registered_in for p in projects], dtype=np.int16),
        works_in=np.array([p.works_in for p in projects], dtype=np.int16),
        tools=np.array([bitmask(p.tools) for p in projects], dtype=np.int64),
        registered_country=np.array([p.registered_country for p in projects], dtype=np.int16),
        works_country=np.array([p.works_country for p in projects], dtype=np.int16),
    )


def encode_offerings(offerings: Sequence[OfferingFacts]) -> OfferingArrays:
    weights = np.array([normalised_weights(o.weights) for o in offerings], dtype=np.float64)
    return OfferingArrays(
        instrument=np.array([o.instrument for o in offerings], dtype=np.int16),
        ticket_min=np.array([o.ticket_min for o in offerings], dtype=np.int64),
        ticket_max=np.array([o.ticket_max for o in offerings], dtype=np.int64),
        capacity_left=np.array([o.capacity_left for o in offerings], dtype=np.int64),
        max_tenor=np.array([o.max_tenor_months for o in offerings], dtype=np.int32),
        segments=np.array([bitmask(o.segments) for o in offerings], dtype=np.int16),
        stages=np.array([bitmask(o.stages) for o in offerings], dtype=np.int16),
        trl_min=np.array([o.trl_min for o in offerings], dtype=np.int16),
        trl_max=np.array([o.trl_max for o in offerings], dtype=np.int16),
        appetite=np.array([o.appetite for o in offerings], dtype=np.int16),
        exposures_covered=np.array(
            [bitmask(o.exposures_covered) for o in offerings], dtype=np.int16
        ),
        regions=np.array([bitmask(o.regions) for o in offerings], dtype=np.int16),
        collateral_required=np.array(
            [bitmask(o.collateral_required) for o in offerings], dtype=np.int16
        ),
        preferred_stage=np.array([sweet_stage(o) for o in offerings], dtype=np.int16),
        preferred_trl=np.array([sweet_trl(o) for o in offerings], dtype=np.int16),
        preferred_ticket=np.array([sweet_ticket(o) for o in offerings], dtype=np.float64),
        min_flight_record=np.array([o.min_flight_record for o in offerings], dtype=np.int16),
        min_revenue_status=np.array([o.min_revenue_status for o in offerings], dtype=np.int16),
        round_role=np.array([o.round_role for o in offerings], dtype=np.int16),
        presence=np.array([bitmask(o.presence) for o in offerings], dtype=np.int16),
        line_share=np.array([o.line_share for o in offerings], dtype=np.float64),
        content=np.array([bitmask(o.content) for o in offerings], dtype=np.int16),
        guarantee=np.array([o.guarantee for o in offerings], dtype=bool),
        countries=country_sets([o.countries for o in offerings]),
        content_countries=country_sets([o.content_countries for o in offerings]),
        home_content=np.array([o.home_content for o in offerings], dtype=bool),
        tool=np.array([o.tool for o in offerings], dtype=np.int16),
        owner=np.array(
            [o.variant_of if o.variant_of >= 0 else at for at, o in enumerate(offerings)],
            dtype=np.int64,
        ),
        weights=weights.reshape(-1, N_CRITERIA),
    )


def country_sets(sets: Sequence[frozenset[int]]) -> np.ndarray:
    """Sets of country keys as a bool matrix [len(sets), N_COUNTRY_KEYS]."""
    table = np.zeros((len(sets), N_COUNTRY_KEYS), dtype=bool)
    for row, keys in enumerate(sets):
        table[row, list(keys)] = True
    return table


# Where an offering names no sweet spot, it is its accepted range's natural centre: the
# instrument's usual stage (lenders late, equity mid, insurers at first flight) moved into
# the stages it accepts; the top of its TRL range for lenders and insurers, which prefer
# the most proven, and the middle for equity; the geometric middle of its ticket range.
DEFAULT_STAGE = (3, 6, 4)  # qualification, commercial operation, first flight


def sweet_stage(offering: OfferingFacts) -> int:
    if offering.preferred_stage >= 0:
        return offering.preferred_stage
    usual = DEFAULT_STAGE[offering.instrument]
    if not offering.stages:
        return usual
    return min(max(usual, min(offering.stages)), max(offering.stages))


def sweet_trl(offering: OfferingFacts) -> int:
    if offering.preferred_trl != NO_SWEET_SPOT:
        return offering.preferred_trl
    if offering.instrument == EQUITY:
        return (offering.trl_min + offering.trl_max + 1) // 2
    return offering.trl_max


def sweet_ticket(offering: OfferingFacts) -> float:
    if offering.preferred_ticket != NO_SWEET_SPOT:
        return float(offering.preferred_ticket)
    return math.sqrt(max(offering.ticket_min, 1)) * math.sqrt(max(offering.ticket_max, 1))
