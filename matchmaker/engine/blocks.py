"""Scoring whole blocks of projects × offerings at once, and keeping the best K.

Most criteria depend on a project only through a few small categorical facts. For each
offering we tabulate them once over every possible value (segment × stage × region,
exposures × TRL, collateral), so a block costs a handful of row gathers plus the two
criteria that depend on amounts and months (ticket and tenor). Offerings are grouped by
instrument, and only projects that seek that instrument are scored against a group.
"""

from dataclasses import dataclass

import numpy as np

from . import criteria, syndicate
from .facts import (
    COLLATERAL,
    GEOGRAPHY,
    MAX_TRL,
    N_APPETITES,
    N_COLLATERAL,
    N_COUNTRY_KEYS,
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
    # #25: bool [N_COUNTRY_KEYS, n] by the firm's registration country, and [2 ×
    # N_COUNTRY_KEYS, n] by `export_key`; None when no offering of the group names countries
    country_ok: np.ndarray | None
    content_country_ok: np.ndarray | None
    # bool [N_COUNTRY_KEYS, n] by the country where the work happens: the offerings that
    # lend for work at home (`home_content`); None when none of the group does
    home_country_ok: np.ndarray | None
    geography_points: np.ndarray  # float32 [n]: the geography weight, when nobody asks
    collateral_value: np.ndarray  # float32 [N_COLLATERAL_KEYS, n]
    ticket_min: np.ndarray  # int64 [n]
    # The largest need the offering may join (its share at least the minimum, see
    # `syndicate`), and the largest of which it can still take the lead share (int64 [n]).
    largest_need: np.ndarray
    largest_led: np.ndarray
    # log10 of the most the offering can put in one project, its line share and its
    # preferred ticket (float32 [n])
    log_most: np.ndarray
    log_line_share: np.ndarray
    log_preferred_ticket: np.ndarray
    # float32 [2 × N_ROUND_ROLES, n]: ticket weight × round-role fit, the first
    # N_ROUND_ROLES rows as a lead, the next when the offering can put in less than the
    # lead share and can only follow; read with one flat take (`_ticket`)
    role_values: np.ndarray
    tenor_weight: np.ndarray
    max_tenor: np.ndarray
    tool: np.ndarray | None  # int16 [n]: covered variants' tools; None when none is a variant


def _digits(count: int, *sizes: int) -> tuple[np.ndarray, ...]:
    """Each digit of the keys 0..count-1 in the mixed radix `sizes` (1-D arrays)."""
    keys, digits = np.arange(count), []
    for size in reversed(sizes):
        digits.append(keys % size)
        keys = keys // size
    return tuple(reversed(digits))


def _each(count: int) -> np.ndarray:
    """The values 0..count-1 as a [count, 1] column, to broadcast against offerings."""
    return np.arange(count)[:, None]


def _group_tables(offerings: OfferingArrays, columns: np.ndarray, instrument: int) -> GroupTables:
    """Each criterion is computed on a small table over the one fact it depends on
    (segments, stages, TRLs…) and spread into the combined key space by row gathers."""
    group = offerings.take(columns)
    weight = (100.0 * group.weights).astype(np.float32)
    row = {name: value[None, :] for name, value in vars(group).items() if value.ndim == 1}
    category_value, category_ok = _category_tables(row, weight)
    trl_value = weight[:, TRL] * criteria.trl_fit(
        _each(TRL_KEYS), row["trl_min"], row["trl_max"], row["preferred_trl"]
    )
    trl_ok = (row["trl_min"] <= _each(TRL_KEYS)) & (_each(TRL_KEYS) <= row["trl_max"])
    flight, revenue = _digits(N_STATUS_KEYS, N_FLIGHT_RECORDS, N_REVENUE_STATUSES)
    status_ok = (flight[:, None] >= row["min_flight_record"]) & (
        revenue[:, None] >= row["min_revenue_status"]
    )
    cover_value = None
    if instrument == RISK_COVER:
        exposures, trl = _digits(N_COVER_KEYS, 1 << N_EXPOSURES, TRL_KEYS)
        covered = row["exposures_covered"]
        every_mask = _each(1 << N_EXPOSURES)
        maturity_value = trl_value[trl]
        maturity_ok = trl_ok[trl] & ((covered == 0) | ((every_mask & covered) != 0))[exposures]
        cover_value = (weight[:, RISK] * criteria.cover_fit(every_mask, covered))[exposures]
    else:
        count, trl, status = _digits(N_MATURITY_KEYS, N_EXPOSURES + 1, TRL_KEYS, N_STATUS_KEYS)
        risk = criteria.project_risk(0, trl, flight[status], revenue[status])
        risk = risk + criteria.rules.RISK_SHARES["exposures"] * count / N_EXPOSURES
        appetite_value = criteria.appetite_fit(risk[:, None], np.arange(N_APPETITES)[None, :])
        appetite_value = appetite_value.astype(np.float32)[:, group.appetite] * weight[:, RISK]
        maturity_value = trl_value[trl] + appetite_value
        maturity_ok = trl_ok[trl] & status_ok[status]
        status_ok = None  # folded into maturity_ok
    presence_value = presence_ok = None
    if np.any(group.presence) or np.any(group.content):
        registered, works = (
            digit[:, None] for digit in _digits(N_PRESENCE_KEYS, N_PROVINCES, N_PROVINCES)
        )
        presence_value = weight[:, GEOGRAPHY] * criteria.geography_fit(
            registered, works, row["presence"]
        )
        presence_value = presence_value.astype(np.float32)
        presence_ok = criteria.presence_ok(registered, works, row["presence"])
        presence_ok &= criteria.content_ok(works, row["content"])
    country_ok = _country_table(group.countries)
    content_country_ok = _export_table(group.content_countries)
    home_country_ok = _home_table(group.countries, group.home_content)
    role_fit = criteria.round_role_fit(_each(N_ROUND_ROLES), row["round_role"], instrument)
    follower_fit = criteria.round_role_fit(
        _each(N_ROUND_ROLES), np.full_like(row["round_role"], syndicate.FOLLOW_ONLY), instrument
    )
    most = np.minimum(group.ticket_max, group.capacity_left)
    collateral_value = weight[:, COLLATERAL] * criteria.collateral_fit(
        _each(N_COLLATERAL_KEYS), row["collateral_required"], instrument, row["guarantee"]
    )
    return GroupTables(
        instrument=instrument,
        columns=columns,
        category_value=category_value,
        category_ok=category_ok,
        maturity_value=maturity_value.astype(np.float32, copy=False),
        maturity_ok=maturity_ok,
        cover_value=None if cover_value is None else cover_value.astype(np.float32),
        status_ok=status_ok,
        presence_value=presence_value,
        presence_ok=presence_ok,
        country_ok=country_ok,
        content_country_ok=content_country_ok,
        home_country_ok=home_country_ok,
        geography_points=weight[:, GEOGRAPHY],
        collateral_value=collateral_value.astype(np.float32),
        ticket_min=group.ticket_min,
        largest_need=syndicate.largest_need(most, group.line_share, group.instrument),
        largest_led=syndicate.largest_led(most),
        log_most=_log10(most),
        log_line_share=_log10(group.line_share),
        log_preferred_ticket=_log10(group.preferred_ticket),
        role_values=np.concatenate(
            [weight[:, TICKET] * role_fit, weight[:, TICKET] * follower_fit]
        ).astype(np.float32),
        tenor_weight=weight[:, TENOR],
        max_tenor=group.max_tenor.astype(np.float32),
        tool=group.tool if np.any(group.tool >= 0) else None,
    )


def _country_table(countries: np.ndarray) -> np.ndarray | None:
    """A country screen by country key (#25), or None when no offering names a country."""
    asked = countries.any(axis=1)
    if not asked.any():
        return None
    return np.ascontiguousarray(
        criteria.country_ok(_each(N_COUNTRY_KEYS), asked[None, :], countries.T)
    )


def _home_table(countries: np.ndarray, home_content: np.ndarray) -> np.ndarray | None:
    """The work-at-home screen (#25) by the country where the work happens, or None when
    no offering of the group lends for work at home."""
    asked = countries.any(axis=1)
    if not (asked & home_content).any():
        return None
    return np.ascontiguousarray(
        criteria.home_ok(_each(N_COUNTRY_KEYS), asked[None, :], countries.T, home_content[None, :])
    )


def _export_table(content_countries: np.ndarray) -> np.ndarray | None:
    """The export-credit screen (#25) by export key (`export_key`): the country where the
    work happens, and whether the firm is registered there too (the second half of the
    rows). None when no offering names a country."""
    asked = content_countries.any(axis=1)
    if not asked.any():
        return None
    works = np.concatenate([_each(N_COUNTRY_KEYS), _each(N_COUNTRY_KEYS)])
    at_home = np.repeat([False, True], N_COUNTRY_KEYS)[:, None]
    table = criteria.export_ok(works, at_home, asked[None, :], content_countries.T[works[:, 0]])
    return np.ascontiguousarray(table)


def export_key(registered_country, works_country):
    """Where the work happens, plus N_COUNTRY_KEYS when the firm is registered there too."""
    at_home = criteria.domestic(registered_country, works_country)
    return works_country.astype(np.int32) + at_home * N_COUNTRY_KEYS


def _category_tables(row: dict, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Segment and stage points, and the segment, stage and region screens, by category key."""
    segment, stage, region = _digits(N_CATEGORY_KEYS, N_SEGMENTS, N_STAGES, N_REGIONS)
    segments, stages, regions = row["segments"], row["stages"], row["regions"]
    segment_value = weight[:, SEGMENT] * criteria.segment_fit(_each(N_SEGMENTS), segments)
    stage_value = weight[:, STAGE] * criteria.stage_fit(
        _each(N_STAGES), stages, row["preferred_stage"]
    )
    value = segment_value.astype(np.float32)[segment] + stage_value.astype(np.float32)[stage]
    ok = ((segments == 0) | criteria.member(_each(N_SEGMENTS), segments))[segment]
    ok &= ((stages == 0) | criteria.member(_each(N_STAGES), stages))[stage]
    ok &= ((regions == 0) | criteria.member(_each(N_REGIONS), regions))[region]
    return value, ok


def _log10(values: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):  # log10(0) = -inf: nothing carried
        return np.log10(values.astype(np.float64)).astype(np.float32)


class OfferingTables:
    """Everything about a set of offerings that a block of projects is scored against."""

    def __init__(self, offerings: OfferingArrays):
        self.size = len(offerings)
        variants = offerings.owner != np.arange(len(offerings))
        # Covered variants: a pair keeps the best of the offering's rows (None: no variant)
        self.owner = offerings.owner if np.any(variants) else None
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
        rows, columns, scores = (np.concatenate(column) for column in zip(*parts, strict=True))
        if self.owner is not None:
            keep = best_per_owner(rows, self.owner[columns], columns, scores, self.size)
            rows, columns, scores = rows[keep], columns[keep], scores[keep]
        return rows, columns, scores

    @staticmethod
    def _score_group(group: GroupTables, projects: ProjectArrays, rows, keys: ProjectKeys):
        insurer = group.instrument == RISK_COVER
        maturity = (keys.cover if insurer else keys.maturity)[rows]
        category = keys.category[rows]
        presence = keys.presence[rows]
        need = projects.needs[rows, group.instrument]
        ok = group.category_ok[category]
        ok &= group.maturity_ok[maturity]
        if insurer:
            ok &= group.status_ok[keys.status[rows]]
        if group.presence_ok is not None:
            ok &= group.presence_ok[presence]
        if group.country_ok is not None:
            ok &= group.country_ok[projects.registered_country[rows]]
        if group.home_country_ok is not None:
            ok &= group.home_country_ok[projects.works_country[rows]]
        if group.content_country_ok is not None:
            export = export_key(projects.registered_country[rows], projects.works_country[rows])
            ok &= group.content_country_ok[export]
        if group.tool is not None:
            ok &= criteria.tool_applies(projects.tools[rows][:, None], group.tool[None, :])
        ok &= group.ticket_min[None, :] <= need[:, None]
        # flatnonzero and one divmod: a third of the time of a 2-D nonzero
        at, column = np.divmod(np.flatnonzero(ok), len(group.columns))
        # the syndicate share (#25) on the pairs left only: a gather, not a dense pass
        need_at = need[at]
        share_ok = need_at <= group.largest_need[column]
        if not share_ok.all():
            at, column, need_at = at[share_ok], column[share_ok], need_at[share_ok]
        pair = Pairs(at, column, len(group.columns))
        row = rows[at]
        value = pair.take(group.category_value, category)
        value += pair.take(group.maturity_value, maturity)
        value += pair.take(group.collateral_value, projects.collateral[rows])
        if insurer:
            demonstrated = criteria.DEMONSTRATED[projects.flight_record[row]].astype(np.float32)
            value += pair.take(group.cover_value, keys.cover[rows]) * demonstrated
        if group.presence_value is None:
            value += group.geography_points[column]
        else:
            value += pair.take(group.presence_value, presence)
        log_need = np.log10(need).astype(np.float32)[at]
        value += OfferingTables._ticket(group, projects, row, column, log_need, need_at)
        value += OfferingTables._tenor(group, projects, row, column)
        return row, group.columns[column], value.astype(np.float32, copy=False)

    @staticmethod
    def _ticket(group: GroupTables, projects: ProjectArrays, row, column, log_need, need):
        """The ticket criterion in logarithms: the offering's are tabulated and the
        project's taken once per row, so a pair costs a few in-place float32 operations,
        not two log10 calls (this is the costliest criterion where many pairs are eligible).
        """
        rules = criteria.rules
        log_amount = np.minimum(group.log_most[column], log_need)
        if group.instrument == RISK_COVER:
            np.minimum(log_amount, group.log_line_share[column] + log_need, out=log_amount)
        closeness = log_amount - group.log_preferred_ticket[column]
        np.abs(closeness, out=closeness)
        closeness *= -rules.TICKET_SPOT_SLOPE
        closeness += 1.0
        np.clip(closeness, 0.0, 1.0, out=closeness)
        coverage = log_amount
        coverage -= log_need
        coverage *= rules.TICKET_LOG_SLOPE
        coverage += 1.0
        np.clip(coverage, 0.0, 1.0, out=coverage)
        coverage *= 1 - rules.TICKET_SPOT_SHARE
        closeness *= rules.TICKET_SPOT_SHARE
        coverage += closeness
        width = len(group.columns)
        at = projects.round_role[row].astype(np.int64)
        at *= width
        at += column
        if group.instrument != RISK_COVER:  # less than the lead share: it follows
            at += (need > group.largest_led[column]) * (width * (len(group.role_values) // 2))
        coverage *= np.take(group.role_values.ravel(), at)
        return coverage

    @staticmethod
    def _tenor(group: GroupTables, projects: ProjectArrays, row, column):
        if group.instrument == RISK_COVER:
            needed = np.float32(criteria.rules.INSURANCE_POLICY_MONTHS)
            return (group.tenor_weight * np.minimum(1.0, group.max_tenor / needed))[column]
        needed = np.maximum(projects.horizon_months[row], 1).astype(np.float32)
        tenor = group.max_tenor[column] / needed
        # min(ratio, 1 - slope + slope / ratio): the ratio when shorter than needed, a
        # fall of up to `slope` when far longer (`criteria.tenor_fit`)
        slope = np.float32(criteria.rules.TENOR_EXCESS_SLOPE)
        longer = np.divide(slope, np.maximum(tenor, np.float32(1e-9)))
        longer += np.float32(1.0) - slope
        np.minimum(tenor, longer, out=tenor)
        tenor *= group.tenor_weight[column]
        return tenor


def best_per_owner(rows, owners, columns, scores, width: int) -> np.ndarray:
    """Positions keeping, for each (project row, offering) pair, the best-scoring of the
    offering's rows (its own terms or a covered variant; on a tie the lower column, the
    own row, which comes before its variants)."""
    codes = rows.astype(np.int64) * max(width, 1) + owners
    order = np.lexsort((columns, -scores.astype(np.float64), codes))
    ordered = codes[order]
    return order[np.r_[True, ordered[1:] != ordered[:-1]]] if len(order) else order


@dataclass
class Pairs:
    """The eligible pairs of one group: positions among the group's projects (`at`) and
    offerings (`column`)."""

    at: np.ndarray
    column: np.ndarray
    width: int

    def take(self, table: np.ndarray, row_keys: np.ndarray) -> np.ndarray:
        """table[row_keys[at], column] through one flat take (faster than 2-D indexing)."""
        return np.take(table.ravel(), row_keys[self.at].astype(np.int64) * self.width + self.column)


def top_k_by_group(groups: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the best k scores within each group (scores in [0, 100]).

    One sort of the eligible entries by (group, score descending) instead of a dense
    argpartition: eligible pairs are a small share of all pairs, and -inf ties make
    argpartition slow. Large inputs are first cut to the entries that can be among their
    group's best k (`within_kth_bin`), so the sort sees about k per group."""
    positions = None
    if len(groups) > PREFILTER_FROM:
        positions = within_kth_bin(groups, scores, k)
        groups, scores = groups[positions], scores[positions]
    order = np.argsort(groups * 256.0 + (128.0 - scores), kind="quicksort")
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    run_lengths = np.diff(np.r_[starts, len(order)])
    rank = np.arange(len(order)) - np.repeat(starts, run_lengths)
    best = order[rank < k]
    return best if positions is None else positions[best]


# Below this many entries one sort is cheaper than the histogram that would shorten it.
PREFILTER_FROM = 20_000
SCORE_BINS = 64


def within_kth_bin(groups: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the entries whose score is at least the lower edge of the score bin
    that holds their group's k-th best: a superset of each group's best k (ties kept),
    found with one histogram of (group, score bin) instead of a sort."""
    group_count = int(groups.max()) + 1
    rank_bin = (SCORE_BINS - 1) - np.clip(
        (scores * (SCORE_BINS / 100.0)).astype(np.int64), 0, SCORE_BINS - 1
    )  # 0: the best scores
    counts = np.bincount(groups * SCORE_BINS + rank_bin, minlength=group_count * SCORE_BINS)
    reached = np.cumsum(counts.reshape(group_count, SCORE_BINS), axis=1) >= k
    cut = np.where(reached[:, -1], reached.argmax(axis=1), SCORE_BINS - 1)
    return np.flatnonzero(rank_bin <= cut[groups])


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
        codes = sorted_unique(mine)
        codes = codes[~sorted_contains(np.sort(theirs), codes)]
        return codes // width, codes % width


def best_pairs(
    projects: ProjectArrays,
    offerings: OfferingArrays,
    k: int = 50,
    block_rows: int = 1024,
    tables: OfferingTables | None = None,
) -> BestPairs:
    """Each project's best k offerings and each offering's best k projects, scored block
    by block; memory stays bounded by the block and k × offerings, whatever the number
    of projects. `tables`: the offerings' tables, when the caller already built them."""
    tables = OfferingTables(offerings) if tables is None else tables
    project_rows, project_columns = [], []
    candidates = OfferingCandidates(len(offerings), k)
    for start in range(0, len(projects), block_rows):
        stop = min(start + block_rows, len(projects))
        rows, columns, scores = tables.eligible_scores(projects.take(np.arange(start, stop)))
        rows += start
        scores = scores.astype(np.float64)
        if tables.owner is not None:  # each side ranks offerings, not their variants
            columns = tables.owner[columns]
        best = top_k_by_group(rows, scores, k)
        project_rows.append(rows[best])
        project_columns.append(columns[best])
        candidates.add(rows, columns, scores)
    empty = np.zeros(0, dtype=np.int64)
    return BestPairs(
        for_projects=(
            np.concatenate(project_rows) if project_rows else empty,
            np.concatenate(project_columns) if project_columns else empty,
        ),
        for_offerings=candidates.best(),
        offering_count=len(offerings),
    )


# Offering-side candidates held (times k × offerings) before they are cut back to each
# offering's best k.
CANDIDATE_SLACK = 4


class OfferingCandidates:
    """Each offering's best k projects across blocks. Once an offering holds k, its k-th
    best score is a bar: a later entry below it can never make its best k and is dropped
    as it arrives (one comparison), so after the first blocks little is kept or sorted."""

    def __init__(self, offering_count: int, k: int):
        self.k = k
        self.keep_at_most = CANDIDATE_SLACK * k * max(offering_count, 1)
        self.bar = np.full(offering_count, -np.inf)
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.held = 0

    def add(self, rows: np.ndarray, columns: np.ndarray, scores: np.ndarray) -> None:
        passing = scores >= self.bar[columns]
        self.parts.append((rows[passing], columns[passing], scores[passing]))
        self.held += len(self.parts[-1][0])
        if self.held > self.keep_at_most:
            self._cut()

    def best(self) -> tuple[np.ndarray, np.ndarray]:
        """(project rows, offering columns) of each offering's best k."""
        self._cut()
        rows, columns, _scores = self.parts[0]
        return rows, columns

    def _cut(self) -> None:
        if not self.parts:
            self.parts = [(np.zeros(0, dtype=np.int64),) * 2 + (np.zeros(0),)]
        rows, columns, scores = (np.concatenate(column) for column in zip(*self.parts, strict=True))
        best = top_k_by_group(columns, scores, self.k)
        rows, columns, scores = rows[best], columns[best], scores[best]
        self.parts, self.held = [(rows, columns, scores)], len(rows)
        bar = np.full(len(self.bar), np.inf)
        np.minimum.at(bar, columns, scores)
        bar[np.bincount(columns, minlength=len(bar)) < self.k] = -np.inf
        self.bar = bar


def unique_pairs(rows, columns, column_count: int) -> tuple[np.ndarray, np.ndarray]:
    width = max(column_count, 1)
    codes = sorted_unique(rows.astype(np.int64) * width + columns)
    return codes // width, codes % width


def sorted_unique(codes: np.ndarray) -> np.ndarray:
    """np.unique by sorting: NumPy 2's hash-based np.unique took ten times as long on a
    full re-score's hundreds of thousands of pair codes."""
    ordered = np.sort(codes)
    if len(ordered) == 0:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def sorted_contains(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """For each needle, whether the sorted `haystack` holds it."""
    if len(haystack) == 0:
        return np.zeros(len(needles), dtype=bool)
    at = np.minimum(np.searchsorted(haystack, needles), len(haystack) - 1)
    return haystack[at] == needles
