"""The obviously-correct engine: one pair at a time, in plain Python.

For tests and the benchmark only. `criteria.py` must agree with it on every input.
"""

import math

from . import rules, syndicate
from .facts import (
    CREDIT,
    MAX_FLIGHT_RECORD,
    MAX_REVENUE_STATUS,
    MAX_TRL,
    N_EXPOSURES,
    RISK_COVER,
    UNKNOWN_COUNTRY,
    OfferingFacts,
    ProjectFacts,
    horizon_months,
    normalised_weights,
    sweet_stage,
    sweet_ticket,
    sweet_trl,
)

# The hard rules (screens), in the order they are checked. `matching/why.py` names the
# first one each offering fails when a need finds no match.
SCREENS = (
    "need",
    "ticket",
    "share",
    "capacity",
    "trl",
    "segment",
    "stage",
    "region",
    "exposures",
    "flight_record",
    "revenue",
    "presence",
    "content",
    "country",
    "home_country",
    "content_country",
    "programme",
)


def domestic(project: ProjectFacts) -> bool:
    """The firm is registered where the work happens (both known): no export (#25)."""
    return project.registered_country == project.works_country != UNKNOWN_COUNTRY


def failed_screen(project: ProjectFacts, offering: OfferingFacts) -> str | None:
    """The first hard rule the pair fails, or None when it is eligible."""
    need = project.needs[offering.instrument]
    checks = (
        need > 0,
        offering.ticket_min <= need,
        syndicate.share_ok(
            need,
            min(offering.ticket_max, offering.capacity_left),
            offering.line_share,
            offering.instrument,
        ),
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
        project.flight_record >= offering.min_flight_record,
        project.revenue_status >= offering.min_revenue_status,
        not offering.presence
        or project.registered_in in offering.presence
        or project.works_in in offering.presence,
        not offering.content or project.works_in in offering.content,
        # #25: a country mandate; a project whose country is unknown (0) passes
        not offering.countries
        or project.registered_country == UNKNOWN_COUNTRY
        or project.registered_country in offering.countries,
        # #25: lending for work at home, the work's country (when known) is one of them too
        not (offering.home_content and offering.countries)
        or project.works_country == UNKNOWN_COUNTRY
        or project.works_country in offering.countries,
        not offering.content_countries
        or (
            (
                project.works_country == UNKNOWN_COUNTRY
                or project.works_country in offering.content_countries
            )
            and not domestic(project)
        ),
        offering.tool < 0 or offering.tool in project.tools,
    )
    for screen, passed in zip(SCREENS, checks, strict=True):
        if not passed:
            return screen
    return None


def eligible(project: ProjectFacts, offering: OfferingFacts) -> bool:
    return failed_screen(project, offering) is None


def closeness(distance: float, step: float) -> float:
    return min(1.0, max(0.0, 1.0 - step * abs(distance)))


def segment(project, offering) -> float:
    """A screen only: a thesis naming the segment is no better a fit than an open one."""
    return 1.0 if not offering.segments or project.segment in offering.segments else 0.0


def stage(project, offering) -> float:
    if offering.stages and project.stage not in offering.stages:
        return 0.0
    return closeness(project.stage - sweet_stage(offering), rules.STAGE_STEP)


def trl(project, offering) -> float:
    if not offering.trl_min <= project.trl <= offering.trl_max:
        return 0.0
    return closeness(project.trl - sweet_trl(offering), rules.TRL_STEP)


def carry(project, offering) -> float:
    """The most the offering can put into this project's need: its ticket and capacity,
    and for an insurer its line (its share of one risk)."""
    need = project.needs[offering.instrument]
    most = min(offering.ticket_max, offering.capacity_left)
    if offering.instrument == RISK_COVER:
        most = min(most, offering.line_share * need)
    return float(most)


def round_role(project, offering) -> float:
    """How the part the offering can take fits the part sought (the project's round role:
    a lead investor or arranger, follow-on money, either): a fund or lender that can put
    in less than the lead share of the need only follows (`syndicate.effective_role`)."""
    if offering.instrument == RISK_COVER:
        return 1.0
    need = project.needs[offering.instrument]
    amount = min(carry(project, offering), need)
    follows = offering.round_role == syndicate.FOLLOW_ONLY or syndicate.below_lead(amount, need)
    if follows:
        return rules.ROUND_ROLE_FIT[project.round_role][syndicate.FOLLOW_ONLY]
    if offering.instrument == CREDIT:
        return 1.0  # a lender able to arrange fits whatever part is sought
    return rules.ROUND_ROLE_FIT[project.round_role][offering.round_role]


def ticket(project, offering) -> float:
    need = project.needs[offering.instrument]
    if need <= 0:
        return 0.0
    amount = min(carry(project, offering), need)
    if amount <= 0:
        return 0.0
    coverage = min(1.0, max(0.0, 1.0 + rules.TICKET_LOG_SLOPE * math.log10(amount / need)))
    spot = closeness(math.log10(amount / sweet_ticket(offering)), rules.TICKET_SPOT_SLOPE)
    blended = (1 - rules.TICKET_SPOT_SHARE) * coverage + rules.TICKET_SPOT_SHARE * spot
    return blended * round_role(project, offering)


def tenor(project, offering) -> float:
    if offering.instrument == RISK_COVER:
        needed = rules.INSURANCE_POLICY_MONTHS
    else:
        needed = horizon_months(project.months_to_revenue, project.months_to_break_even)
    ratio = offering.max_tenor_months / max(needed, 1)
    if ratio <= 1.0 or offering.instrument == RISK_COVER:
        return min(1.0, ratio)
    # far longer than needed: long-tenor money is for longer projects (#25)
    return 1.0 - rules.TENOR_EXCESS_SLOPE * (1.0 - 1.0 / ratio)


def project_risk(project) -> float:
    """0 (proven, earning, nothing exposed) … 1 (an unflown idea exposed to everything)."""
    shares = rules.RISK_SHARES
    return (
        shares["exposures"] * len(project.exposures) / N_EXPOSURES
        + shares["trl"] * (MAX_TRL - project.trl) / (MAX_TRL - 1)
        + shares["flight"] * (MAX_FLIGHT_RECORD - project.flight_record) / MAX_FLIGHT_RECORD
        + shares["revenue"] * (MAX_REVENUE_STATUS - project.revenue_status) / MAX_REVENUE_STATUS
    )


def risk(project, offering) -> float:
    if offering.instrument == RISK_COVER:
        if not offering.exposures_covered or not project.exposures:
            cover = rules.UNLISTED_COVER
        else:
            cover = len(project.exposures & offering.exposures_covered) / len(project.exposures)
        return cover * rules.DEMONSTRATED[project.flight_record]
    tolerance = rules.APPETITE_TOLERANCE[offering.appetite]
    excess = max(0.0, project_risk(project) - tolerance)
    underuse = max(0.0, tolerance - project_risk(project))  # far safer than it aims at (#25)
    return min(1.0, max(0.0, 1.0 - rules.RISK_FALL * excess - rules.APPETITE_UNDERUSE * underuse))


def geography(project, offering) -> float:
    if not offering.presence or project.works_in in offering.presence:
        return 1.0
    return rules.REGISTERED_ONLY if project.registered_in in offering.presence else 0.0


def collateral(project, offering) -> float:
    if offering.instrument != CREDIT:
        return 1.0
    if offering.guarantee:  # a guarantee stands in for collateral the firm lacks
        return rules.GUARANTEE_NOT_NEEDED if project.collateral else 1.0
    if not offering.collateral_required:
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


def best_row(project: ProjectFacts, rows) -> tuple[int, float] | None:
    """(position, score) of the best-scoring eligible row among an offering's own row and
    its covered variants (the own row first wins a tie), or None when none is eligible:
    a pair is judged on covered terms when a programme tool applies and they score better."""
    best = None
    for position, offering in enumerate(rows):
        value = score(project, offering)
        if value is not None and (best is None or value > best[1]):
            best = (position, value)
    return best
