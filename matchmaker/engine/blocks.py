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
    N_FLIGHT_RECORDS,
    N_INSTRUMENTS,
    N_PROVINCES,
    N_REGIONS,
    N_REVENUE_STATUSES,
    N_ROUND_ROLES,
    N_SEGMENTS,
    N_STAGES,
    RISK,
    RISK_COVER,
    SEGMENT,
    STAGE,
    TENOR,
    TICKET,
    TRL,
    OfferingArrays,
    ProjectArrays,
)

TRL_KEYS = MAX_TRL + 1
N_STATUS_KEYS = N_FLIGHT_RECORDS * N_REVENUE_STATUSES
N_CATEGORY_KEYS = N_SEGMENTS * N_STAGES * N_REGIONS
# Lenders and investors weigh how many exposures a project has; insurers, which ones.
N_MATURITY_KEYS = (N_EXPOSURES + 1) * TRL_KEYS * N_STATUS_KEYS
N_COVER_KEYS = (1 << N_EXPOSURES) * TRL_KEYS
N_PRESENCE_KEYS = N_PROVINCES * N_PROVINCES
N_COLLATERAL_KEYS = 1 << N_COLLATERAL
NOT_ELIGIBLE = np.float32(-np.inf)


def category_key(segment, stage, region):
    return (segment.astype(np.int32) * N_STAGES + stage) * N_REGIONS + region


def status_key(flight_record, revenue_status):
    return flight_record.astype(np.int32) * N_REVENUE_STATUSES + revenue_status


def maturity_key(exposure_count, trl, status):
    return (exposure_count.astype(np.int32) * TRL_KEYS + trl) * N_STATUS_KEYS + status


def cover_key(exposures, trl):
    return exposures.astype(np.int32) * TRL_KEYS + trl


def presence_key(registered_in, works_in):
    return registered_in.astype(np.int32) * N_PROVINCES + works_in


@dataclass
class ProjectKeys:
    """Each project's small categorical facts folded into table rows, once per block."""

    category: np.ndarray
    maturity: np.ndarray
    cover: np.ndarray
    status: np.ndarray
    presence: np.ndarray

    @classmethod
    def of(cls, projects: ProjectArrays) -> "ProjectKeys":
        status = status_key(projects.flight_record, projects.revenue_status)
        return cls(
            category=category_key(projects.segment, projects.stage, projects.region),
            maturity=maturity_key(criteria.popcount(projects.exposures), projects.trl, status),
            cover=cover_key(projects.exposures, projects.trl),
            status=status,
            presence=presence_key(projects.registered_in, projects.works_in),
        )


@dataclass
class GroupTables:
    """Tabulated criteria for the offerings of one instrument (weights × 100 folded in)."""

    instrument: int
    columns: np.ndarray  # positions of these offerings in the OfferingArrays
    category_value: np.ndarray  # float32 [N_CATEGORY_KEYS, n]: segment and stage
    category_ok: np.ndarray  # bool
    # Lenders and investors: TRL and risk by maturity key. Insurers: TRL by cover key, the
    # cover itself (times how demonstrated the vehicle is, per pair) and the status screens.
    maturity_value: np.ndarray  # float32 [N_MATURITY_KEYS or N_COVER_KEYS, n]
    maturity_ok: np.ndarray
    cover_value: np.ndarray | None  # float32 [N_COVER_KEYS, n], insurers only
    status_ok: np.ndarray | None  # bool [N_STATUS_KEYS, n], insurers only
    presence_value: np.ndarray | None  # float32 [N_PRESENCE_KEYS, n]; None: nobody asks
    presence_ok: np.ndarray | None
    geography_points: np.ndarray  # float32 [n]: the geography weight, when nobody asks
    collateral_value: np.ndarray  # float32 [N_COLLATERAL_KEYS, n]
    ticket_min: np.ndarray  # int64 [n]
    most: np.ndarray  # float64 [n]: most the offering can put in one project
    line_share: np.ndarray  # float64 [n]
    preferred_ticket: np.ndarray  # float64 [n]
    role_value: np.ndarray  # float32 [N_ROUND_ROLES, n]: ticket weight × round-role fit
    tenor_weight: np.ndarray
    max_tenor: np.ndarray


def _keys(count: int, *sizes: int):
    """Each digit of 0..count-1 in the mixed radix `sizes`, as [count, 1] columns."""
    keys, digits = np.arange(count), []
    for size in reversed(sizes):
        digits.append((keys % size)[:, None])
        keys = keys // size
    return tuple(reversed(digits))


def _group_tables(offerings: OfferingArrays, columns: np.ndarray, instrument: int) -> GroupTables:
    group = offerings.take(columns)
    weight = (100.0 * group.weights).astype(np.float32)
    row = {name: value[None, :] for name, value in vars(group).items() if value.ndim == 1}
    segment, stage, region = _keys(N_CATEGORY_KEYS, N_SEGMENTS, N_STAGES, N_REGIONS)
    category_value = weight[:, SEGMENT] * criteria.segment_fit(segment, row["segments"]) + weight[
        :, STAGE
    ] * criteria.stage_fit(stage, row["stages"], row["preferred_stage"])
    category_ok = (
        ((row["segments"] == 0) | criteria.member(segment, row["segments"]))
        & ((row["stages"] == 0) | criteria.member(stage, row["stages"]))
        & ((row["regions"] == 0) | criteria.member(region, row["regions"]))
    )
    trl_range = (row["trl_min"], row["trl_max"], row["preferred_trl"])
    cover_value = status_ok = None
    if instrument == RISK_COVER:
        exposures, trl = _keys(N_COVER_KEYS, 1 << N_EXPOSURES, TRL_KEYS)
        covered = row["exposures_covered"]
        maturity_value = weight[:, TRL] * criteria.trl_fit(trl, *trl_range)
        maturity_ok = (row["trl_min"] <= trl) & (trl <= row["trl_max"])
        maturity_ok &= (covered == 0) | ((exposures & covered) != 0)
        cover_value = (weight[:, RISK] * criteria.cover_fit(exposures, covered)).astype(np.float32)
        flight, revenue = _keys(N_STATUS_KEYS, N_FLIGHT_RECORDS, N_REVENUE_STATUSES)
        status_ok = (flight >= row["min_flight_record"]) & (revenue >= row["min_revenue_status"])
    else:
        count, trl, flight, revenue = _keys(
            N_MATURITY_KEYS, N_EXPOSURES + 1, TRL_KEYS, N_FLIGHT_RECORDS, N_REVENUE_STATUSES
        )
        risk = criteria.project_risk(np.zeros_like(count), trl, flight, revenue)
        risk = risk + criteria.rules.RISK_SHARES["exposures"] * count / N_EXPOSURES
        maturity_value = weight[:, TRL] * criteria.trl_fit(trl, *trl_range) + weight[
            :, RISK
        ] * criteria.appetite_fit(risk, row["appetite"])
        maturity_ok = (row["trl_min"] <= trl) & (trl <= row["trl_max"])
        maturity_ok &= (flight >= row["min_flight_record"]) & (revenue >= row["min_revenue_status"])
    presence_value = presence_ok = None
    if np.any(group.presence):
        registered, works = _keys(N_PRESENCE_KEYS, N_PROVINCES, N_PROVINCES)
        presence_value = weight[:, GEOGRAPHY] * criteria.geography_fit(
            registered, works, row["presence"]
        )
        presence_value = presence_value.astype(np.float32)
        presence_ok = criteria.presence_ok(registered, works, row["presence"])
    project_role = np.arange(N_ROUND_ROLES)[:, None]
    role_fit = criteria.round_role_fit(project_role, row["round_role"], instrument)
    collateral = np.arange(N_COLLATERAL_KEYS)[:, None]
    collateral_value = weight[:, COLLATERAL] * criteria.collateral_fit(
        collateral, row["collateral_required"], instrument
    )
    return GroupTables(
        instrument=instrument,
        columns=columns,
        category_value=category_value.astype(np.float32),
        category_ok=category_ok,
        maturity_value=maturity_value.astype(np.float32),
        maturity_ok=maturity_ok,
        cover_value=cover_value,
        status_ok=status_ok,
        presence_value=presence_value,
        presence_ok=presence_ok,
        geography_points=weight[:, GEOGRAPHY],
        collateral_value=collateral_value.astype(np.float32),
        ticket_min=group.ticket_min,
        most=np.minimum(group.ticket_max, group.capacity_left).astype(np.float64),
        line_share=group.line_share,
        preferred_ticket=group.preferred_ticket,
        role_value=(weight[:, TICKET] * role_fit).astype(np.float32),
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
        keys = ProjectKeys.of(projects)
        parts = []
        for group in self.groups:
            rows = np.flatnonzero(projects.needs[:, group.instrument] > 0)
            if len(rows):
                parts.append(self._score_group(group, projects, rows, keys))
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.float32)
        return tuple(np.concatenate(column) for column in zip(*parts, strict=True))

    @staticmethod
    def _score_group(group: GroupTables, projects: ProjectArrays, rows, keys: ProjectKeys):
        insurer = group.instrument == RISK_COVER
        maturity = (keys.cover if insurer else keys.maturity)[rows]
        need = projects.needs[rows, group.instrument]
        ok = group.category_ok[keys.category[rows]]
        ok &= group.maturity_ok[maturity]
        if insurer:
            ok &= group.status_ok[keys.status[rows]]
        if group.presence_ok is not None:
            ok &= group.presence_ok[keys.presence[rows]]
        ok &= group.ticket_min[None, :] <= need[:, None]
        at, column = np.nonzero(ok)
        row = rows[at]
        value = group.category_value[keys.category[row], column]
        value += group.maturity_value[maturity[at], column]
        value += group.collateral_value[projects.collateral[row], column]
        if insurer:
            demonstrated = criteria.DEMONSTRATED[projects.flight_record[row]].astype(np.float32)
            value += group.cover_value[keys.cover[row], column] * demonstrated
        if group.presence_value is None:
            value += group.geography_points[column]
        else:
            value += group.presence_value[keys.presence[row], column]
        value += OfferingTables._ticket(group, projects, row, column, need[at])
        value += OfferingTables._tenor(group, projects, row, column)
        return row, group.columns[column], value.astype(np.float32, copy=False)

    @staticmethod
    def _ticket(group: GroupTables, projects: ProjectArrays, row, column, pair_need):
        rules = criteria.rules
        most = group.most[column]
        if group.instrument == RISK_COVER:
            most = np.minimum(most, group.line_share[column] * pair_need)
        amount = np.minimum(most, pair_need)
        share = np.log10(amount / pair_need)
        spot = np.log10(amount / group.preferred_ticket[column])
        coverage = np.clip(1.0 + rules.TICKET_LOG_SLOPE * share, 0.0, 1.0)
        closeness = np.clip(1.0 - rules.TICKET_SPOT_SLOPE * np.abs(spot), 0.0, 1.0)
        blended = (1 - rules.TICKET_SPOT_SHARE) * coverage + rules.TICKET_SPOT_SHARE * closeness
        role = group.role_value[projects.round_role[row], column]
        return (blended * role).astype(np.float32)

    @staticmethod
    def _tenor(group: GroupTables, projects: ProjectArrays, row, column):
        if group.instrument == RISK_COVER:
            needed = np.float32(criteria.rules.INSURANCE_POLICY_MONTHS)
            return (group.tenor_weight * np.minimum(1.0, group.max_tenor / needed))[column]
        needed = np.maximum(projects.horizon_months[row], 1).astype(np.float32)
        tenor = group.max_tenor[column] / needed
        np.minimum(tenor, 1.0, out=tenor)
        tenor *= group.tenor_weight[column]
        return tenor


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
    tables: OfferingTables | None = None,
) -> BestPairs:
    """Each project's best k offerings and each offering's best k projects, scored block
    by block. The offerings' candidates are cut back to their best k whenever they pass a
    few times k per offering, so memory stays bounded by the block and k × offerings,
    whatever the number of projects. `tables`: the offerings' tables, when the caller
    already built them."""
    tables = OfferingTables(offerings) if tables is None else tables
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
