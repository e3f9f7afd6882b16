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
the grouping (`selectors.GROUP_KEY`, `GROUP_ORDER`), and for the API's flat list of
matches its sorts (`filters.ORDER_BY`: `match_keys`). `tests/matchmaker/review/
test_list_table.py` holds the two equal for every filter, combination and sort, on ties
of scores and times. A filter this table does not hold (`since`, a date in Shanghai
time) is answered by the database (`ListFromTable.rows` is None). The API's rows are then
read by their keys (`selectors.institution_matches_with_offerings`), not through the
filters' query and its subqueries.
"""

from dataclasses import dataclass
from datetime import UTC
from functools import cached_property
from itertools import repeat

import numpy as np
from django.core.cache import cache
from django.db import connections
from django.db.models import F, Max, TextField
from django.db.models.functions import Cast

from investors.models import Offering
from matchmaker.models import Match, MatchStatus
from matchmaker.review.selectors import (
    LIST_CACHE_SECONDS,
    NOT_SUBMITTED,
    CardMatch,
    offering_keys,
    rows_of,
)
from matchmaker.vocabulary import Instrument, Segment, Stage
from projects.models import Project

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
        ("status", "i1"),
        ("segment", "i1"),
        ("stage", "i1"),
        ("instrument", "i1"),
        ("not_submitted", "?"),
        ("eligible", "?"),
    ]
)
# How long every project's codes are kept at most (`project_codes`).
PROJECT_CODES_SECONDS = 30
# The matches' read as numpy takes the database's rows (half the time of turning them
# into columns in Python: some thousands of rows for each table).
READ = np.dtype(
    [
        ("id", "i8"),
        ("project", "i8"),
        ("offering", "i8"),
        ("score", "f8"),
        ("status", "O"),
        ("eligible", "?"),
    ]
)
# Every project's codes for the filters, shared by all institutions' tables
# (`project_codes`).
PROJECT_READ = np.dtype([("id", "i8"), ("segment", "O"), ("stage", "O"), ("status", "O")])
PROJECT_CODES = np.dtype([("id", "i8"), ("segment", "i1"), ("stage", "i1"), ("not_submitted", "?")])
# When each match was made, for the two sorts by it: (id, microseconds since 1970, UTC).
# Read apart and only when such a sort is asked (`created_column`).
CREATED = np.dtype([("id", "i8"), ("created", "i8")])
NEWEST = ("-newest", "newest")  # the sorts by when a match was made
# What a project card shows of a match, from the table (`card_matches_by_project`).
CARD_COLUMNS = ("id", "project", "offering", "score", "status", "eligible")
# What the table answers; anything else asked (`since`) goes to the database.
FILTERS = {"offering", "segment", "stage", "instrument", "min_score", "status", "sort"}


def list_table(institution, version: str) -> np.ndarray:
    """The institution's matches as `COLUMNS`, kept under its list's fingerprint
    (`version`, `selectors.match_list_version`)."""
    return cache.get_or_set(
        _table_key(institution, version), lambda: read_table(institution), LIST_CACHE_SECONDS
    )


def kept_table(institution, version: str) -> np.ndarray | None:
    """The institution's table if one is kept under this fingerprint, else None (never
    read here)."""
    return cache.get(_table_key(institution, version))


def _table_key(institution, version: str) -> str:
    # (named for its columns: a table kept before `eligible` was one has none)
    return f"match-list-table:eligible:{institution.pk}:{version}"


def read_table(institution) -> np.ndarray:
    """Every match of the institution's offerings, declined and not submitted ones too
    (a filter by status shows them), with what the filters ask of its project and
    offering, in no particular order (every use sorts what it needs).

    Reads without joins: the matches from their covering index alone
    (`match_offering_list_idx`: no table row is read) and the institution's few
    offerings; its projects' codes come from every project's, which all institutions'
    tables share (`project_codes`). numpy then puts each project's and offering's codes
    beside its matches. The joined read (with the time each match was made, which the
    index does not hold) cost 20 ms at the benchmark's size on SQLite, the whole table
    30-47 ms before that, 10-19 with the projects read for each institution, and the
    projects' read was a third of a table's CPU and more of its database time (#26: a
    served worker's first page of each institution is the list's slowest). Read with the
    database's own cursor and turned into columns whole (Django's row conversion cost
    some seven times the read)."""
    keys = offering_keys(institution)
    if not keys:
        return np.zeros(0, dtype=COLUMNS)
    matches = Match.objects.filter(offering_id__in=keys).order_by()
    read = np.array(
        rows_of(
            matches.values_list("id", "project_id", "offering_id", "score", "status", "eligible")
        ),
        dtype=READ,
    )
    table = np.zeros(len(read), dtype=COLUMNS)
    if not len(read):
        return table
    for name in ("id", "project", "offering", "score", "eligible"):
        table[name] = read[name]
    table["status"] = _codes("status", read["status"])
    projects = project_codes()
    table["segment"], table["stage"], table["not_submitted"] = _beside(
        projects["id"],
        table["project"],
        projects["segment"],
        projects["stage"],
        projects["not_submitted"],
    )
    instruments = dict(
        Offering.objects.filter(pk__in=keys).values_list("id", "instrument").order_by()
    )
    (table["instrument"],) = _beside(
        list(instruments), table["offering"], _codes("instrument", list(instruments.values()))
    )
    return table


def project_codes() -> np.ndarray:
    """Every project's codes for the filters (`PROJECT_CODES`), shared by every
    institution's table (#26: each institution's first page read its thousands of
    projects again, a third of the table's CPU and more of the database's).

    Kept under the projects' fingerprint, two reads of their indexes: the last key (a
    new project) and the last change (`updated_at`, which every change to a project
    sets, as the list's own fingerprint relies on: `selectors.match_list_versions`). Not
    kept until the database changes at all (`read_once_per_change`): a signed-in page
    renews its session once a minute, and at national scale something is always written.
    A write whose transaction commits after another one stamped later leaves the
    fingerprint as it was (the race every fingerprint of `match_list_versions` has, by
    its maxima of times stamped when written). For it the codes are read again every
    `PROJECT_CODES_SECONDS` whatever the fingerprint says; a table built from the older
    codes meanwhile is kept at most `LIST_CACHE_SECONDS`, the bound the lists themselves
    have for the same race. A project deleted since leaves its codes here, where no
    match of it asks for them; a match whose project is not here is shown on no list
    until the codes are read again."""
    facts = Project.objects.order_by().aggregate(last_key=Max("id"), last=Max("updated_at"))
    last = facts["last"].isoformat() if facts["last"] else ""
    key = f"match-list-projects:{facts['last_key']}:{last}"
    return cache.get_or_set(key, _read_project_codes, PROJECT_CODES_SECONDS)


def _read_project_codes() -> np.ndarray:
    read = np.array(
        rows_of(Project.objects.order_by().values_list("id", "segment", "stage", "status")),
        dtype=PROJECT_READ,
    )
    codes = np.zeros(len(read), dtype=PROJECT_CODES)
    codes["id"] = read["id"]
    codes["segment"] = _codes("segment", read["segment"])
    codes["stage"] = _codes("stage", read["stage"])
    codes["not_submitted"] = np.isin(read["status"], NOT_SUBMITTED)
    return codes


def created_column(institution, version: str) -> np.ndarray:
    """When each of the institution's matches was made (`CREATED`), kept under the
    list's fingerprint beside its table: the sorts by newest and oldest match need it,
    the other lists never read it."""

    def read() -> np.ndarray:
        keys = offering_keys(institution)
        column = np.zeros(0, dtype=CREATED)
        if not keys:
            return column
        created = F("created_at")
        if connections[Match.objects.db].vendor == "sqlite":
            created = Cast("created_at", TextField())  # its cursor parses each in Python
        read = rows_of(
            Match.objects.filter(offering_id__in=keys)
            .order_by()
            .annotate(created=created)
            .values_list("id", "created")
        )
        if not read:
            return column
        ids, moments = zip(*read, strict=True)
        column = np.zeros(len(read), dtype=CREATED)
        column["id"], column["created"] = ids, _microseconds(moments)
        return column

    key = f"match-list-created:{institution.pk}:{version}"
    return cache.get_or_set(key, read, LIST_CACHE_SECONDS)


def _codes(name: str, values) -> np.ndarray:
    """A vocabulary column's values as their codes (`CODES`), -1 for a value outside it."""
    return np.fromiter(map(CODES[name].get, values, repeat(-1)), dtype="i1", count=len(values))


def _beside(keys: list, wanted: np.ndarray, *columns: np.ndarray) -> list[np.ndarray]:
    """Each column's value for each wanted key (`columns` run along `keys`). A key that
    is not among them (its row gone between two reads) takes -1, or True for a flag: no
    filter asks for -1, and a match of a project flagged not submitted stays off the
    list; the next change of the list's fingerprint reads the table again."""
    absent = [True if column.dtype == np.bool_ else -1 for column in columns]
    if len(keys) == 0:
        return [np.full(len(wanted), value) for value in absent]
    keys = np.array(keys, dtype="i8")
    order = np.argsort(keys)
    place = order[np.minimum(np.searchsorted(keys, wanted, sorter=order), len(keys) - 1)]
    found = keys[place] == wanted
    return [
        np.where(found, column[place], value) for column, value in zip(columns, absent, strict=True)
    ]


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
    order and the keys of the matches a page of them shows, or the keys of its matches
    in the API's order. `rows` is None when a filter is set that the table does not hold,
    or (`kept_only`, the API) when no table is kept under the fingerprint; the list then
    reads the database."""

    institution: object
    version: str
    filters: dict
    sort: str
    # True: only a table kept already answers (`kept_table`); none kept, the database
    kept_only: bool = False

    @cached_property
    def rows(self) -> np.ndarray | None:
        asked = (name for name, value in self.filters.items() if value not in (None, ""))
        if any(name not in FILTERS for name in asked):
            return None
        read = kept_table if self.kept_only else list_table
        table = read(self.institution, self.version)
        return None if table is None else table[_shown(table, self.filters)]

    def project_keys(self) -> list[int] | None:
        """The list's project keys in the list's order (`selectors.project_page`)."""
        if self.rows is None:
            return None
        return project_keys(self.rows, self.sort, self._created())

    def match_keys(self) -> list[int] | None:
        """The keys of the list's matches in the API list's order (`match_keys`):
        what `selectors.IdsFirst` would read from the database."""
        if self.rows is None:
            return None
        return match_keys(self.rows, self.sort, self._created())

    def _created(self) -> np.ndarray | None:
        """When each match was made, for the sorts that need it (`created_column`)."""
        if self.sort not in NEWEST:
            return None
        return created_column(self.institution, self.version)

    def card_matches_by_project(
        self, project_ids, offering_names: dict[int, str]
    ) -> dict[int, list[CardMatch]] | None:
        """What the cards of these projects (in their order) show of the list's matches
        (`CardMatch`), each project's best first, ties by key (as `selectors.groups_of`
        orders them): the table holds all of it but the offerings' names
        (`selectors.offering_names`). A match of an offering gone since is left out (it
        went with its offering)."""
        if self.rows is None:
            return None
        rows = self.rows[np.isin(self.rows["project"], list(project_ids))]
        rows = rows[np.lexsort((rows["id"], -rows["score"]))]
        by_project: dict[int, list[CardMatch]] = {project_id: [] for project_id in project_ids}
        statuses = MatchStatus.values
        columns = (rows[name].tolist() for name in CARD_COLUMNS)
        for key, project_id, offering, score, status, eligible in zip(*columns, strict=True):
            if offering in offering_names:
                by_project[project_id].append(
                    CardMatch(key, score, eligible, statuses[status], offering_names[offering])
                )
        return by_project


def project_keys(rows: np.ndarray, sort: str, created: np.ndarray | None = None) -> list[int]:
    """The projects of the list's rows (`_shown`), each once, ordered as
    `selectors.GROUP_ORDER` orders them: by their best (or lowest) score, or their newest
    (or oldest) match (`created`, `created_column`, for these two sorts), then by key."""
    if not len(rows):
        return []
    values = _sorted_by(rows, sort, created)
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


def match_keys(rows: np.ndarray, sort: str, created: np.ndarray | None = None) -> list[int]:
    """The keys of the list's rows (`_shown`) in the order `filters.ORDER_BY` gives the
    API's flat list: by score, best or lowest first, ties by key; or by when each match
    was made (`created`, `created_column`), oldest first with ties by key, or newest
    first with ties by the higher key."""
    if not len(rows):
        return []
    keys, values = rows["id"], _sorted_by(rows, sort, created)
    if sort in ("score", "newest"):
        order = np.lexsort((keys, values))
    elif sort == "-newest":
        order = np.lexsort((-keys, -values))
    else:  # "-score", and any sort the list does not know
        order = np.lexsort((keys, -values))
    return keys[order].tolist()


def _sorted_by(rows: np.ndarray, sort: str, created: np.ndarray | None) -> np.ndarray:
    """Each row's value the sort orders by: when its match was made (`created`) for the
    sorts by it, else its score."""
    if sort in NEWEST:
        (values,) = _beside(created["id"], rows["id"], created["created"])
        return values
    return rows["score"]


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
