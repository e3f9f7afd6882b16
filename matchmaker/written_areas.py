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
- `RECORDS`: every other table, but those in `UNWATCHED`, which the engine and the task
  queue write all through a run (and the record of who looked at a project, written by
  reading it). No read kept under an area's marker may read them
  (`tests/matchmaker/test_written_areas.py` runs every such read and checks its SQL).

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
from django.db import DatabaseError, connections

RECORDS = "records"
SESSIONS = "sessions"
AREAS = (RECORDS, SESSIONS)
AREA_OF_TABLE = {"django_session": SESSIONS}

# Written all through a re-score, or by reading: they move no area's marker.
UNWATCHED_MODELS = (
    "matchmaker.Match",
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


def unwatched_tables() -> set[str]:
    tables = {apps.get_model(label)._meta.db_table for label in UNWATCHED_MODELS}
    for app in apps.get_app_configs():
        if app.label in UNWATCHED_APPS:
            tables |= {model._meta.db_table for model in app.get_models()}
    return tables


def watched_tables() -> dict[str, str]:
    """Every table of an installed model (many-to-many tables too), but the unwatched,
    with its area."""
    unwatched = unwatched_tables()
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return {table: AREA_OF_TABLE.get(table, RECORDS) for table in sorted(tables - unwatched)}


def install(using: str = "default") -> None:
    """Create the counts and the triggers on every watched table, and drop the triggers of
    tables no longer watched; safe to run again (every `migrate` does, whatever it
    changed: SQLite drops a table's triggers when a migration rebuilds the table)."""
    database = connections[using]
    existing = set(database.introspection.table_names())
    watched = {table: area for table, area in watched_tables().items() if table in existing}
    unwatched = unwatched_tables() & existing
    statements = {"postgresql": _postgresql_install, "sqlite": _sqlite_install}.get(database.vendor)
    if statements is None:
        return
    quote = database.ops.quote_name
    with database.cursor() as cursor:
        for statement in statements(cursor, watched, unwatched, quote):
            cursor.execute(statement)


def tables_without_trigger(using: str = "default") -> list[str]:
    """The watched tables that lack their trigger, whose kept reads could be kept stale
    (`/health/` fails while there are any; `migrate` installs them)."""
    database = connections[using]
    if database.vendor not in ("postgresql", "sqlite"):
        return []
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            cursor.execute(STANDING_SQL, [TRIGGER])
            installed = {table for table, _args in cursor.fetchall()}
        else:
            cursor.execute(
                "SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'trigger'"
                " AND name LIKE %s GROUP BY tbl_name",
                [f"{TRIGGER}_%"],
            )
            installed = {table for table, events in cursor.fetchall() if events == 3}
    existing = set(database.introspection.table_names())
    return sorted(table for table in watched_tables() if table in existing - installed)


# PostgreSQL: the tables with the trigger, with its argument (the area).
STANDING_SQL = (
    "SELECT c.relname, t.tgargs FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
    " WHERE t.tgname = %s AND c.relnamespace = current_schema()::regnamespace"
)


def _postgresql_install(cursor, watched: dict, unwatched: set, quote) -> list[str]:
    """What is missing: a deploy's `migrate` takes no lock on a table whose trigger stands
    (replacing a trigger waits for the table's open transactions, and its writers for it)."""
    cursor.execute(STANDING_SQL, [TRIGGER])
    standing = {table: bytes(args).rstrip(b"\0").decode() for table, args in cursor.fetchall()}
    statements = [
        f"CREATE TABLE IF NOT EXISTS {COUNTS}"
        " (area text PRIMARY KEY, folded bigint NOT NULL DEFAULT 0)",
        f"CREATE TABLE IF NOT EXISTS {COMMITS} (area text NOT NULL)",
        f"INSERT INTO {COUNTS} (area) VALUES {_areas_sql()} ON CONFLICT DO NOTHING",
        f"""CREATE OR REPLACE FUNCTION {TRIGGER}_written() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE
                marked text := '{TRIGGER}.' || TG_ARGV[0];
            BEGIN
                IF current_setting(marked, true) IS DISTINCT FROM pg_current_xact_id()::text
                THEN
                    INSERT INTO {COMMITS} (area) VALUES (TG_ARGV[0]);
                    PERFORM set_config(marked, pg_current_xact_id()::text, true);
                END IF;
                RETURN NULL;
            END $$""",
    ]
    statements += [
        f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
        f" ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}_written('{area}')"
        for table, area in watched.items()
        if standing.get(table) != area
    ]
    statements += [
        f"DROP TRIGGER {TRIGGER} ON {quote(table)}" for table in unwatched if table in standing
    ]
    return statements


def _sqlite_install(_cursor, watched: dict, unwatched: set, quote) -> list[str]:
    statements = [
        f"CREATE TABLE IF NOT EXISTS {COUNTS}"
        " (area text PRIMARY KEY, n integer NOT NULL DEFAULT 0)",
        f"INSERT OR IGNORE INTO {COUNTS} (area) VALUES {_areas_sql()}",
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


def _areas_sql() -> str:
    return ", ".join(f"('{area}')" for area in AREAS)


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
