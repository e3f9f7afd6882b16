"""The obviously-correct engine: one pair at a time, in plain Python.

For tests and the benchmark only. `criteria.py` must agree with it on every input.
"""

import math

from . import rules
from .facts import (
    CREDIT,
    MAX_TRL,
    N_EXPOSURES,
    RISK_COVER,
    OfferingFacts,
    ProjectFacts,
    horizon_months,
    normalised_weights,
)

# The hard rules (screens), in the order they are checked. `matching/why.py` names the
# first one each offering fails when a need finds no match.
SCREENS = ("need", "ticket", "capacity", "trl", "segment", "stage", "region", "exposures")


def failed_screen(project: ProjectFacts, offering: OfferingFacts) -> str | None:
    """The first hard rule the pair fails, or None when it is eligible."""
    need = project.needs[offering.instrument]
    checks = (
        need > 0,
        offering.ticket_min <= need,
        offering.capacity_left >= offering.ticket_min,
        offering.trl_min <= project.trl <= offering.trl_max,
        not offering.segments or project.segment in offering.segments,
        not offering.stages or project.stage in offering.stages,
        not offering.regions or project.region in offering.regions,
        not (
            offering.instrument == RISK_COVER
            and offering.exposures_covered
            and not (project.exposures & offering.exposures_covered)
        ),
    )
    for screen, passed in zip(SCREENS, checks, strict=True):
        if not passed:
            return screen
    return None


def eligible(project: ProjectFacts, offering: OfferingFacts) -> bool:
    return failed_screen(project, offering) is None


def segment(project, offering) -> float:
    if not offering.segments:
        return rules.GENERALIST_SEGMENT
    if project.segment not in offering.segments:
        return 0.0
    return 1.0 - rules.FOCUS_STEP * (len(offering.segments) - 1)


def stage(project, offering) -> float:
    if not offering.stages:
        return rules.STAGE_PREFERENCE[offering.instrument][project.stage]
    return 1.0 if project.stage in offering.stages else 0.0


def trl(project, offering) -> float:
    if not offering.trl_min <= project.trl <= offering.trl_max:
        return 0.0
    width = offering.trl_max - offering.trl_min
    if width == 0:
        return 1.0
    return rules.TRL_FLOOR + (1 - rules.TRL_FLOOR) * (project.trl - offering.trl_min) / width


def ticket(project, offering) -> float:
    need = project.needs[offering.instrument]
    if need <= 0:
        return 0.0
    coverage = min(offering.ticket_max, offering.capacity_left, need) / need
    if coverage <= 0:
        return 0.0
    return min(1.0, max(0.0, 1.0 + rules.TICKET_LOG_SLOPE * math.log10(coverage)))


def tenor(project, offering) -> float:
    if offering.instrument == RISK_COVER:
        needed = rules.INSURANCE_POLICY_MONTHS
    else:
        needed = horizon_months(project.months_to_revenue, project.months_to_break_even)
    return min(1.0, offering.max_tenor_months / max(needed, 1))


def risk(project, offering) -> float:
    if offering.instrument == RISK_COVER:
        if not offering.exposures_covered or not project.exposures:
            return rules.UNLISTED_COVER
        return len(project.exposures & offering.exposures_covered) / len(project.exposures)
    project_risk = rules.EXPOSURE_SHARE * len(project.exposures) / N_EXPOSURES + (
        1 - rules.EXPOSURE_SHARE
    ) * (MAX_TRL - project.trl) / (MAX_TRL - 1)
    excess = max(0.0, project_risk - rules.APPETITE_TOLERANCE[offering.appetite])
    return min(1.0, max(0.0, 1.0 - rules.RISK_FALL * excess))


def geography(project, offering) -> float:
    if not offering.regions:
        return rules.REGION_PRIORITY[project.region]
    return 1.0 if project.region in offering.regions else 0.0


def collateral(project, offering) -> float:
    if offering.instrument != CREDIT or not offering.collateral_required:
        return 1.0
    return 1.0 if project.collateral & offering.collateral_required else rules.MISSING_COLLATERAL


CRITERION_FUNCTIONS = (segment, stage, trl, ticket, tenor, risk, geography, collateral)


def components(project: ProjectFacts, offering: OfferingFacts) -> list[float]:
    return [function(project, offering) for function in CRITERION_FUNCTIONS]


def score(project: ProjectFacts, offering: OfferingFacts) -> float | None:
    """0–100 for an eligible pair, None for a pair that must never be stored."""
    if not eligible(project, offering):
        return None
    weights = normalised_weights(offering.weights)
    return 100.0 * sum(w * v for w, v in zip(weights, components(project, offering), strict=True))
