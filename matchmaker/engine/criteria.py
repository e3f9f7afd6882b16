"""The criteria as NumPy formulas over broadcastable arrays.

Every function takes project fields and offering fields that broadcast against each other
(a [P, 1] column against a [1, O] row scores a block; two [n] vectors score a list of
pairs) and returns values in [0, 1]. They mirror `reference.py` line by line.
"""

import numpy as np

from . import rules
from .facts import (
    CREDIT,
    MAX_TRL,
    N_EXPOSURES,
    RISK_COVER,
    OfferingArrays,
    ProjectArrays,
)

POPCOUNT = np.array([bin(value).count("1") for value in range(1 << 8)], dtype=np.int16)
STAGE_PREFERENCE = np.array(rules.STAGE_PREFERENCE, dtype=np.float64)
REGION_PRIORITY = np.array(rules.REGION_PRIORITY, dtype=np.float64)
APPETITE_TOLERANCE = np.array(rules.APPETITE_TOLERANCE, dtype=np.float64)


def popcount(masks: np.ndarray) -> np.ndarray:
    return POPCOUNT[masks & 0xFF] + POPCOUNT[(masks >> 8) & 0xFF]


def member(index: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return (mask >> index) & 1 == 1


def segment_fit(segment, segments):
    inside = member(segment, segments)
    focused = 1.0 - rules.FOCUS_STEP * (popcount(segments) - 1)
    return np.where(segments == 0, rules.GENERALIST_SEGMENT, np.where(inside, focused, 0.0))


def stage_fit(stage, stages, instrument):
    preferred = STAGE_PREFERENCE[instrument, stage]
    return np.where(stages == 0, preferred, np.where(member(stage, stages), 1.0, 0.0))


def trl_fit(trl, trl_min, trl_max):
    inside = (trl_min <= trl) & (trl <= trl_max)
    width = trl_max - trl_min
    depth = (trl - trl_min) / np.maximum(width, 1)
    value = np.where(width == 0, 1.0, rules.TRL_FLOOR + (1 - rules.TRL_FLOOR) * depth)
    return np.where(inside, value, 0.0)


def ticket_fit(need, ticket_max, capacity_left):
    safe_need = np.maximum(need, 1)
    coverage = np.minimum(np.minimum(ticket_max, capacity_left), safe_need) / safe_need
    with np.errstate(divide="ignore"):
        value = 1.0 + rules.TICKET_LOG_SLOPE * np.log10(np.maximum(coverage, 1e-300))
    return np.where(need > 0, np.clip(value, 0.0, 1.0), 0.0)


def tenor_fit(horizon, max_tenor, instrument):
    needed = np.where(instrument == RISK_COVER, rules.INSURANCE_POLICY_MONTHS, horizon)
    return np.minimum(1.0, max_tenor / np.maximum(needed, 1))


def risk_fit(exposures, trl, appetite, covered, instrument):
    exposure_count = popcount(exposures)
    covered_share = popcount(exposures & covered) / np.maximum(exposure_count, 1)
    cover = np.where((covered == 0) | (exposure_count == 0), rules.UNLISTED_COVER, covered_share)
    project_risk = rules.EXPOSURE_SHARE * exposure_count / N_EXPOSURES + (
        1 - rules.EXPOSURE_SHARE
    ) * (MAX_TRL - trl) / (MAX_TRL - 1)
    excess = np.maximum(0.0, project_risk - APPETITE_TOLERANCE[appetite])
    appetite_fit = np.clip(1.0 - rules.RISK_FALL * excess, 0.0, 1.0)
    return np.where(instrument == RISK_COVER, cover, appetite_fit)


def geography_fit(region, regions):
    return np.where(
        regions == 0, REGION_PRIORITY[region], np.where(member(region, regions), 1.0, 0.0)
    )


def collateral_fit(collateral, required, instrument):
    lacking = (instrument == CREDIT) & (required != 0) & ((collateral & required) == 0)
    return np.where(lacking, rules.MISSING_COLLATERAL, 1.0)


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
    return (
        (need > 0)
        & (ticket_min <= need)
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
    )


def components(projects: ProjectArrays, offerings: OfferingArrays, p_idx, o_idx) -> np.ndarray:
    """All criteria for the given pairs: shape broadcast(p_idx, o_idx) + (N_CRITERIA,)."""
    instrument = offerings.instrument[o_idx]
    trl = projects.trl[p_idx]
    values = (
        segment_fit(projects.segment[p_idx], offerings.segments[o_idx]),
        stage_fit(projects.stage[p_idx], offerings.stages[o_idx], instrument),
        trl_fit(trl, offerings.trl_min[o_idx], offerings.trl_max[o_idx]),
        ticket_fit(
            need_for(projects, p_idx, instrument),
            offerings.ticket_max[o_idx],
            offerings.capacity_left[o_idx],
        ),
        tenor_fit(projects.horizon_months[p_idx], offerings.max_tenor[o_idx], instrument),
        risk_fit(
            projects.exposures[p_idx],
            trl,
            offerings.appetite[o_idx],
            offerings.exposures_covered[o_idx],
            instrument,
        ),
        geography_fit(projects.region[p_idx], offerings.regions[o_idx]),
        collateral_fit(
            projects.collateral[p_idx], offerings.collateral_required[o_idx], instrument
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
