"""An institution's match list as one small table in memory: the list page's project keys
for every filter and sort from one read (issue #26).

Each filter, sort and institution is a list of its own, and reading its project keys (the
matches grouped by project from the covering index, in the database) was a quarter of an
uncached list page's time: ≈ 9 ms of 35 on SQLite at the benchmark's size, once for each
filter of each institution. Here the institution's matches are read once under its data
fingerprint (`selectors.match_list_version`: any change to what the list shows changes
it, so the table is never stale) into columns of small numbers, and each filter the form
knows is a mask over them and each sort a sort of the grouped keys: some hundred
microseconds.

The rules are those of the database's list, written once more here: the base list
(`selectors.matches_of_institution_member`), the filter form (`filters.MatchFilter`) and
the grouping (`selectors.GROUP_KEY`, `GROUP_ORDER`). `tests/matchmaker/review/
test_list_table.py` holds the two equal for every filter, combination and sort, on ties
of scores and times. A filter this table does not hold (`since`, a date in Shanghai
time) is answered by the database (`ListFromTable.rows` is None). The page's matches are
then read by their keys (`selectors.institution_matches_by_key`), not through the filters'
query and its subqueries.
"""

from dataclasses import dataclass
from datetime import UTC
from functools import cached_property

import numpy as np
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F, Q, TextField
from django.db.models.functions import Cast

from matchmaker.models import Match, MatchStatus
from matchmaker.review.selectors import (
    LIST_CACHE_SECONDS,
    offering_keys,
    projects_not_submitted,
)
from matchmaker.vocabulary import Instrument, Segment, Stage

# Each vocabulary column as a small code (its place among the choices); a value outside
# the choices is -1, which no filter asks for.
CODES = {
    "status": {value: code for code, value in enumerate(MatchStatus.values)},
    "segment": {value: code for code, value in enumerate(Segment.values)},
    "stage": {value: code for code, value in enumerate(Stage.values)},
    "instrument": {value: code for code, value in enumerate(Instrument.values)},
}
COLUMNS = np.dtype(
    [
        ("id", "i8"),
        ("project", "i8"),
        ("offering", "i8"),
        ("score", "f8"),
        ("created", "i8"),  # microseconds since 1970 (UTC)
        ("status", "i1"),
        ("segment", "i1"),
        ("stage", "i1"),
        ("instrument", "i1"),
        ("not_submitted", "?"),
    ]
)
# What the table answers; anything else asked (`since`) goes to the database.
FILTERS = {"offering", "segment", "stage", "instrument", "min_score", "status", "sort"}


def list_table(institution, version: str) -> np.ndarray:
    """The institution's matches as `COLUMNS`, kept under its list's fingerprint
    (`version`, `selectors.match_list_version`)."""
    key = f"match-list-table:{institution.pk}:{version}"
    return cache.get_or_set(key, lambda: read_table(institution), LIST_CACHE_SECONDS)


def read_table(institution) -> np.ndarray:
    """Every match of the institution's offerings, declined and not submitted ones too
    (a filter by status shows them), with what the filters ask of its project and
    offering: one query, read with the database's own cursor and turned into columns
    whole (Django's row conversion, a timestamp parsed per row, cost some seven times the
    read). SQLite's times are read as the text it stores and parsed by numpy."""
    database = connections[Match.objects.db]
    created = F("created_at")
    if database.vendor == "sqlite":  # (its cursor parses each row's timestamp in Python)
        created = Cast("created_at", TextField())
    rows = (
        Match.objects.filter(offering_id__in=offering_keys(institution))
        .annotate(
            created=created,
            not_submitted=ExpressionWrapper(
                Q(project_id__in=projects_not_submitted()), output_field=BooleanField()
            ),
        )
        .values_list(
            "id",
            "project_id",
            "offering_id",
            "score",
            "created",
            "status",
            "project__segment",
            "project__stage",
            "offering__instrument",
            "not_submitted",
        )
    )
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:  # no offerings: nothing to read
        return np.zeros(0, dtype=COLUMNS)
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        read = cursor.fetchall()
    table = np.zeros(len(read), dtype=COLUMNS)
    if not read:
        return table
    columns = list(zip(*read, strict=True))
    for index, name in enumerate(("id", "project", "offering", "score")):
        table[name] = columns[index]
    table["created"] = _microseconds(columns[4])
    for index, name in enumerate(("status", "segment", "stage", "instrument"), start=5):
        codes = CODES[name]
        table[name] = [codes.get(value, -1) for value in columns[index]]
    table["not_submitted"] = [bool(value) for value in columns[9]]
    return table


def _microseconds(moments: tuple) -> np.ndarray:
    """Stored times as microseconds since 1970, UTC: SQLite's as the text Django stores
    (UTC), PostgreSQL's as aware times."""
    if not isinstance(moments[0], str):
        moments = [moment.astimezone(UTC).replace(tzinfo=None) for moment in moments]
    return np.array(moments, dtype="datetime64[us]").astype("i8")


@dataclass
class ListFromTable:
    """One request's list (the filter form's `cleaned_data` and its sort) answered from
    the institution's table (`list_table`), read only when asked: its project keys in
    order and the keys of the matches a page of them shows. `rows` is None when a filter
    is set that the table does not hold; the page then reads the database."""

    institution: object
    version: str
    filters: dict
    sort: str

    @cached_property
    def rows(self) -> np.ndarray | None:
        asked = (name for name, value in self.filters.items() if value not in (None, ""))
        if any(name not in FILTERS for name in asked):
            return None
        table = list_table(self.institution, self.version)
        return table[_shown(table, self.filters)]

    def project_keys(self) -> list[int] | None:
        """The list's project keys in the list's order (`selectors.project_page`)."""
        return None if self.rows is None else project_keys(self.rows, self.sort)

    def match_keys_by_project(self, project_ids) -> dict[int, list[int]] | None:
        """The keys of the list's matches of each of these projects (in their order), each
        project's best first, ties by key (as `selectors.groups_of` orders them): what
        its card on this list shows."""
        if self.rows is None:
            return None
        rows = self.rows[np.isin(self.rows["project"], list(project_ids))]
        rows = rows[np.lexsort((rows["id"], -rows["score"]))]
        by_project: dict[int, list[int]] = {project_id: [] for project_id in project_ids}
        for project_id, key in zip(rows["project"].tolist(), rows["id"].tolist(), strict=True):
            by_project[project_id].append(key)
        return by_project


def project_keys(rows: np.ndarray, sort: str) -> list[int]:
    """The projects of the list's rows (`_shown`), each once, ordered as
    `selectors.GROUP_ORDER` orders them: by their best (or lowest) score, or their newest
    (or oldest) match, then by key."""
    if not len(rows):
        return []
    newest = sort in ("-newest", "newest")
    values = rows["created"] if newest else rows["score"]
    projects = rows["project"]
    by_project = np.argsort(projects, kind="stable")
    projects, values = projects[by_project], values[by_project]
    starts = np.flatnonzero(np.r_[True, projects[1:] != projects[:-1]])
    keys = projects[starts]
    if sort in ("score", "newest"):  # a project by its lowest score, its oldest match
        grouped = np.minimum.reduceat(values, starts)
        order = np.lexsort((keys, grouped))
    elif sort == "-newest":  # by its newest match, then the higher key first
        grouped = np.maximum.reduceat(values, starts)
        order = np.lexsort((-keys, -grouped))
    else:  # "-score", and any sort the page does not know
        grouped = np.maximum.reduceat(values, starts)
        order = np.lexsort((keys, -grouped))
    return keys[order].tolist()


def _shown(table: np.ndarray, filters: dict) -> np.ndarray:
    """Which rows the list shows: `matches_of_institution_member` (no new match of a
    project not submitted), then `MatchFilter` (no status asked: no declined match and
    no project not submitted; each filter asked, its column equal, the score at least)."""
    new, declined = CODES["status"][MatchStatus.NEW], CODES["status"][MatchStatus.DECLINED]
    shown = ~((table["status"] == new) & table["not_submitted"])
    status = filters.get("status")
    if status:
        shown &= table["status"] == CODES["status"].get(status, -2)
    else:
        shown &= (table["status"] != declined) & ~table["not_submitted"]
    for column in ("segment", "stage", "instrument"):
        if filters.get(column):
            shown &= table[column] == CODES[column].get(filters[column], -2)
    if filters.get("offering") is not None:
        shown &= table["offering"] == filters["offering"].pk
    if filters.get("min_score") is not None:
        shown &= table["score"] >= float(filters["min_score"])
    return shown
