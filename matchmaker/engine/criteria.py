"""The criteria as NumPy formulas over broadcastable arrays.

Every function takes project fields and offering fields that broadcast against each other
(a [P, 1] column against a [1, O] row scores a block; two [n] vectors score a list of
pairs) and returns values in [0, 1]. They mirror `reference.py` line by line.
"""

import numpy as np

from . import rules, syndicate
from .facts import (
    CREDIT,
    EQUITY,
    MAX_FLIGHT_RECORD,
    MAX_REVENUE_STATUS,
    MAX_TRL,
    N_EXPOSURES,
    RISK_COVER,
    OfferingArrays,
    ProjectArrays,
)

POPCOUNT = np.array([bin(value).count("1") for value in range(1 << 8)], dtype=np.int16)
APPETITE_TOLERANCE = np.array(rules.APPETITE_TOLERANCE, dtype=np.float64)
ROUND_ROLE_FIT = np.array(rules.ROUND_ROLE_FIT, dtype=np.float64)
DEMONSTRATED = np.array(rules.DEMONSTRATED, dtype=np.float64)


def popcount(masks: np.ndarray) -> np.ndarray:
    return POPCOUNT[masks & 0xFF] + POPCOUNT[(masks >> 8) & 0xFF]


def member(index: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return (mask >> index) & 1 == 1


def closeness(distance, step):
    return np.clip(1.0 - step * np.abs(distance), 0.0, 1.0)


def segment_fit(segment, segments):
    return np.where((segments == 0) | member(segment, segments), 1.0, 0.0)


def stage_fit(stage, stages, preferred_stage):
    inside = (stages == 0) | member(stage, stages)
    return np.where(inside, closeness(stage - preferred_stage, rules.STAGE_STEP), 0.0)


def trl_fit(trl, trl_min, trl_max, preferred_trl):
    inside = (trl_min <= trl) & (trl <= trl_max)
    return np.where(inside, closeness(trl - preferred_trl, rules.TRL_STEP), 0.0)


def carry(need, ticket_max, capacity_left, line_share, instrument):
    most = np.minimum(ticket_max, capacity_left).astype(np.float64)
    return np.where(instrument == RISK_COVER, np.minimum(most, line_share * need), most)


def round_role_fit(project_role, offering_role, instrument):
    """Equity: the fund's role against the part sought. A loan: a lender that can only
    participate (`syndicate.effective_role`) fits a firm seeking an arranger as a follower
    does; otherwise 1. Insurers always 1 (every insurer of a panel takes a line)."""
    equity = ROUND_ROLE_FIT[project_role, offering_role]
    follower = ROUND_ROLE_FIT[project_role, syndicate.FOLLOW_ONLY]
    lender = np.where(offering_role == syndicate.FOLLOW_ONLY, follower, 1.0)
    return np.where(instrument == EQUITY, equity, np.where(instrument == CREDIT, lender, 1.0))


def ticket_fit(need, most, preferred_ticket, role_fit):
    """`most`: what the offering can carry (see `carry`)."""
    amount = np.minimum(most, need)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.log10(np.maximum(amount, 1e-300) / np.maximum(need, 1))
        spot = np.log10(np.maximum(amount, 1e-300) / preferred_ticket)
    coverage = np.clip(1.0 + rules.TICKET_LOG_SLOPE * share, 0.0, 1.0)
    blended = (1 - rules.TICKET_SPOT_SHARE) * coverage + rules.TICKET_SPOT_SHARE * closeness(
        spot, rules.TICKET_SPOT_SLOPE
    )
    return np.where((need > 0) & (amount > 0), blended * role_fit, 0.0)


def tenor_fit(horizon, max_tenor, instrument):
    needed = np.where(instrument == RISK_COVER, rules.INSURANCE_POLICY_MONTHS, horizon)
    ratio = max_tenor / np.maximum(needed, 1)
    slope = rules.TENOR_EXCESS_SLOPE
    both_ways = np.minimum(ratio, 1.0 - slope + slope / np.maximum(ratio, 1e-9))
    return np.where(instrument == RISK_COVER, np.minimum(1.0, ratio), both_ways)


def project_risk(exposures, trl, flight_record, revenue_status):
    shares = rules.RISK_SHARES
    return (
        shares["exposures"] * popcount(exposures) / N_EXPOSURES
        + shares["trl"] * (MAX_TRL - trl) / (MAX_TRL - 1)
        + shares["flight"] * (MAX_FLIGHT_RECORD - flight_record) / MAX_FLIGHT_RECORD
        + shares["revenue"] * (MAX_REVENUE_STATUS - revenue_status) / MAX_REVENUE_STATUS
    )


def appetite_fit(risk, appetite):
    excess = np.maximum(0.0, risk - APPETITE_TOLERANCE[appetite])
    underuse = np.maximum(0.0, APPETITE_TOLERANCE[appetite] - risk)
    return np.clip(1.0 - rules.RISK_FALL * excess - rules.APPETITE_UNDERUSE * underuse, 0.0, 1.0)


def cover_fit(exposures, covered):
    exposure_count = popcount(exposures)
    covered_share = popcount(exposures & covered) / np.maximum(exposure_count, 1)
    return np.where((covered == 0) | (exposure_count == 0), rules.UNLISTED_COVER, covered_share)


def risk_fit(project_risk_value, exposures, flight_record, appetite, covered, instrument):
    insured = cover_fit(exposures, covered) * DEMONSTRATED[flight_record]
    return np.where(instrument == RISK_COVER, insured, appetite_fit(project_risk_value, appetite))


def presence_ok(registered_in, works_in, presence):
    return (presence == 0) | member(registered_in, presence) | member(works_in, presence)


def content_ok(works_in, content):
    """National content (#25): the financed work happens where the offering asks (export
    credit finances its country's exporters); the firm's registration does not count."""
    return (content == 0) | member(works_in, content)


def country_ok(country, asked, asked_here):
    """A country mandate (#25): `asked` whether the offering names countries, `asked_here`
    whether it names this one. A project whose country is unknown (UNKNOWN_COUNTRY, 0)
    passes: a blank country keeps an older client's meaning."""
    return (country == 0) | ~asked | asked_here


def countries_ok(projects: ProjectArrays, offerings: OfferingArrays, p_idx, o_idx):
    """The firm's registration country among the offering's `countries` (and the country
    where the work happens too, for an offering lending for work at home), and the country
    where the work happens among its `content_countries` (an export-credit agency's), for
    a buyer registered elsewhere."""
    registered = projects.registered_country[p_idx]
    works = projects.works_country[p_idx]
    content_asked = offerings.content_countries[o_idx].any(-1)
    asked = offerings.countries[o_idx].any(-1)
    return (
        country_ok(registered, asked, offerings.countries[o_idx, registered])
        & home_ok(works, asked, offerings.countries[o_idx, works], offerings.home_content[o_idx])
        & export_ok(
            works,
            domestic(registered, works),
            content_asked,
            offerings.content_countries[o_idx, works],
        )
    )


def home_ok(works_country, asked, asked_here, home_content):
    """Work at home (#25): an offering whose country mandate covers the financed work
    (`home_content`: a state lender lending against domestic jobs and spending) takes
    work done in one of its countries only; an unknown work country passes."""
    return ~home_content | country_ok(works_country, asked, asked_here)


def domestic(registered_country, works_country):
    """The firm is registered where the work happens, both known: a purchase at home."""
    return (registered_country == works_country) & (works_country != 0)


def export_ok(works_country, is_domestic, asked, asked_here):
    """Export credit abroad (#25): what is financed is built in one of the agency's
    countries (`content_countries`) and bought from another country: an agency finances
    its exporters' foreign buyers, never a purchase at home."""
    return country_ok(works_country, asked, asked_here) & ~(asked & is_domestic)


def geography_fit(registered_in, works_in, presence):
    at_work = (presence == 0) | member(works_in, presence)
    registered = member(registered_in, presence)
    return np.where(at_work, 1.0, np.where(registered, rules.REGISTERED_ONLY, 0.0))


def collateral_fit(collateral, required, instrument, guarantee):
    """A loan: the collateral it wants, if any, is among the project's. A credit
    guarantee: the project has no collateral to pledge (else it needs no guarantee)."""
    credit = instrument == CREDIT
    lacking = credit & ~guarantee & (required != 0) & ((collateral & required) == 0)
    pledgeable = credit & guarantee & (collateral != 0)
    return np.where(
        lacking, rules.MISSING_COLLATERAL, np.where(pledgeable, rules.GUARANTEE_NOT_NEEDED, 1.0)
    )


def need_for(projects: ProjectArrays, p_idx, instrument) -> np.ndarray:
    return projects.needs[p_idx, instrument]


def eligibility(projects: ProjectArrays, offerings: OfferingArrays, p_idx, o_idx) -> np.ndarray:
    """Hard rules: a pair failing any of them is never stored."""
    instrument = offerings.instrument[o_idx]
    need = need_for(projects, p_idx, instrument)
    ticket_min = offerings.ticket_min[o_idx]
    covered = offerings.exposures_covered[o_idx]
    segments, stages, regions = (
        offerings.segments[o_idx],
        offerings.stages[o_idx],
        offerings.regions[o_idx],
    )
    trl = projects.trl[p_idx]
    most = np.minimum(offerings.ticket_max[o_idx], offerings.capacity_left[o_idx])
    return (
        (need > 0)
        & (ticket_min <= need)
        & (need <= syndicate.largest_need(most, offerings.line_share[o_idx], instrument))
        & (offerings.capacity_left[o_idx] >= ticket_min)
        & (offerings.trl_min[o_idx] <= trl)
        & (trl <= offerings.trl_max[o_idx])
        & ((segments == 0) | member(projects.segment[p_idx], segments))
        & ((stages == 0) | member(projects.stage[p_idx], stages))
        & ((regions == 0) | member(projects.region[p_idx], regions))
        & (
            (instrument != RISK_COVER)
            | (covered == 0)
            | ((projects.exposures[p_idx] & covered) != 0)
        )
        & (projects.flight_record[p_idx] >= offerings.min_flight_record[o_idx])
        & (projects.revenue_status[p_idx] >= offerings.min_revenue_status[o_idx])
        & presence_ok(
            projects.registered_in[p_idx], projects.works_in[p_idx], offerings.presence[o_idx]
        )
        & content_ok(projects.works_in[p_idx], offerings.content[o_idx])
        & countries_ok(projects, offerings, p_idx, o_idx)
        & tool_applies(projects.tools[p_idx], offerings.tool[o_idx])
    )


def tool_applies(project_tools, tool):
    """An offering's own row (tool < 0), or a covered variant whose tool applies."""
    return (tool < 0) | ((project_tools >> np.maximum(tool, 0).astype(np.int64)) & 1 == 1)


def best_of_variants(projects: ProjectArrays, offerings: OfferingArrays, p_idx, o_idx):
    """For pairs (project row, offering's own column), (eligible, best column): the
    column among the offering's own row and its covered variants that is eligible and
    scores best (the own row wins a tie), as `reference.best_row` decides."""
    p_idx, o_idx = np.asarray(p_idx), np.asarray(o_idx)
    eligible, scores, _values = score_pairs(projects, offerings, p_idx, o_idx)
    best, best_score = o_idx.copy(), np.where(eligible, scores, -np.inf)
    for variant in np.flatnonzero(offerings.owner != np.arange(len(offerings))):
        at = np.flatnonzero(o_idx == offerings.owner[variant])
        if not len(at):
            continue
        ok, value, _values = score_pairs(projects, offerings, p_idx[at], variant)
        better = ok & (value > best_score[at])
        best[at[better]], best_score[at[better]] = variant, value[better]
    return np.isfinite(best_score), best


def components(projects: ProjectArrays, offerings: OfferingArrays, p_idx, o_idx) -> np.ndarray:
    """All criteria for the given pairs: shape broadcast(p_idx, o_idx) + (N_CRITERIA,)."""
    instrument = offerings.instrument[o_idx]
    trl = projects.trl[p_idx]
    need = need_for(projects, p_idx, instrument)
    most = carry(
        need,
        offerings.ticket_max[o_idx],
        offerings.capacity_left[o_idx],
        offerings.line_share[o_idx],
        instrument,
    )
    risk_value = project_risk(
        projects.exposures[p_idx],
        trl,
        projects.flight_record[p_idx],
        projects.revenue_status[p_idx],
    )
    values = (
        segment_fit(projects.segment[p_idx], offerings.segments[o_idx]),
        stage_fit(projects.stage[p_idx], offerings.stages[o_idx], offerings.preferred_stage[o_idx]),
        trl_fit(
            trl, offerings.trl_min[o_idx], offerings.trl_max[o_idx], offerings.preferred_trl[o_idx]
        ),
        ticket_fit(
            need,
            most,
            offerings.preferred_ticket[o_idx],
            round_role_fit(
                projects.round_role[p_idx],
                syndicate.effective_role(
                    np.minimum(most, need), need, offerings.round_role[o_idx], instrument
                ),
                instrument,
            ),
        ),
        tenor_fit(projects.horizon_months[p_idx], offerings.max_tenor[o_idx], instrument),
        risk_fit(
            risk_value,
            projects.exposures[p_idx],
            projects.flight_record[p_idx],
            offerings.appetite[o_idx],
            offerings.exposures_covered[o_idx],
            instrument,
        ),
        geography_fit(
            projects.registered_in[p_idx], projects.works_in[p_idx], offerings.presence[o_idx]
        ),
        collateral_fit(
            projects.collateral[p_idx],
            offerings.collateral_required[o_idx],
            instrument,
            offerings.guarantee[o_idx],
        ),
    )
    shape = np.broadcast_shapes(np.shape(p_idx), np.shape(o_idx))
    return np.stack([np.broadcast_to(value, shape) for value in values], axis=-1)


def score_pairs(projects: ProjectArrays, offerings: OfferingArrays, p_idx, o_idx):
    """(eligible, score 0–100, components) for pairs, computed directly (no tables)."""
    values = components(projects, offerings, p_idx, o_idx)
    weights = offerings.weights[o_idx]
    scores = 100.0 * np.einsum("...c,...c->...", values, np.broadcast_to(weights, values.shape))
    return eligibility(projects, offerings, p_idx, o_idx), scores, values
