"""Markers of the areas of the database people write, which a re-score leaves as they were
(#26).

A read kept per change (`matchmaker.read_once`) is read again when its marker moves. The
database's own marker (PostgreSQL's snapshot, SQLite's `data_version`) moves on every
commit anywhere, and a re-score commits all through its run: its chunks, its packages,
its progress. So through a run every API request read its token, offerings and
enrolments again, and every page its memberships, offering names and unread count: 3 ms
of CPU a request, a third of it.

Here the tables are split in areas, each with a counter that every committed write to one
of its tables moves, in the same transaction as the write (triggers, installed after
every `migrate`: `install`):

- `SESSIONS`: the stored sessions, which each signed-in user renews once a minute;
- `MATCHES`: the matches, on PostgreSQL only, and moved only by a statement that changed
  a row (a trigger with transition tables): a re-score's chunk upserts every pair it
  arrived at, and most nights changes none. SQLite has only triggers on each row, and a
  first scoring's 537,000 rows would each move a counter (+0.9 s): there the area has no
  count, and a read kept under it takes the database's marker (`markers_read`);
- `RECORDS`: every other table, but those in `UNWATCHED_MODELS` and `UNWATCHED_APPS`,
  which the engine and the task queue write all through a run (and the record of who
  looked at a project, written by reading it). No read kept under an area's marker may
  read them (`tests/matchmaker/test_written_areas.py` runs every such read and checks
  its SQL). A read of several areas' tables is kept under each of their markers.

An area's marker is never stale, as the database's own is not: it is read before the
data it vouches for, and the count and the data a write changes become visible to
others at the same moment, as one commit.

PostgreSQL: each writing transaction adds one row per area it wrote
(`written_area_commit`: an insert, so concurrent writers never wait on each other, which a
shared counter row would make them do until they commit), from a trigger on each
statement (a bulk write adds one row, not one per row; a setting local to the
transaction, which a savepoint rolled back takes back with the row, says it was added).
The marker is the area's folded count plus its rows; `fold` (every minute, beat) moves
the rows into the count in one statement, which leaves every marker as it was. SQLite:
one writer at a time, so a counter per area, moved by a trigger on each row.

The tables are not Django models: a test database's flush, which empties every model's
table, must not set a counter back to where a connection's kept reads saw it before.
"""

from django.apps import apps
from django.db import DatabaseError, connections, transaction

RECORDS = "records"
SESSIONS = "sessions"
MATCHES = "matches"
AREAS = (RECORDS, SESSIONS, MATCHES)
AREA_OF_TABLE = {"django_session": SESSIONS, "matchmaker_match": MATCHES}
# Moved only by a statement that changed rows (PostgreSQL: counted there alone).
ROWS_CHANGED_AREAS = (MATCHES,)

# Written all through a re-score, or by reading: they move no area's marker.
UNWATCHED_MODELS = (
    "matchmaker.KeptPair",
    "matchmaker.Package",
    "matchmaker.PackageMember",
    "matchmaker.PendingScoring",
    "matchmaker.ScoringChunk",
    "matchmaker.ScoringRun",
    "matchmaker.AccessLog",
)
UNWATCHED_APPS = ("django_celery_results", "django_celery_beat")  # (app labels)

TRIGGER = "written_area"
COUNTS = "written_area"
COMMITS = "written_area_commit"


def counted_areas(vendor: str) -> tuple[str, ...]:
    """The areas a database of this kind keeps a count for."""
    if vendor == "postgresql":
        return AREAS
    return tuple(area for area in AREAS if area not in ROWS_CHANGED_AREAS)


def areas_of_tables() -> dict[str, str | None]:
    """Every table of an installed model (many-to-many tables too) with its area, None for
    the unwatched, whatever the database."""
    unwatched = {apps.get_model(label)._meta.db_table for label in UNWATCHED_MODELS}
    for app in apps.get_app_configs():
        if app.label in UNWATCHED_APPS:
            unwatched |= {model._meta.db_table for model in app.get_models()}
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return {
        table: None if table in unwatched else AREA_OF_TABLE.get(table, RECORDS)
        for table in sorted(tables | unwatched)
    }


def watched_tables(vendor: str) -> dict[str, str]:
    """The tables whose writes move an area's count on this kind of database, with it."""
    counted = counted_areas(vendor)
    return {table: area for table, area in areas_of_tables().items() if area in counted}


def unwatched_tables(vendor: str) -> set[str]:
    return set(areas_of_tables()) - set(watched_tables(vendor))


def _watched_existing(database, existing: set[str]) -> dict[str, str]:
    """The watched tables this database has made so far, with their areas."""
    return {t: area for t, area in watched_tables(database.vendor).items() if t in existing}


def install(using: str = "default") -> None:
    """Create the counts and the triggers on every watched table, and drop the triggers of
    tables no longer watched; safe to run again (every `migrate` does, whatever it
    changed: SQLite drops a table's triggers when a migration rebuilds the table)."""
    database = connections[using]
    existing = set(database.introspection.table_names())
    watched = _watched_existing(database, existing)
    unwatched = unwatched_tables(database.vendor) & existing
    statements = {"postgresql": _postgresql_install, "sqlite": _sqlite_install}.get(database.vendor)
    if statements is None:
        return
    quote = database.ops.quote_name
    # one transaction: an area's count appears with its triggers, never before them (a
    # read kept under a count no trigger moved yet would be kept stale)
    with transaction.atomic(using=using), database.cursor() as cursor:
        for statement in statements(cursor, watched, unwatched, quote):
            cursor.execute(statement)


def tables_without_trigger(using: str = "default") -> list[str]:
    """The watched tables that lack their trigger, whose kept reads could be kept stale
    (`/health/` fails while there are any; `migrate` installs them)."""
    database = connections[using]
    if database.vendor not in ("postgresql", "sqlite"):
        return []
    watched = _watched_existing(database, set(database.introspection.table_names()))
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            standing = _postgresql_standing(cursor)
            lacking = {
                table
                for table, area in watched.items()
                for name in _postgresql_triggers(table, area, database.ops.quote_name)
                if standing.get((table, name)) != area
            }
            return sorted(lacking)
        cursor.execute(
            "SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'trigger'"
            " AND name LIKE %s GROUP BY tbl_name",
            [f"{TRIGGER}_%"],
        )
        installed = {table for table, events in cursor.fetchall() if events == 3}
    return sorted(set(watched) - installed)


# PostgreSQL: the triggers of ours (`written_area`, `written_area_…`), each with its
# table and its argument (the area).
STANDING_SQL = (
    "SELECT c.relname, t.tgname, t.tgargs FROM pg_trigger t JOIN pg_class c"
    " ON c.oid = t.tgrelid WHERE (t.tgname = %s OR t.tgname LIKE %s)"
    " AND c.relnamespace = current_schema()::regnamespace"
)


def _postgresql_standing(cursor) -> dict[tuple[str, str], str]:
    """(table, trigger) → area, of the triggers standing."""
    cursor.execute(STANDING_SQL, [TRIGGER, f"{TRIGGER}\\_%"])
    return {
        (table, name): bytes(args).rstrip(b"\0").decode() for table, name, args in cursor.fetchall()
    }


def _postgresql_triggers(table: str, area: str, quote) -> dict[str, str]:
    """The triggers a watched table needs, by name: one on each statement; for an area
    moved only by changed rows, one per event that sees the rows it changed (transition
    tables, one event each), and emptying the table at once."""
    on = f"ON {quote(table)}"
    each = "FOR EACH STATEMENT EXECUTE FUNCTION"
    if area not in ROWS_CHANGED_AREAS:
        return {
            TRIGGER: f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE"
            f" OR TRUNCATE {on} {each} {TRIGGER}_written('{area}')"
        }
    name = f"{TRIGGER}_truncated"
    triggers = {
        name: f"CREATE OR REPLACE TRIGGER {name} AFTER TRUNCATE {on} {each}"
        f" {TRIGGER}_written('{area}')"
    }
    for event, rows, done in (
        ("INSERT", "NEW", "inserted"),
        ("UPDATE", "NEW", "updated"),
        ("DELETE", "OLD", "deleted"),
    ):
        name = f"{TRIGGER}_{done}"
        triggers[name] = (
            f"CREATE OR REPLACE TRIGGER {name} AFTER {event} {on} REFERENCING {rows} TABLE"
            f" AS written_rows {each} {TRIGGER}_rows_written('{area}')"
        )
    return triggers


def _postgresql_install(cursor, watched: dict, _unwatched: set, quote) -> list[str]:
    """What is missing: a deploy's `migrate` takes no lock on a table whose triggers stand
    (replacing a trigger waits for the table's open transactions, and its writers for it).
    A trigger of ours that no watched table needs is dropped."""
    standing = _postgresql_standing(cursor)
    statements = [
        f"CREATE TABLE IF NOT EXISTS {COUNTS}"
        " (area text PRIMARY KEY, folded bigint NOT NULL DEFAULT 0)",
        f"CREATE TABLE IF NOT EXISTS {COMMITS} (area text NOT NULL)",
        f"INSERT INTO {COUNTS} (area) VALUES {_areas_sql('postgresql')} ON CONFLICT DO NOTHING",
        # one row per writing transaction and area (a setting local to the transaction
        # says it was added; a savepoint rolled back takes both back)
        f"""CREATE OR REPLACE FUNCTION {TRIGGER}_mark(written text) RETURNS void
            LANGUAGE plpgsql AS $$
            DECLARE
                marked text := '{TRIGGER}.' || written;
            BEGIN
                IF current_setting(marked, true) IS DISTINCT FROM pg_current_xact_id()::text
                THEN
                    INSERT INTO {COMMITS} (area) VALUES (written);
                    PERFORM set_config(marked, pg_current_xact_id()::text, true);
                END IF;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION {TRIGGER}_written() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM {TRIGGER}_mark(TG_ARGV[0]);
                RETURN NULL;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION {TRIGGER}_rows_written() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM written_rows) THEN
                    PERFORM {TRIGGER}_mark(TG_ARGV[0]);
                END IF;
                RETURN NULL;
            END $$""",
    ]
    needed = {
        (table, name): (area, create)
        for table, area in watched.items()
        for name, create in _postgresql_triggers(table, area, quote).items()
    }
    statements += [create for key, (area, create) in needed.items() if standing.get(key) != area]
    statements += [
        f"DROP TRIGGER {name} ON {quote(table)}"
        for table, name in sorted(standing)
        if (table, name) not in needed
    ]
    return statements


def _sqlite_install(_cursor, watched: dict, unwatched: set, quote) -> list[str]:
    statements = [
        f"CREATE TABLE IF NOT EXISTS {COUNTS}"
        " (area text PRIMARY KEY, n integer NOT NULL DEFAULT 0)",
        f"INSERT OR IGNORE INTO {COUNTS} (area) VALUES {_areas_sql('sqlite')}",
    ]
    for table in list(watched) + sorted(unwatched):
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = quote(f"{TRIGGER}_{table}_{event.lower()}")
            statements.append(f"DROP TRIGGER IF EXISTS {name}")
            if table in watched:
                statements.append(
                    f"CREATE TRIGGER {name} AFTER {event} ON {quote(table)} BEGIN"
                    f" UPDATE {COUNTS} SET n = n + 1 WHERE area = '{watched[table]}'; END"
                )
    return statements


def _areas_sql(vendor: str) -> str:
    return ", ".join(f"('{area}')" for area in counted_areas(vendor))


# The database's own marker (the key None), alone where `migrate` has not yet made the
# areas' counts, and each area's.
DATABASE_MARKER_SQL = {
    "postgresql": "SELECT NULL, pg_current_snapshot()::text",
    "sqlite": (
        "SELECT NULL, (SELECT data_version FROM pragma_data_version()) || ':' || total_changes()"
    ),
}
AREA_MARKERS_SQL = {
    "postgresql": (
        f"SELECT area, (folded + (SELECT count(*) FROM {COMMITS} c WHERE c.area = a.area))::text"
        f" FROM {COUNTS} a"
    ),
    "sqlite": f"SELECT area, n FROM {COUNTS}",
}
# Both in one statement: what `read_once.data_marker` takes once a request.
MARKERS_SQL = {
    vendor: f"{DATABASE_MARKER_SQL[vendor]} UNION ALL {AREA_MARKERS_SQL[vendor]}"
    for vendor in DATABASE_MARKER_SQL
}


def markers_read(database) -> dict | None:
    """The database's own marker (under None) and each area's, in one statement; None on
    a database that has none. Before `migrate` has made the areas' counts (a deploy's web
    processes may start first), the database's own alone, which `read_once` then uses
    for every read: never stale, only slower (and `/health/` says why)."""
    sql = MARKERS_SQL.get(database.vendor)
    if sql is None:
        return None
    try:
        with database.cursor() as cursor:
            cursor.execute(sql)
            return dict(cursor.fetchall())
    except DatabaseError:
        with database.cursor() as cursor:
            cursor.execute(DATABASE_MARKER_SQL[database.vendor])
            return dict(cursor.fetchall())


def fold(using: str = "default") -> int:
    """PostgreSQL: move the committed writes' rows into their areas' counts, in one
    statement, which every reader sees whole or not at all, so no marker moves. How many
    rows it moved; nothing to do on SQLite."""
    database = connections[using]
    if database.vendor != "postgresql":
        return 0
    with database.cursor() as cursor:
        cursor.execute(
            f"""WITH gone AS (
                    DELETE FROM {COMMITS} WHERE area IN (SELECT area FROM {COUNTS})
                    RETURNING area
                ), moved AS (
                    UPDATE {COUNTS} a SET folded = folded + g.n
                    FROM (SELECT area, count(*) AS n FROM gone GROUP BY area) g
                    WHERE a.area = g.area RETURNING g.n
                )
                SELECT coalesce(sum(n), 0) FROM moved"""
        )
        return int(cursor.fetchone()[0])
