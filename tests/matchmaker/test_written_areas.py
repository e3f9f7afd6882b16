"""The areas' markers (`written_areas`, #26): every committed write to an area's tables
moves its marker and nothing else does, so a re-score leaves the reads kept per change
under them kept; and every read kept under an area's marker reads only that area's
tables, so it is never stale.

These tests commit (`transaction=True`): inside a test's transaction there is no marker."""

import re
import threading

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.db import DatabaseError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from matchmaker import read_once, tasks, written_areas
from matchmaker.matching import scoring
from matchmaker.models import Match, Notification, NotificationKind, SavedView
from matchmaker.review.selectors import unread_notification_count
from matchmaker.written_areas import MATCHES, RECORDS, SESSIONS
from tests.conftest import committed_elsewhere, logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def markers() -> dict:
    return written_areas.markers_read(connection)


def areas() -> dict:
    """The areas' markers alone (installing and folding are writes: the database's moves)."""
    return {area: marker for area, marker in markers().items() if area is not None}


def notify(user) -> None:
    Notification.objects.create(user=user, kind=NotificationKind.DIGEST, text="New matches")


@pytest.fixture
def market():
    """An institution's member with an offering, five projects, scored."""
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution, ticket_max=400_000_000)
    for i in range(5):
        ProjectFactory(trl=4 + i % 4)
    scoring.full_rescore_inline()
    return member


def drop_a_trigger(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"DROP TRIGGER {written_areas.TRIGGER} ON {quoted}")
        else:
            cursor.execute(f'DROP TRIGGER "{written_areas.TRIGGER}_{table}_update"')


# PostgreSQL: a table counts with its trigger on each statement, or with all four of an
# area moved only by changed rows.
WHOLE = (
    {"written_area"},
    {f"written_area_{e}" for e in ("truncated", "inserted", "updated", "deleted")},
)


def triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname LIKE %s",
                ["written_area%"],
            )
            names: dict[str, set[str]] = {}
            for table, name in cursor.fetchall():
                names.setdefault(table.strip('"'), set()).add(name)
            return {table for table, found in names.items() if any(w <= found for w in WHOLE)}
        cursor.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{written_areas.TRIGGER}_%"],
        )
        found = cursor.fetchall()
    by_table: dict[str, set[str]] = {}
    for name, table in found:
        by_table.setdefault(table, set()).add(name.rsplit("_", 1)[1])
    # a table counts only with all three of its events
    return {table for table, events in by_table.items() if events == {"insert", "update", "delete"}}


def test_every_table_but_the_unwatched_has_its_trigger_after_migrate():
    watched = written_areas.watched_tables(connection.vendor)
    unwatched = written_areas.unwatched_tables(connection.vendor)
    assert {"matchmaker_keptpair", "django_celery_results_taskresult"} <= unwatched
    assert {"django_session", "authtoken_token", Notification._meta.db_table} <= set(watched)
    assert watched["django_session"] == SESSIONS and watched["authtoken_token"] == RECORDS
    # the matches have a count only where a trigger can see that a statement changed rows
    if connection.vendor == "postgresql":
        assert watched[Match._meta.db_table] == MATCHES
    else:
        assert Match._meta.db_table in unwatched
    assert triggered_tables() == set(watched)


def test_installing_again_changes_nothing_and_mends_what_is_missing():
    """On PostgreSQL a trigger that stands is not replaced (a deploy's `migrate` would
    wait for, and hold up, the table's writers)."""
    table = connection.ops.quote_name(SavedView._meta.db_table)
    drop_a_trigger(SavedView)
    assert SavedView._meta.db_table not in triggered_tables()
    before = areas()
    with CaptureQueriesContext(connection) as queries:
        written_areas.install()
    assert triggered_tables() == set(written_areas.watched_tables(connection.vendor))
    assert areas() == before
    if connection.vendor == "postgresql":
        created = [
            q["sql"] for q in queries.captured_queries if "CREATE OR REPLACE TRIGGER" in q["sql"]
        ]
        assert len(created) == 1 and table in created[0]


def test_installing_is_one_transaction(monkeypatch):
    """An area's count appears together with its triggers, never before them (a read kept
    under a count no trigger moves would be kept stale): made to fail at its last
    statement, installing leaves nothing it did."""
    drop_a_trigger(SavedView)
    name = f"_{connection.vendor}_install"
    real = getattr(written_areas, name)
    monkeypatch.setattr(written_areas, name, lambda *args: [*real(*args), "SELECT * FROM nowhere"])
    with pytest.raises(DatabaseError):
        written_areas.install()
    assert SavedView._meta.db_table not in triggered_tables()
    monkeypatch.undo()
    written_areas.install()
    assert SavedView._meta.db_table in triggered_tables()


def test_before_migrate_made_the_counts_every_read_takes_the_databases_marker(market, monkeypatch):
    """A deploy's web processes may start before `migrate`: never stale, only slower."""
    monkeypatch.setitem(
        written_areas.MARKERS_SQL, connection.vendor, "SELECT area, n FROM no_such_table"
    )
    assert read_once.data_marker(connection, RECORDS) == read_once.data_marker(connection)
    assert unread_notification_count(market.user) == 0
    committed_elsewhere(lambda: notify(market.user))
    assert unread_notification_count(market.user) == 1


def test_health_names_a_table_without_its_trigger(client):
    """Its reads could be kept stale: `/health/` fails, naming it, until `migrate`."""
    assert written_areas.tables_without_trigger() == []
    drop_a_trigger(SavedView)
    check = client.get("/health/").json()["checks"]["read_markers"]
    assert check["ok"] is False and SavedView._meta.db_table in check["error"]
    written_areas.install()
    assert client.get("/health/").json()["checks"]["read_markers"]["ok"] is True


@pytest.mark.parametrize(
    ("write", "moved"),
    [
        ("a notification", {None, RECORDS}),
        ("a session", {None, SESSIONS}),
        ("a match", {None, MATCHES}),
    ],
)
def test_a_write_elsewhere_moves_its_areas_marker_and_no_other(market, write, moved):
    match = Match.objects.first()
    writes = {
        "a notification": lambda: notify(market.user),
        "a session": lambda: SessionStore().create(),
        "a match": lambda: Match.objects.filter(pk=match.pk).update(score=match.score + 1),
    }
    before = markers()
    committed_elsewhere(writes[write])
    after = markers()
    counted = {None, *written_areas.counted_areas(connection.vendor)}
    assert {area for area in before if after[area] != before[area]} == moved & counted


def test_a_statement_that_changes_no_match_leaves_the_matches_marker(market):
    """PostgreSQL: a re-score's chunk upserts every pair it arrived at, and most nights
    changes none; only rows changed move the matches' marker (SQLite keeps no count)."""
    if connection.vendor != "postgresql":
        assert MATCHES not in markers()
        return
    match = Match.objects.first()
    table = connection.ops.quote_name(Match._meta.db_table)
    before = markers()[MATCHES]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET score = score + 1 WHERE id = -1")
        cursor.execute(f"DELETE FROM {table} WHERE id = -1")
        cursor.execute(
            f"INSERT INTO {table} SELECT * FROM {table} WHERE id = %s ON CONFLICT DO NOTHING",
            [match.pk],
        )
    assert markers()[MATCHES] == before
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET score = score + 1 WHERE id = %s", [match.pk])
    assert markers()[MATCHES] != before
    moved = markers()[MATCHES]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert markers()[MATCHES] != moved


def test_the_connections_own_write_moves_the_marker(market):
    before = markers()
    notify(market.user)
    assert markers()[RECORDS] != before[RECORDS]


def test_a_rolled_back_write_moves_no_area(market):
    before = markers()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(market.user)
        raise RuntimeError("changed my mind")
    assert areas() == {area: marker for area, marker in before.items() if area is not None}


def test_a_write_after_a_rolled_back_savepoint_still_moves_the_marker(market):
    """PostgreSQL marks a transaction's area once (a setting local to it): a savepoint
    rolled back takes the mark back with its row, so the next write adds it again."""
    before = areas()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(market.user)
            raise RuntimeError("changed my mind")
        notify(market.user)
    assert areas()[RECORDS] != before[RECORDS]


def test_a_transaction_of_many_writes_adds_one_commit_on_postgresql(market):
    """(SQLite moves its counter on each row: one writer at a time, nothing to wait for.)"""
    before = areas()
    with transaction.atomic():
        for _ in range(3):
            notify(market.user)
        SavedView.objects.create(user=market.user, name="Launch", query="segment=launch")
    moved = int(areas()[RECORDS]) - int(before[RECORDS])
    assert moved == (1 if connection.vendor == "postgresql" else 4)


def test_emptying_a_table_at_once_moves_its_area(market):
    SavedView.objects.create(user=market.user, name="Launch", query="segment=launch")
    before = markers()
    table = connection.ops.quote_name(SavedView._meta.db_table)
    with connection.cursor() as cursor:
        statement = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
        cursor.execute(f"{statement} {table}")
    assert markers()[RECORDS] != before[RECORDS]


def test_a_rescore_leaves_the_areas_markers_and_the_kept_reads_as_they_were(market):
    """What #26 is for: the database's marker moves all through a re-score, the areas'
    do not, and the API's next request reads no token, offering or enrolment again."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=market.user).key}")
    ProjectFactory(trl=9)  # something for the re-score to write
    assert client.get("/api/v1/matches/").status_code == 200
    before = markers()
    tasks.rescore_all()
    after = markers()
    assert after[None] != before[None]
    assert (after[RECORDS], after[SESSIONS]) == (before[RECORDS], before[SESSIONS])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/matches/").status_code == 200
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert 'FROM "authtoken_token"' not in read
    assert 'FROM "investors_offering"' not in read


def test_a_rescore_that_changes_no_match_keeps_the_lists_facts_on_postgresql(market):
    """The list's facts aggregate the institution's matches and read records: kept under
    both areas' markers, so a re-score that comes out the same leaves them kept. (SQLite
    keeps no count for the matches: they are read again there, never stale.)"""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=market.user).key}")
    assert client.get("/api/v1/matches/").status_code == 200
    before = markers()
    tasks.rescore_all()  # the market was scored as it is: every pair comes out the same
    after = markers()
    assert after[None] != before[None]
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/matches/").status_code == 200
    facts_read = any("mm.computed_at" in query["sql"] for query in queries.captured_queries)
    if connection.vendor == "postgresql":
        assert after[MATCHES] == before[MATCHES]
        assert not facts_read
    else:
        assert facts_read


def test_folding_every_minute_leaves_every_marker_as_it_was(market, settings):
    entry = settings.CELERY_BEAT_SCHEDULE["fold-written-areas"]
    assert (entry["task"], entry["schedule"]) == (tasks.fold_written_areas.name, 60.0)
    for _ in range(3):
        committed_elsewhere(lambda: notify(market.user))
    before = areas()
    folded = tasks.fold_written_areas()
    assert areas() == before
    if connection.vendor == "postgresql":
        assert folded >= 3
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {written_areas.COMMITS}")
            assert cursor.fetchone()[0] == 0


def test_the_marker_counts_every_commit_while_others_fold_and_read(market):
    """Writers commit while another connection folds over and over and a third reads the
    markers: the marker never goes back, and it ends exactly as many commits on."""
    commits, start = 40, int(markers()[RECORDS])
    seen: list[int] = []
    done = threading.Event()

    def write():
        for _ in range(commits):
            notify(market.user)

    def fold_and_read():
        while not done.is_set():
            written_areas.fold()
            seen.append(int(written_areas.markers_read(connections["default"])[RECORDS]))

    workers = [threading.Thread(target=closing(write)) for _ in range(2)]
    folder = threading.Thread(target=closing(fold_and_read))
    folder.start()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    folder.join()
    assert len(seen) > 2 and seen == sorted(seen)
    assert int(markers()[RECORDS]) == start + 2 * commits


def closing(work):
    def run():
        try:
            work()
        finally:
            connections.close_all()

    return run


TABLE = re.compile(r"\w+")  # (raw SQL names its tables unquoted)


def test_every_read_kept_under_an_area_reads_only_its_tables(market, monkeypatch):
    """Each kept read of a signed-in page and of the API, read afresh, through
    `read_once.kept_read`: one kept under an area names only tables with that area's
    trigger (a read of a table no trigger watches would be kept stale)."""
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    area_of = written_areas.areas_of_tables()
    reads: dict[str, tuple[read_once.Area, set[str]]] = {}
    kept_read = read_once.kept_read

    def recorded(kind, area, read_many, missing):
        with CaptureQueriesContext(connection) as queries:
            found = kept_read(kind, area, read_many, missing)
        named = {t for q in queries.captured_queries for t in TABLE.findall(q["sql"])}
        reads.setdefault(kind, (area, set()))[1].update(named & tables)
        return found

    monkeypatch.setattr(read_once, "kept_read", recorded)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=market.user).key}")
    page = logged_in_client(market.user)
    for get in (
        lambda: page.get(reverse("institution:match_list")),
        lambda: api.get("/api/v1/matches/"),
    ):
        connection._read_once = None  # nothing kept: every read reads
        assert get().status_code == 200
    assert {
        "session",
        "user-memberships",
        "api-token",
        "offering-names",
        "institution-offerings",
        "approved-enrolments",
        "engine-weights",
        "unread",
        "saved-views",
        "list-facts",
    } <= set(reads)
    for kind, (area, named) in reads.items():
        assert named, kind
        if area is not None:
            areas_named = {area_of[table] for table in named}
            assert areas_named == (set(area) if isinstance(area, tuple) else {area}), kind
    assert reads["list-facts"][0] == (RECORDS, MATCHES)
