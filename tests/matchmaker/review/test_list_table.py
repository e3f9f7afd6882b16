"""The match list page's keys from the institution's matches held in memory
(`review.list_table`) are the database's: for every filter, combination of filters and
sort the form takes, on ties of scores and of times, with declined matches and projects
no longer submitted among them; a filter the table does not hold goes to the database."""

import itertools
import re
import time
from datetime import timedelta
from types import SimpleNamespace

import numpy as np
import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matchmaker.models import EngineSettings, Match, MatchStatus
from matchmaker.review import selectors
from matchmaker.review.filters import MatchFilter
from matchmaker.review.list_table import ListFromTable, kept_table, list_table, read_table
from matchmaker.review.selectors import (
    MATCH_CARD_FIELDS,
    CardMatch,
    match_list_version,
    matches_of_institution_member,
    offering_names,
    project_page,
)
from matchmaker.vocabulary import Criterion, Instrument, Segment, Stage
from projects.models import ProjectStatus
from tests.api.conftest import api_client_for
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory
from tests.matchmaker.review.helpers import TABLE_READ

pytestmark = pytest.mark.django_db

SORTS = ["-score", "score", "-newest", "newest"]
# (each response its own form token)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def world():
    """Three offerings (equity twice, credit) and twelve projects of two segments and
    stages, some no longer submitted; scores and creation times that tie across projects;
    every review status among the matches."""
    member = InstitutionMemberFactory()
    offerings = [
        OfferingFactory(institution=member.institution, instrument=Instrument.EQUITY),
        OfferingFactory(institution=member.institution, instrument=Instrument.EQUITY),
        OfferingFactory(institution=member.institution, instrument=Instrument.CREDIT),
    ]
    # another institution's matches: never in the table
    other = OfferingFactory()
    statuses = [ProjectStatus.SUBMITTED] * 9 + [
        ProjectStatus.DRAFT,
        ProjectStatus.WITHDRAWN,
        ProjectStatus.FUNDED,
    ]
    moments = [timezone.now() - timedelta(days=day) for day in (0, 1, 1, 2)]
    review = list(MatchStatus.values)
    for number, status in enumerate(statuses):
        project = ProjectFactory(
            segment=[Segment.LAUNCH, Segment.COMPONENTS][number % 2],
            stage=[Stage.PROTOTYPE, Stage.QUALIFICATION, Stage.PROTOTYPE][number % 3],
            status=status,
        )
        for place, offering in enumerate([*offerings, other]):
            if (number + place) % 4 == 3:
                continue  # not every project matches every offering
            match = Match.objects.create(
                project=project,
                offering=offering,
                score=[80.0, 65.5, 80.0, 40.0, 65.5][(number + 2 * place) % 5],
                engine_version="test",
                computed_at=timezone.now(),
                status=review[(number * 3 + place) % len(review)],
            )
            Match.objects.filter(pk=match.pk).update(
                created_at=moments[(number + place) % len(moments)]
            )
    return member, offerings


def _form(member, query: str) -> MatchFilter:
    match_filter = MatchFilter(
        QueryDict(query),
        queryset=matches_of_institution_member(member.user),
        offerings=member.institution.offerings.all(),
    )
    assert match_filter.is_valid(), match_filter.errors
    return match_filter


def _queries(offerings) -> list[str]:
    """Each filter alone, with every value it takes here, and combinations of them."""
    statuses = ["", *MatchStatus.values]
    instruments = ["", Instrument.EQUITY, Instrument.CREDIT, Instrument.RISK_COVER]
    others = [
        "",
        f"offering={offerings[0].pk}",
        f"offering={offerings[2].pk}",
        "segment=launch",
        "stage=qualification",
        "segment=components&stage=prototype",
        "min_score=65.5",
        "min_score=0",
        "min_score=80.5",
    ]
    combined = itertools.product(statuses, instruments, others)
    return [
        "&".join(part for part in (s and f"status={s}", i and f"instrument={i}", o) if part)
        for s, i, o in combined
    ]


def test_every_filter_and_sort_gives_the_databases_keys_and_cards(world):
    member, offerings = world
    version = match_list_version(member.institution)
    names = offering_names(member.institution)
    compared = 0
    for query, sort in itertools.product(_queries(offerings), SORTS):
        match_filter = _form(member, query)
        table = ListFromTable(member.institution, version, match_filter.form.cleaned_data, sort)
        expected = list(project_page(match_filter.qs, sort, 1, per_page=1000).object_list)
        assert table.project_keys() == expected, (query, sort)
        # what each project's card shows of its matches: the database's, in its order
        rows = match_filter.qs.filter(project_id__in=expected).order_by("-score", "id")
        by_project = {project_id: [] for project_id in expected}
        for *shown, project_id in rows.values_list(*MATCH_CARD_FIELDS, "project_id"):
            by_project[project_id].append(CardMatch(*shown))
        assert table.card_matches_by_project(expected, names) == by_project, query
        compared += bool(expected)
    # the grid is not empty answers compared with empty ones
    assert compared > 200


def test_every_filter_and_sort_gives_the_api_lists_ids_in_the_databases_order(world):
    member, offerings = world
    version = match_list_version(member.institution)
    compared = 0
    for query, sort in itertools.product(_queries(offerings), SORTS):
        match_filter = _form(member, f"{query}&sort={sort}")
        table = ListFromTable(member.institution, version, match_filter.form.cleaned_data, sort)
        expected = list(match_filter.qs.values_list("pk", flat=True))
        assert table.match_keys() == expected, (query, sort)
        compared += len(expected) > 1
    assert compared > 200


@pytest.fixture
def api_world(world):
    """The same, each match with a value for every criterion (the API explains them),
    and the programme's engine settings (a deployment's own: the first explanation
    wrote them, which moved the list's fingerprint)."""
    Match.objects.update(components=[0.5] * len(Criterion))
    EngineSettings.current()
    return world


def test_an_institution_just_made_and_read_back_has_one_fingerprint(world):
    member, _offerings = world
    read_back = type(member.institution).objects.get(pk=member.institution.pk)
    assert match_list_version(member.institution) == match_list_version(read_back)


def test_the_api_list_is_the_same_with_and_without_the_table(api_world, monkeypatch):
    member, _offerings = api_world
    client = api_client_for(member.user)
    queries = [
        "",
        "instrument=equity&min_score=60",
        "status=declined",
        "sort=newest",
        "sort=-newest&segment=launch",
        "sort=score&page=2&page_size=5",
        "page=2&page_size=7",
    ]

    def lists(keep_table: bool = False) -> list[dict]:
        cache.clear()
        if keep_table:  # as the web list keeps it
            list_table(member.institution, match_list_version(member.institution))
        read = [client.get("/api/v1/matches/?" + query) for query in queries]
        assert all(response.status_code == 200 for response in read)
        return [response.json() for response in read]

    listed = lists()
    assert sum(len(page["results"]) for page in listed) > 20
    assert lists(keep_table=True) == listed  # the web list kept its table: the API reads it
    monkeypatch.setattr(ListFromTable, "rows", None)  # every list from the database
    assert lists() == listed


def test_the_api_list_reads_its_ids_from_the_table_where_it_holds_the_filters(
    api_world, monkeypatch
):
    member, _offerings = api_world
    client = api_client_for(member.user)
    read_from_database = []
    database_keys = selectors.keys_of

    def keys_of(rows):
        read_from_database.append(rows.query.model)
        return database_keys(rows)

    monkeypatch.setattr(selectors, "keys_of", keys_of)
    list_table(member.institution, match_list_version(member.institution))  # the web list's
    for query in ("", "instrument=credit&sort=-newest", "status=shortlisted&min_score=40"):
        assert client.get("/api/v1/matches/?" + query).status_code == 200
    assert read_from_database == []
    # a filter the table does not hold: the database's index, as before
    assert client.get("/api/v1/matches/?since=2020-01-01").status_code == 200
    assert read_from_database == [Match]


def test_the_api_list_alone_builds_no_table(api_world):
    member, _offerings = api_world
    client = api_client_for(member.user)
    with CaptureQueriesContext(connection) as read:
        assert client.get("/api/v1/matches/?instrument=equity").status_code == 200
    assert not [q for q in read.captured_queries if q["sql"].startswith(TABLE_READ)]
    assert kept_table(member.institution, match_list_version(member.institution)) is None


def test_a_page_of_projects_reads_only_its_own_matches(world):
    member, _offerings = world
    table = ListFromTable(member.institution, match_list_version(member.institution), {}, "-score")
    first_two = table.project_keys()[:2]
    by_project = table.card_matches_by_project(first_two, offering_names(member.institution))
    keys = [match.pk for matches in by_project.values() for match in matches]
    read = Match.objects.filter(pk__in=keys)
    assert keys and {match.project_id for match in read} == set(first_two)


def test_a_filter_the_table_does_not_hold_goes_to_the_database(world):
    member, _offerings = world
    match_filter = _form(member, "since=2020-01-01")
    table = ListFromTable(
        member.institution,
        match_list_version(member.institution),
        match_filter.form.cleaned_data,
        "-score",
    )
    assert table.project_keys() is None and table.card_matches_by_project([1], {}) is None
    assert table.match_keys() is None


def test_the_table_holds_only_the_institutions_matches(world):
    member, offerings = world
    table = read_table(member.institution)
    assert set(table["offering"]) == {offering.pk for offering in offerings}
    assert len(table) == Match.objects.filter(offering__in=offerings).count()


def test_the_table_is_kept_under_the_lists_fingerprint(world, django_assert_num_queries):
    member, _offerings = world
    version = match_list_version(member.institution)
    list_table(member.institution, version)
    with django_assert_num_queries(0):
        list_table(member.institution, version)
    # another fingerprint: read again (the matches, the projects' fingerprint, the
    # offerings; every project's codes are kept under theirs)
    with django_assert_num_queries(3):
        list_table(member.institution, version + "x")


def test_the_tables_read_of_matches_needs_only_their_list_index(world):
    """The table's read of the institution's matches names only columns of
    `match_offering_list_idx`, so the database answers it from the index alone (a
    column outside it, such as when the match was made, read every match's row:
    20 ms instead of 4 at the benchmark's size on SQLite)."""
    member, _offerings = world
    (index,) = [i for i in Match._meta.indexes if i.name == "match_offering_list_idx"]
    indexed = {Match._meta.get_field(name.lstrip("-")).column for name in index.fields}
    with CaptureQueriesContext(connection) as read:
        read_table(member.institution)
    (sql,) = [q["sql"] for q in read.captured_queries if q["sql"].startswith(TABLE_READ)]
    sql = sql.split(" FROM ")[0] + " WHERE " + sql.split(" WHERE ", 1)[1]
    named = set(re.findall(r'"matchmaker_match"\."(\w+)"', sql))
    assert named and named <= indexed | {"id"}, named - indexed


def test_the_sorts_by_when_a_match_was_made_read_it_apart_once(world, django_assert_num_queries):
    member, _offerings = world
    version = match_list_version(member.institution)
    newest = ListFromTable(member.institution, version, {}, "-newest")
    # the offerings' keys, the table (matches, the projects' fingerprint and codes,
    # offerings), when each was made
    with django_assert_num_queries(6):
        keys = newest.project_keys()
    with django_assert_num_queries(0):  # both kept under the list's fingerprint
        assert ListFromTable(member.institution, version, {}, "-newest").project_keys() == keys
    with django_assert_num_queries(0):  # a sort by score never reads it
        ListFromTable(member.institution, version, {}, "-score").project_keys()


def test_the_list_page_shows_the_same_with_and_without_the_table(world, client, monkeypatch):
    member, _offerings = world
    client.force_login(member.user)
    queries = ["", "instrument=equity&min_score=60", "status=declined", "sort=newest", "page=2"]

    def pages() -> list[str]:
        cache.clear()
        read = [client.get("/institution/matches/?" + query) for query in queries]
        assert all(response.status_code == 200 for response in read)
        return [TOKEN.sub("", response.content.decode()) for response in read]

    shown = pages()
    assert sum(page.count('class="card match-group"') for page in shown) > 10
    monkeypatch.setattr(ListFromTable, "rows", None)  # every list from the database
    assert pages() == shown


def test_a_pages_matches_tie_on_score_by_key_whatever_order_they_were_read_in():
    from matchmaker.review.list_table import COLUMNS

    rows = np.zeros(5, dtype=COLUMNS)
    rows["id"] = [9, 7, 5, 3, 1]
    rows["project"] = [1, 2, 1, 2, 3]
    rows["score"] = [70.0, 70.0, 90.0, 70.0, 70.0]
    rows["offering"] = 4
    table = ListFromTable(None, "", {}, "-score")
    table.__dict__["rows"] = rows  # (as read: the database's order is not the keys')
    by_project = table.card_matches_by_project([1, 2], {4: "Growth"})
    assert {project: [m.pk for m in matches] for project, matches in by_project.items()} == {
        1: [5, 9],
        2: [3, 7],
    }
    assert table.project_keys() == [1, 2, 3]


def test_an_institution_without_offerings_has_an_empty_table():
    member = InstitutionMemberFactory()
    table = ListFromTable(member.institution, match_list_version(member.institution), {}, "-score")
    assert len(read_table(member.institution)) == 0
    assert table.project_keys() == [] and table.card_matches_by_project([], {}) == {}


def test_matches_whose_projects_went_between_the_reads_stay_off_the_list(world, monkeypatch):
    """The table reads the matches, then their projects: a project deleted between the two
    leaves matches with no project, which no list shows."""
    from matchmaker.review import list_table as module

    member, _offerings = world
    real = module.rows_of
    reads = []

    def projects_gone(rows):
        reads.append(1)
        return [] if len(reads) == 2 else real(rows)  # the second read: the projects

    monkeypatch.setattr(module, "rows_of", projects_gone)
    table = read_table(member.institution)
    assert len(table) and table["not_submitted"].all() and (table["segment"] == -1).all()
    listed = ListFromTable(member.institution, "gone", {}, "-score")
    listed.__dict__["rows"] = table[module._shown(table, {})]
    assert listed.project_keys() == []


def test_institutions_tables_share_one_read_of_the_projects(world):
    """Every project's codes are read once for all institutions' tables while no project
    changes (#26: each institution's first page read its thousands of projects again)."""
    member, _offerings = world
    # the world's other institution
    other = Match.objects.exclude(offering__institution=member.institution)[0].offering
    read_table(member.institution)
    with CaptureQueriesContext(connection) as read:
        table = read_table(other.institution)
    assert len(table) and (table["segment"] >= 0).all()
    from_projects = [q["sql"] for q in read.captured_queries if "projects_project" in q["sql"]]
    assert len(from_projects) == 1 and "MAX(" in from_projects[0], (
        from_projects
    )  # (its fingerprint)


def test_a_change_to_a_project_reaches_the_next_table(world):
    member, _offerings = world
    read_table(member.institution)
    project = Match.objects.filter(offering__institution=member.institution)[0].project
    project.segment = Segment.GROUND_TERMINALS
    project.save()
    table = read_table(member.institution)
    codes = set(table[table["project"] == project.pk]["segment"].tolist())
    assert codes == {list(Segment.values).index(Segment.GROUND_TERMINALS)}


def test_a_new_projects_matches_are_listed_at_once(world):
    member, offerings = world
    read_table(member.institution)
    project = ProjectFactory(segment=Segment.LAUNCH, status=ProjectStatus.SUBMITTED)
    Match.objects.create(
        project=project,
        offering=offerings[0],
        score=99.0,
        engine_version="test",
        computed_at=timezone.now(),
    )
    table = read_table(member.institution)
    (row,) = table[table["project"] == project.pk]
    assert row["segment"] == list(Segment.values).index(Segment.LAUNCH)
    assert not row["not_submitted"]


def test_a_change_its_fingerprint_misses_reaches_the_tables_within_the_codes_lifetime(
    world, monkeypatch
):
    """A change written in a transaction that commits after one stamped later leaves the
    projects' fingerprint as it was; the codes are read again after
    `PROJECT_CODES_SECONDS` all the same."""
    from django.core.cache.backends import locmem

    from matchmaker.review.list_table import PROJECT_CODES_SECONDS
    from projects.models import Project

    member, _offerings = world
    read_table(member.institution)
    project = Match.objects.filter(offering__institution=member.institution)[0].project
    # (the change without a new stamp: as the fingerprint sees such a race)
    Project.objects.filter(pk=project.pk).update(segment=Segment.GROUND_TERMINALS)
    code = list(Segment.values).index(Segment.GROUND_TERMINALS)

    def segments() -> set[int]:
        table = read_table(member.institution)
        return set(table[table["project"] == project.pk]["segment"].tolist())

    assert segments() != {code}  # (within the lifetime: the race as it is)
    later = time.time() + PROJECT_CODES_SECONDS + 1
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: later))
    assert segments() == {code}
