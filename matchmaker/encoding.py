"""Projects and offerings from the ORM as engine facts (codes become indices)."""

import numpy as np
from django.db.models import Prefetch
from django.utils import timezone

from investors.models import Offering
from projects.models import FundingNeed, Project

from .engine.facts import OfferingFacts, ProjectFacts
from .vocabulary import (
    Collateral,
    Criterion,
    Exposure,
    Instrument,
    Region,
    RiskAppetite,
    Segment,
    Stage,
)


def _index(choices) -> dict[str, int]:
    return {code: position for position, code in enumerate(choices.values)}


SEGMENT = _index(Segment)
STAGE = _index(Stage)
REGION = _index(Region)
EXPOSURE = _index(Exposure)
INSTRUMENT = _index(Instrument)
APPETITE = _index(RiskAppetite)
COLLATERAL = {
    code: position
    for position, code in enumerate(c for c in Collateral.values if c != Collateral.NONE)
}


def _indices(codes, mapping) -> frozenset[int]:
    return frozenset(mapping[code] for code in codes if code in mapping)


def project_facts(project: Project) -> ProjectFacts:
    needs = [0] * len(INSTRUMENT)
    for need in project.needs.all():
        needs[INSTRUMENT[need.instrument]] = need.amount
    return ProjectFacts(
        segment=SEGMENT[project.segment],
        stage=STAGE[project.stage],
        trl=project.trl,
        needs=tuple(needs),
        months_to_revenue=project.months_to_revenue,
        months_to_break_even=project.months_to_break_even,
        exposures=_indices(project.exposures, EXPOSURE),
        collateral=_indices(project.collateral, COLLATERAL),
        region=REGION[project.region],
    )


def offering_weights(offering: Offering, defaults: dict) -> tuple[float, ...]:
    own = offering.weights or {}
    return tuple(float(own.get(name, defaults.get(name, 1.0))) for name in Criterion.values)


def offering_facts(offering: Offering, defaults: dict) -> OfferingFacts:
    return OfferingFacts(
        instrument=INSTRUMENT[offering.instrument],
        ticket_min=offering.ticket_min,
        ticket_max=offering.ticket_max,
        capacity_left=offering.capacity_left,
        max_tenor_months=offering.max_tenor_months,
        weights=offering_weights(offering, defaults),
        segments=_indices(offering.segments, SEGMENT),
        stages=_indices(offering.stages, STAGE),
        trl_min=offering.trl_min,
        trl_max=offering.trl_max,
        appetite=APPETITE[offering.risk_appetite],
        exposures_covered=_indices(offering.exposures_covered, EXPOSURE),
        regions=_indices(offering.regions, REGION),
        collateral_required=_indices(offering.collateral_required, COLLATERAL),
    )


def matchable_projects():
    """Submitted projects of verified firms, with their needs in one extra query."""
    return Project.objects.submitted().prefetch_related(
        Prefetch("needs", queryset=FundingNeed.objects.only("project_id", "instrument", "amount"))
    )


def live_offerings():
    return Offering.objects.live(timezone.localdate())


def ids_of(records) -> np.ndarray:
    return np.array([record.pk for record in records], dtype=np.int64)
