"""Who may see which match and introduction: written once, for web pages and the API.

An institution sees a project only through a match of one of its own offerings; a firm
sees the matches of its own projects. Another tenant's match is a 404. Contacts and
documents open only after the other side accepts an introduction.
"""

import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max, Min, Q, QuerySet
from django.shortcuts import get_object_or_404

from investors.models import Offering
from investors.selectors import institution_of
from matchmaker.models import (
    AccessLog,
    EngineSettings,
    Introduction,
    IntroductionState,
    LearnedWeights,
    Match,
    MatchStatus,
    Notification,
    SavedView,
    SuggestionAnswer,
)
from matchmaker.read_once import read_once_per_change, read_once_per_change_many
from matchmaker.written_areas import MATCHES, RECORDS
from projects.models import FundingNeed, Project, ProjectStatus
from projects.selectors import firm_of

# How long a cached match list may sit unread; it is never served once its data changed.
LIST_CACHE_SECONDS = 600


def matches_of_institution_member(user) -> QuerySet[Match]:
    """Every match the user's institution may open: live projects, or ones it acted on.

    The institution's offerings are named by their keys (read once per request), not
    joined: given the keys, PostgreSQL reads each offering's matches from the covering
    index (10 ms for a list of 6,300 matches at national scale); joined, it scanned every
    match of the country in parallel and kept the institution's (110 ms).
    "Not a new match of a project that is not submitted" (`projects_not_submitted`): a
    list reads thousands of matches from their covering index, and joining each one's
    project for its status was a third of reading the list's ids."""
    institution = institution_of(user)
    if institution is None:
        return Match.objects.none()
    return Match.objects.filter(offering_id__in=offering_keys(institution)).exclude(
        status=MatchStatus.NEW, project_id__in=projects_not_submitted()
    )


def institution_matches_with_offerings(user, keys: list[int]) -> list[Match]:
    """The matches with these keys among the user's institution's offerings' matches, as
    the API's rows show them: the rows of a page whose ids came through the list
    (`matches_of_institution_member` and its filters) already; nothing of another
    institution whatever the keys (a match whose offering is not the institution's is
    left out: `institution_offerings_by_key` reads only its own). Each with its offering,
    the offering's institution and learned weights: joined for every row, those three
    tables were read and built again for each of a page's 20 rows, for some 4 offerings
    (about 1 ms of the 8 a page of rows took to read); and the institution's offering
    keys in the query (some 125 at the benchmark's size) cost more than the rows. The
    projects are the caller's to attach (the API's: `kept_projects.row_projects`)."""
    institution = institution_of(user)
    if institution is None or not keys:
        return []
    matches = list(Match.objects.filter(pk__in=keys).order_by())
    offerings = institution_offerings_by_key(institution, {match.offering_id for match in matches})
    # (another's, or an offering deleted between the two reads: it took its matches with it)
    matches = [match for match in matches if match.offering_id in offerings]
    for match in matches:
        match.offering = offerings[match.offering_id]
    return matches


def institution_offerings_by_key(institution, keys) -> dict[int, Offering]:
    """The institution's offerings with these keys, each with its institution and learned
    weights, read again only when a record may have changed
    (`read_once_per_change_many`): a page of rows names a few offerings again and again.
    Each is kept pickled, so each request gets objects of its own; only the institution's
    own offerings are read, whatever the keys."""

    def read(missing: list) -> dict:
        offerings = Offering.objects.filter(
            institution=institution, pk__in=[pk for _institution, pk in missing]
        ).select_related("institution", "learned_weights")
        return {(institution.pk, offering.pk): pickle.dumps(offering) for offering in offerings}

    database = connections[Offering.objects.db]
    wanted = [(institution.pk, pk) for pk in keys]
    kept = read_once_per_change_many(database, "institution-offerings", wanted, read, area=RECORDS)
    # our own bytes, never a client's
    return {
        pk: pickle.loads(kept[institution.pk, pk]) for pk in keys if (institution.pk, pk) in kept
    }


def offering_keys(institution) -> list:
    """The keys of the institution's offerings, once per institution object (one per
    request: `institution_of` keeps it on the user), and read again only when the database
    may have changed (`read_once_per_change`): every list and row read names them."""
    return list(offering_names(institution))


def offering_names(institution) -> dict[int, str]:
    """The institution's offerings' names by key (the list page's cards name them), read
    as `offering_keys` says."""
    if not hasattr(institution, "_offering_names"):

        def read() -> tuple:
            named = Offering.objects.filter(institution=institution).order_by()
            return tuple(named.values_list("pk", "name"))

        database = connections[Offering.objects.db]
        named = read_once_per_change(database, "offering-names", institution.pk, read, area=RECORDS)
        institution._offering_names = dict(named)
    return institution._offering_names


# Every status but "submitted"; the constraint `project_status_known` allows no other.
NOT_SUBMITTED = [status for status in ProjectStatus.values if status != ProjectStatus.SUBMITTED]


def projects_not_submitted() -> QuerySet[Project]:
    """The keys of projects not (or no longer) submitted, as a subquery: a list keeps
    their matches out with it, read once per query, instead of joining every listed
    match's project for its status. Named by the other statuses, they are sought in the
    status index (a few, at most); "not submitted" read all the country's projects, twice
    per list query (2 ms of an uncached list on PostgreSQL at national scale)."""
    return Project.objects.filter(status__in=NOT_SUBMITTED).values("pk")


def matches_of_firm_member(user) -> QuerySet[Match]:
    """Every match of the user's firm's projects."""
    firm = firm_of(user)
    if firm is None:
        return Match.objects.none()
    return Match.objects.filter(project__firm=firm)


def institution_match(user, pk: int) -> Match:
    """One match of the user's institution, or 404."""
    return get_object_or_404(
        matches_of_institution_member(user).select_related(
            "project__firm", "offering__institution", "offering__learned_weights", "introduction"
        ),
        pk=pk,
    )


def contacts_visible(match: Match) -> bool:
    introduction = getattr(match, "introduction", None)
    return introduction is not None and introduction.state == IntroductionState.ACCEPTED


def introductions_of_firm_member(user) -> QuerySet[Introduction]:
    """Introductions about the user's firm's projects, whoever asked."""
    firm = firm_of(user)
    if firm is None:
        return Introduction.objects.none()
    return Introduction.objects.filter(match__project__firm=firm).exclude(
        state=IntroductionState.WITHDRAWN
    )


def _either_side(user, firm_side: Q, institution_side: Q) -> QuerySet[Introduction]:
    """Introductions matching the condition of whichever side the user is on."""
    firm, institution = firm_of(user), institution_of(user)
    if firm is not None:
        condition = firm_side & Q(match__project__firm=firm)
    elif institution is not None:
        condition = institution_side & Q(match__offering__institution=institution)
    else:
        return Introduction.objects.none()
    return Introduction.objects.filter(condition).exclude(state=IntroductionState.WITHDRAWN)


def introductions_visible_to(user) -> QuerySet[Introduction]:
    """Introductions the user's organisation asked for or received."""
    return _either_side(user, Q(), Q())


def introductions_to_answer(user) -> QuerySet[Introduction]:
    """Requests the user's side received: a firm answers institutions, and the reverse."""
    return _either_side(
        user,
        Q(initiated_by=Introduction.Side.INSTITUTION),
        Q(initiated_by=Introduction.Side.FIRM),
    )


class IdsFirst:
    """A match list as a paginator slices it: every id of the list in its order, read
    from the list's covering index alone in one query (filter, order: `Match.Meta.indexes`)
    and counted in memory, then only the page's rows whole, with their projects and
    offerings. Sorting the whole list's rows (JSON components included) to keep 25 of
    them was most of an uncached page's time, and counting read the index a second time.
    (An institution's list is bounded by its offerings' top matches: some thousands of
    ids.) Both steps keep the queryset's own filters, so the tenant check holds in each;
    a caller that builds the rows itself (`rows`) keeps the tenant check in its own read
    (the API reads them by key among the institution's offerings' matches)."""

    def __init__(
        self,
        queryset: QuerySet[Match],
        cache_key: str = "",
        rows=None,
        read_ids: Callable[[], list[int] | None] | None = None,
    ):
        self.queryset = queryset
        self.cache_key = cache_key
        # rows(queryset, ids) -> the page's items in the ids' order, when the caller
        # builds them itself (the API: `MatchViewSet.page_rows`, from its row cache)
        self.rows = rows
        # the same ids without the database, or None (`ListFromTable.match_keys`)
        self.read_ids = read_ids
        self._ids: list[int] | None = None

    def ids(self) -> list[int]:
        if self._ids is None and self.cache_key:
            self._ids = cache.get(self.cache_key)
        if self._ids is None:
            self._ids = self.read_ids() if self.read_ids is not None else None
            if self._ids is None:
                self._ids = keys_of(self.queryset.prefetch_related(None).values_list("pk"))
            if self.cache_key:
                cache.set(self.cache_key, self._ids, LIST_CACHE_SECONDS)
        return self._ids

    def count(self) -> int:
        return len(self.ids())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        ids = self.ids()[item]
        if self.rows is not None:
            return self.rows(self.queryset, ids)
        rows = {match.pk: match for match in self.queryset.order_by().filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]


def keys_of(rows: QuerySet) -> list[int]:
    """The integer keys a one-column `values_list` selects, in its order, read with the
    database's own cursor (`rows_of`)."""
    return [row[0] for row in rows_of(rows)]


def rows_of(rows: QuerySet) -> list[tuple]:
    """A `values_list` query's rows as the database's cursor gives them: Django's values
    iterator cost about 1 µs a row, 3 ms of the 8 for a list's 3,000 ids (SQLite, the
    bench world), for values that need no conversion. A query that can match nothing
    (no offerings) reads nothing."""
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True, slots=True)
class CardProject:
    """What a project card shows of its project (`groups_of`)."""

    pk: int
    title: str
    segment: str
    stage: str
    trl: int
    region: str
    months_to_revenue: int


@dataclass(slots=True)
class CardMatch:
    """What a project card shows of one of its matches; the view sets the addresses."""

    pk: int
    score: float
    eligible: bool
    status: str
    offering_name: str
    detail_url: str = ""
    shortlist_url: str = ""

    @property
    def acted_on(self) -> bool:
        """As `Match.acted_on`: someone reviewed it (any status but new)."""
        return self.status != MatchStatus.NEW


@dataclass(frozen=True, slots=True)
class CardNeed:
    """A funding need as the card shows it."""

    instrument: str
    amount: int


@dataclass
class ProjectGroup:
    """One project of the institution's match list with its matching offerings inside, and
    the project's funding needs (its card shows them)."""

    project: CardProject
    matches: list[CardMatch]
    needs: list[CardNeed]
    # the card's HTML after its link, by language (`cards.project_card`): kept with the
    # project's facts where the process keeps them (`card_projects`)
    heads: dict[str, str] = field(default_factory=dict)

    @property
    def best(self) -> CardMatch:
        return self.matches[0]


# How each sort of the match list orders whole projects (by their best, lowest, newest or
# oldest match) before the matches inside each project are ranked best first.
GROUP_ORDER = {
    "-score": ("-group_key", "project_id"),
    "score": ("group_key", "project_id"),
    "-newest": ("-group_key", "-project_id"),
    "newest": ("group_key", "project_id"),
}
GROUP_KEY = {
    "-score": Max("score"),
    "score": Min("score"),
    "-newest": Max("created_at"),
    "newest": Min("created_at"),
}


# What the list page shows of each match and its offering, then of its project, read as
# plain values: read as model instances (a match, its project and its offering each), the
# matches of a page's 16 projects took 2.2 ms instead of 1.2-1.5 (#26, fourteenth pass).
MATCH_CARD_FIELDS = ("pk", "score", "eligible", "status", "offering__name")
CARD_PROJECT_FIELDS = ("pk", "title", "segment", "stage", "trl", "region", "months_to_revenue")
PROJECT_CARD_FIELDS = ("project_id", *(f"project__{name}" for name in CARD_PROJECT_FIELDS[1:]))


def project_page(
    matches,
    sort: str,
    page_number,
    per_page: int = 20,
    cache_key: str = "",
    read_keys: Callable[[], list[int] | None] | None = None,
):
    """A page of the list's project keys (every key read in one query, counted and paged
    in memory: the count was the same grouping a second time). `cache_key`
    (`list_ids_key`), when given, keeps the keys for the list's other pages; `matches`
    (which may be lazy) is then not even built when they are cached. `read_keys`, when
    given, says the same keys without the database (`ListFromTable.project_keys`), or
    None."""
    project_ids = cache.get(cache_key) if cache_key else None
    if project_ids is None and read_keys is not None:
        project_ids = read_keys()
        if project_ids is not None and cache_key:
            cache.set(cache_key, project_ids, LIST_CACHE_SECONDS)
    if project_ids is None:
        sort = sort if sort in GROUP_ORDER else "-score"
        keys = (
            matches.order_by()
            .values("project_id")
            .annotate(group_key=GROUP_KEY[sort])
            .order_by(*GROUP_ORDER[sort])
        )
        project_ids = keys_of(keys.values_list("project_id"))
        if cache_key:
            cache.set(cache_key, project_ids, LIST_CACHE_SECONDS)
    return Paginator(project_ids, per_page).get_page(page_number)


def groups_of(project_ids: list[int], matches: QuerySet[Match]) -> list[ProjectGroup]:
    """These projects, in this order, each with its matches in `matches` (best first) and
    its needs; a project without a match there is left out. Two plain reads of values (the
    needs' own: prefetched through each match's project, Django's prefetch built a related
    manager per match)."""
    rows = (
        matches.filter(project_id__in=project_ids)
        .order_by("-score", "id")
        .values_list(*MATCH_CARD_FIELDS, *PROJECT_CARD_FIELDS)
    )
    grouped: dict[int, list[CardMatch]] = {project_id: [] for project_id in project_ids}
    projects: dict[int, CardProject] = {}
    width = len(MATCH_CARD_FIELDS)
    for row in rows:
        project_id = row[width]
        grouped[project_id].append(CardMatch(*row[:width]))
        if project_id not in projects:
            projects[project_id] = CardProject(*row[width:])
    needs = card_needs(list(projects))
    return [
        ProjectGroup(projects[project_id], items, needs[project_id])
        for project_id, items in grouped.items()
        if items
    ]


def card_needs(project_ids: list[int]) -> dict[int, list[CardNeed]]:
    """Each project's needs as its card shows them, in the needs' own order (as
    `project.needs.all()` gives them)."""
    needs: dict[int, list[CardNeed]] = {project_id: [] for project_id in project_ids}
    if project_ids:
        read = FundingNeed.objects.filter(project_id__in=project_ids)
        for project_id, instrument, amount in read.values_list(
            "project_id", "instrument", "amount"
        ):
            needs[project_id].append(CardNeed(instrument, amount))
    return needs


def saved_views_of(user) -> QuerySet[SavedView]:
    return SavedView.objects.filter(user=user)


@dataclass(frozen=True)
class SavedViewShown:
    """What the list page shows of a saved view: its name, its filters, its key (to
    delete it)."""

    pk: int
    name: str
    query: str


def saved_views_shown(user) -> tuple[SavedViewShown, ...]:
    """The user's saved views in name order, as the list page shows them; read again only
    when a record may have changed (`read_once_per_change`: a statement a page
    asked for every time, for a list that changes when its owner saves or deletes)."""

    def read() -> tuple[SavedViewShown, ...]:
        rows = saved_views_of(user).values_list("pk", "name", "query")
        return tuple(SavedViewShown(*row) for row in rows)

    database = connections[SavedView.objects.db]
    return read_once_per_change(database, "saved-views", user.pk, read, area=RECORDS)


def unread_notification_count(user) -> int:
    """How many of the user's notifications are unread (the navigation's bell, on every
    page); read again only when a record may have changed (`read_once_per_change`)."""

    def read() -> int:
        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    database = connections[Notification.objects.db]
    return read_once_per_change(database, "unread", user.pk, read, area=RECORDS)


# The fingerprint's facts in one statement (three aggregates and two lookups were four
# ORM queries, a tenth of an uncached list's time): the institution's matches counted and
# their last scoring and move read from the list's covering index alone; its offerings;
# the programme's weights; the last change of any project, from its index (the projects of
# the institution's matches, sought one by one, cost as much as the rest together); and
# its answers to suggestions (the page's suggestions are cached under it too).
VERSION_SQL = """
SELECT m.n, m.scored, m.moved, o.n, o.changed,
  (SELECT updated_at FROM {settings} ORDER BY id LIMIT 1),
  (SELECT MAX(updated_at) FROM {project}),
  (SELECT COUNT(*) FROM {answer} sa INNER JOIN {offering} ao ON sa.offering_id = ao.id
   WHERE ao.institution_id = %s)
FROM
  (SELECT COUNT(*) AS n, MAX(mm.computed_at) AS scored, MAX(mm.status_changed_at) AS moved
   FROM {match} mm INNER JOIN {offering} mo ON mm.offering_id = mo.id
   WHERE mo.institution_id = %s) m,
  (SELECT COUNT(*) AS n, MAX(updated_at) AS changed FROM {offering}
   WHERE institution_id = %s) o
"""


PROJECTS_CHANGED = 6  # the column of `VERSION_SQL` that says the last change of any project


class ListVersions(NamedTuple):
    """`match_list_versions`: fingerprints of what parts of the list page show."""

    list: str  # everything the list shows
    offerings: str  # the offerings alone (the filter form)
    decisions: str  # all but the last scoring (the suggestions drawn from decisions)
    projects: str  # the last change of any project (`card_projects`)


def match_list_version(institution) -> str:
    """The fingerprint of everything the list shows (`match_list_versions`)."""
    return match_list_versions(institution).list


def match_list_versions(institution) -> ListVersions:
    """A fingerprint of everything the institution's match list shows: its matches (how
    many, when last scored or moved), its offerings' last change, the last change of any
    project (a change to one of its projects is one of these), and the programme's weights
    (the explanations use them). Any change to what the list shows changes the
    fingerprint, so a list cached under it is never stale; checking it costs one small
    query instead of rendering the list. (A change to a project it does not show changes
    it too: the list is then built once more, never shown stale.) Its answers to
    suggestions count too: what the page suggests is drawn from the rest (decisions,
    offerings, projects) and is cached under it (`suggestions.suggestions_of_list`).

    From the same read, two narrower ones, for parts of the page that a re-score (or a
    decision) leaves unchanged and so cached: its offerings alone (how many, their last
    change: the filter form's drop-down), and everything but the last scoring (the
    suggestions, drawn from decisions, offerings and projects)."""
    sql = VERSION_SQL.format(
        settings=EngineSettings._meta.db_table,
        project=Project._meta.db_table,
        match=Match._meta.db_table,
        offering=Offering._meta.db_table,
        answer=SuggestionAnswer._meta.db_table,
    )
    database = connections[Offering.objects.db]
    key = Offering._meta.get_field("institution").get_db_prep_value(institution.pk, database)
    # at national scale the facts aggregate the institution's thousands of matches, 2-2.5
    # ms of every list request: read again only when the matches or the records may have
    # changed (not for a re-score's chunk that changed no match, on PostgreSQL)
    facts = read_once_per_change(
        database,
        "list-facts",
        key,
        lambda: _list_facts(database, sql, [key, key, key]),
        area=(RECORDS, MATCHES),
    )
    # (as text: an institution just made holds its type as the enum member, one read
    # from the database as a string, and the two fingerprints differed)
    mine = (str(institution.pk), institution.name, str(institution.institution_type))
    scored = 1  # the column of the matches' last scoring
    return ListVersions(
        *(
            hashlib.sha256(repr((mine, part)).encode()).hexdigest()[:32]
            for part in (facts, facts[3:5], facts[:scored] + facts[scored + 1 :])
        ),
        projects=projects_fingerprint(database, facts[PROJECTS_CHANGED]),
    )


def projects_fingerprint(database, last_change=...) -> str:
    """`ListVersions.projects`: the last change of any project (`last_change`, as the
    database's cursor gives `VERSION_SQL`'s column; read here when not given), so that
    what the web process keeps of projects (`kept_projects`) can say which fingerprint it
    read them under without a list's read."""
    if last_change is ...:
        with database.cursor() as cursor:
            cursor.execute(LAST_PROJECT_CHANGE_SQL.format(project=Project._meta.db_table))
            last_change = cursor.fetchone()[0]
    return repr((database.alias, last_change))


# `VERSION_SQL`'s column of the last change of any project, alone.
LAST_PROJECT_CHANGE_SQL = "SELECT MAX(updated_at) FROM {project}"


def _list_facts(database, sql: str, params: list) -> tuple:
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def list_ids_key(kind: str, version: str, filters: dict) -> str:
    """The cache key of a list's ids in order (every page of it): the list (``kind``), the
    institution's data fingerprint (`match_list_version`, which names the institution)
    and the filters and sort as the filter form understood them (``cleaned_data``), so
    that the pages and page sizes of one list share one reading of its index. A change to
    its data changes the fingerprint: the ids are never stale."""
    asked = sorted((name, getattr(value, "pk", value)) for name, value in filters.items())
    digest = hashlib.sha256(repr((kind, version, asked)).encode()).hexdigest()
    return f"match-list-ids:{digest}"


def learned_weights_of(user) -> QuerySet[LearnedWeights]:
    """What the user's institution's decisions taught its offerings; nothing for others."""
    institution = institution_of(user)
    if institution is None:
        return LearnedWeights.objects.none()
    return LearnedWeights.objects.filter(offering__institution=institution)


def access_log_of_project(project: Project) -> QuerySet[AccessLog]:
    """Who looked at a project and what they downloaded, newest first (the firm's page;
    the caller has checked the project is the firm's own)."""
    return AccessLog.objects.filter(project=project).select_related(
        "user", "institution", "document"
    )


def notifications_of(user) -> QuerySet[Notification]:
    """A person's own notifications, newest first (the model's ordering)."""
    return Notification.objects.filter(user=user)
