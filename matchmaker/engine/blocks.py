"""Scoring whole blocks of projects × offerings at once, and keeping the best K.

Most criteria depend on a project only through a few small categorical facts. For each
offering we tabulate them once over every possible value (segment × stage × region,
exposures × TRL, collateral), so a block costs a handful of row gathers plus the two
criteria that depend on amounts and months (ticket and tenor). Offerings are grouped by
instrument, and only projects that seek that instrument are scored against a group.
"""

from dataclasses import dataclass

import numpy as np

from . import criteria
from .facts import (
    COLLATERAL,
    GEOGRAPHY,
    MAX_TRL,
    N_COLLATERAL,
    N_EXPOSURES,
    N_INSTRUMENTS,
    N_REGIONS,
    N_SEGMENTS,
    N_STAGES,
    RISK,
    SEGMENT,
    STAGE,
    TENOR,
    TICKET,
    TRL,
    OfferingArrays,
    ProjectArrays,
)

TRL_KEYS = MAX_TRL + 1
N_CATEGORY_KEYS = N_SEGMENTS * N_STAGES * N_REGIONS
N_RISK_KEYS = (1 << N_EXPOSURES) * TRL_KEYS
N_COLLATERAL_KEYS = 1 << N_COLLATERAL
NOT_ELIGIBLE = np.float32(-np.inf)


def category_key(segment, stage, region):
    return (segment.astype(np.int32) * N_STAGES + stage) * N_REGIONS + region


def risk_key(exposures, trl):
    return exposures.astype(np.int32) * TRL_KEYS + trl


@dataclass
class GroupTables:
    """Tabulated criteria for the offerings of one instrument (weights × 100 folded in)."""

    instrument: int
    columns: np.ndarray  # positions of these offerings in the OfferingArrays
    category_value: np.ndarray  # float32 [N_CATEGORY_KEYS, n]
    category_ok: np.ndarray  # bool
    risk_value: np.ndarray  # float32 [N_RISK_KEYS, n]: TRL and risk criteria
    risk_ok: np.ndarray
    collateral_value: np.ndarray  # float32 [N_COLLATERAL_KEYS, n]
    ticket_min: np.ndarray  # int64 [n]
    carry: np.ndarray  # float64 [n]: most the offering can put in one project
    ticket_weight: np.ndarray  # float32 [n]
    tenor_weight: np.ndarray
    max_tenor: np.ndarray


def _group_tables(offerings: OfferingArrays, columns: np.ndarray, instrument: int) -> GroupTables:
    group = offerings.take(columns)
    weight = (100.0 * group.weights).astype(np.float32)
    keys = np.arange(N_CATEGORY_KEYS)
    segment = (keys // (N_STAGES * N_REGIONS))[:, None]
    stage = ((keys // N_REGIONS) % N_STAGES)[:, None]
    region = (keys % N_REGIONS)[:, None]
    row = {name: value[None, :] for name, value in vars(group).items() if value.ndim == 1}
    category_value = (
        weight[:, SEGMENT] * criteria.segment_fit(segment, row["segments"])
        + weight[:, STAGE] * criteria.stage_fit(stage, row["stages"], instrument)
        + weight[:, GEOGRAPHY] * criteria.geography_fit(region, row["regions"])
    )
    category_ok = (
        ((row["segments"] == 0) | criteria.member(segment, row["segments"]))
        & ((row["stages"] == 0) | criteria.member(stage, row["stages"]))
        & ((row["regions"] == 0) | criteria.member(region, row["regions"]))
    )
    keys = np.arange(N_RISK_KEYS)
    exposures, trl = (keys // TRL_KEYS)[:, None], (keys % TRL_KEYS)[:, None]
    risk_value = weight[:, TRL] * criteria.trl_fit(trl, row["trl_min"], row["trl_max"]) + weight[
        :, RISK
    ] * criteria.risk_fit(exposures, trl, row["appetite"], row["exposures_covered"], instrument)
    covered = row["exposures_covered"]
    risk_ok = (row["trl_min"] <= trl) & (trl <= row["trl_max"])
    if instrument == criteria.RISK_COVER:
        risk_ok &= (covered == 0) | ((exposures & covered) != 0)
    collateral = np.arange(N_COLLATERAL_KEYS)[:, None]
    collateral_value = weight[:, COLLATERAL] * criteria.collateral_fit(
        collateral, row["collateral_required"], instrument
    )
    return GroupTables(
        instrument=instrument,
        columns=columns,
        category_value=category_value.astype(np.float32),
        category_ok=category_ok,
        risk_value=risk_value.astype(np.float32),
        risk_ok=risk_ok,
        collateral_value=collateral_value.astype(np.float32),
        ticket_min=group.ticket_min,
        carry=np.minimum(group.ticket_max, group.capacity_left).astype(np.float64),
        ticket_weight=weight[:, TICKET],
        tenor_weight=weight[:, TENOR],
        max_tenor=group.max_tenor.astype(np.float32),
    )


class OfferingTables:
    """Everything about a set of offerings that a block of projects is scored against."""

    def __init__(self, offerings: OfferingArrays):
        self.size = len(offerings)
        has_capacity = offerings.capacity_left >= offerings.ticket_min
        self.groups = []
        for instrument in range(N_INSTRUMENTS):
            columns = np.flatnonzero(has_capacity & (offerings.instrument == instrument))
            if len(columns):
                self.groups.append(_group_tables(offerings, columns, instrument))

    def score_block(self, projects: ProjectArrays) -> np.ndarray:
        """Scores [P, O] (float32) with -inf where a pair is not eligible."""
        scores = np.full((len(projects), self.size), NOT_ELIGIBLE, dtype=np.float32)
        rows, columns, values = self.eligible_scores(projects)
        scores[rows, columns] = values
        return scores

    def eligible_scores(self, projects: ProjectArrays):
        """(project rows, offering columns, scores float32) of the eligible pairs only.

        Filter first: the hard rules are decided on small tabulated booleans for the
        whole block (a few row gathers and one comparison per pair); the criteria are
        then computed for the eligible pairs alone, which are a small share of all."""
        category = category_key(projects.segment, projects.stage, projects.region)
        risk = risk_key(projects.exposures, projects.trl)
        parts = []
        for group in self.groups:
            rows = np.flatnonzero(projects.needs[:, group.instrument] > 0)
            if len(rows):
                parts.append(self._score_group(group, projects, rows, category, risk))
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.float32)
        return tuple(np.concatenate(column) for column in zip(*parts, strict=True))

    @staticmethod
    def _score_group(group: GroupTables, projects: ProjectArrays, rows, category, risk):
        need = projects.needs[rows, group.instrument]
        ok = group.category_ok[category[rows]]
        ok &= group.risk_ok[risk[rows]]
        ok &= group.ticket_min[None, :] <= need[:, None]
        at, column = np.nonzero(ok)
        row = rows[at]
        value = group.category_value[category[row], column]
        value += group.risk_value[risk[row], column]
        value += group.collateral_value[projects.collateral[row], column]
        pair_need = need[at]
        coverage = np.minimum(group.carry[column], pair_need) / pair_need
        ticket = np.log10(coverage, dtype=np.float32)
        ticket *= criteria.rules.TICKET_LOG_SLOPE
        ticket += 1.0
        np.clip(ticket, 0.0, 1.0, out=ticket)
        ticket *= group.ticket_weight[column]
        value += ticket
        if group.instrument == criteria.RISK_COVER:
            needed = np.float32(criteria.rules.INSURANCE_POLICY_MONTHS)
            value += (group.tenor_weight * np.minimum(1.0, group.max_tenor / needed))[column]
        else:
            needed = np.maximum(projects.horizon_months[row], 1).astype(np.float32)
            tenor = group.max_tenor[column] / needed
            np.minimum(tenor, 1.0, out=tenor)
            tenor *= group.tenor_weight[column]
            value += tenor
        return row, group.columns[column], value.astype(np.float32, copy=False)


def top_k_by_group(groups: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the best k scores within each group (scores in [0, 100]).

    One sort of the eligible entries by (group, score descending) instead of a dense
    argpartition: eligible pairs are a small share of all pairs, and -inf ties make
    argpartition slow."""
    order = np.argsort(groups * 256.0 + (128.0 - scores), kind="quicksort")
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    run_lengths = np.diff(np.r_[starts, len(order)])
    rank = np.arange(len(order)) - np.repeat(starts, run_lengths)
    return order[rank < k]


@dataclass
class BestPairs:
    """Index pairs (project row, offering column) of each side's best k, among eligible pairs."""

    for_projects: tuple[np.ndarray, np.ndarray]
    for_offerings: tuple[np.ndarray, np.ndarray]
    offering_count: int

    def union(self) -> tuple[np.ndarray, np.ndarray]:
        rows = np.concatenate([self.for_projects[0], self.for_offerings[0]])
        columns = np.concatenate([self.for_projects[1], self.for_offerings[1]])
        return unique_pairs(rows, columns, self.offering_count)

    def only_for_offerings(self) -> tuple[np.ndarray, np.ndarray]:
        """Pairs an offering ranks among its best k that their project does not."""
        width = max(self.offering_count, 1)
        mine = self.for_offerings[0] * width + self.for_offerings[1]
        theirs = self.for_projects[0] * width + self.for_projects[1]
        codes = np.setdiff1d(mine, theirs)
        return codes // width, codes % width


def best_pairs(
    projects: ProjectArrays,
    offerings: OfferingArrays,
    k: int = 50,
    block_rows: int = 1024,
) -> BestPairs:
    """Each project's best k offerings and each offering's best k projects, scored block
    by block. The offerings' candidates are cut back to their best k whenever they pass a
    few times k per offering, so memory stays bounded by the block and k × offerings,
    whatever the number of projects."""
    tables = OfferingTables(offerings)
    project_rows, project_columns = [], []
    candidate_rows, candidate_columns, candidate_scores = [], [], []
    keep_at_most = CANDIDATE_SLACK * k * max(len(offerings), 1)
    for start in range(0, len(projects), block_rows):
        stop = min(start + block_rows, len(projects))
        rows, columns, scores = tables.eligible_scores(projects.take(np.arange(start, stop)))
        scores = scores.astype(np.float64)
        best = top_k_by_group(rows, scores, k)
        project_rows.append(rows[best] + start)
        project_columns.append(columns[best])
        best = top_k_by_group(columns, scores, k)
        candidate_rows.append(rows[best] + start)
        candidate_columns.append(columns[best])
        candidate_scores.append(scores[best])
        if sum(len(part) for part in candidate_rows) > keep_at_most:
            candidate_rows, candidate_columns, candidate_scores = (
                [part]
                for part in _best_candidates(candidate_rows, candidate_columns, candidate_scores, k)
            )
    rows, columns, scores = _best_candidates(candidate_rows, candidate_columns, candidate_scores, k)
    return BestPairs(
        for_projects=(
            np.concatenate(project_rows) if project_rows else np.zeros(0, dtype=np.int64),
            np.concatenate(project_columns) if project_columns else np.zeros(0, dtype=np.int64),
        ),
        for_offerings=(rows, columns),
        offering_count=len(offerings),
    )


# Offering-side candidates kept before they are cut back to each offering's best k.
CANDIDATE_SLACK = 4


def _best_candidates(rows, columns, scores, k: int):
    """Concatenated candidate parts, reduced to each offering's (column's) best k."""
    rows, columns, scores = (
        np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        for parts in (rows, columns, scores)
    )
    best = top_k_by_group(columns, scores, k)
    return rows[best], columns[best], scores[best]


def unique_pairs(rows, columns, column_count: int) -> tuple[np.ndarray, np.ndarray]:
    codes = np.unique(rows.astype(np.int64) * max(column_count, 1) + columns)
    return codes // max(column_count, 1), codes % max(column_count, 1)
