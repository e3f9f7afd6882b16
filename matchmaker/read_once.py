"""Reads a connection repeats only when the database may have changed (#26).

Some reads are asked on every request and almost never change: an institution's list
fingerprint (its thousands of matches aggregated), an API token with its user and
memberships (a seven-table join) and a signed-in page's memberships (six tables).
`read_once_per_change` keeps what a connection read together with a marker of the data it
saw (`data_marker`), and reads again only when the marker moved: after any write this
connection can see, its own or another's, whoever made it. Never stale, so it needs no
invalidation of its own; one trivial statement per use, or per request inside
`one_marker_per_request` (a page asked for the marker three or four times).
`read_once_per_change_many` does the same for several keys at once (the offerings of a page
of the API's rows).

A read that names an area (`written_areas`: the stored sessions, the matches, or every
other record people write), or the areas whose tables it reads, is kept under their
markers, which writes elsewhere leave as they were: a re-score commits all through its
run and moves the database's marker each time, and so made every request read its
token, memberships and offerings again.
"""

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.db import connections

from matchmaker import written_areas

T = TypeVar("T")

# What one connection's session keeps per kind of read; past it, that kind starts again
# (a client sending ever new keys must not grow a process without bound).
MAX_ENTRIES = 2_000


Area = str | tuple[str, ...] | None


def read_once_per_change(
    database, kind: str, key, read: Callable[[], T], *, area: Area = None
) -> T:
    """`read()`, or what it returned when this connection last read `kind` for `key`, if
    nothing it can read has changed since (`data_marker`), or, for a read of one `area`'s
    tables only (or of a tuple of areas'), nothing in that area (those areas). Inside a
    transaction (no marker) it always reads, and a read that found nothing (None) is read
    again next time. Kept for the life of the connection's session
    (`read_once_per_change_many`, one key)."""

    def read_one(_keys: list) -> dict:
        value = read()
        # nothing found is not kept: keys that name nothing cannot fill it
        return {} if value is None else {key: value}

    return read_once_per_change_many(database, kind, [key], read_one, area=area).get(key)


def read_once_per_change_many(
    database,
    kind: str,
    keys,
    read_many: Callable[[list], dict[object, T]],
    *,
    area: Area = None,
) -> dict[object, T]:
    """`read_once_per_change` for several keys with one marker: the keys this connection
    read under the current marker come from what it kept, the others from one
    `read_many(missing)`, which returns what it found by key (a key it leaves out is not
    kept). A page needs a few of many rows (the API rows' offerings): reading only the
    missing ones keeps a changing database (a re-score writing) as cheap as before.
    `area` as `read_once_per_change` says."""
    keys = list(dict.fromkeys(keys))
    marker = data_marker(database, area)
    if marker is None:
        return read_many(keys) if keys else {}
    marker = (area, marker)
    memo = _session_memo(database).setdefault(kind, {})
    found = {}
    for key in keys:
        remembered = memo.get(key)
        if remembered is not None and remembered[0] == marker:
            found[key] = remembered[1]
    missing = [key for key in keys if key not in found]
    if missing:
        fresh = kept_read(kind, area, read_many, missing)
        if len(memo) + len(fresh) > MAX_ENTRIES:
            memo.clear()
        for key, value in fresh.items():
            memo[key] = (marker, value)
        found.update(fresh)
    return found


def kept_read(kind: str, area: Area, read_many: Callable, missing: list) -> dict:
    """The one place every read kept per change is read: a test runs them all through it
    and checks that a read kept under an area's marker reads only that area's tables."""
    return read_many(missing)


def _session_memo(database) -> dict:
    """What this connection's session read, with the markers; a new session (whose SQLite
    counters start again) starts with nothing."""
    memo = getattr(database, "_read_once", None)
    if memo is None or memo[0] is not database.connection:
        memo = database._read_once = (database.connection, {})
    return memo[1]


def data_marker(database, area: Area = None):
    """A value that stays equal only while nothing this connection can read has changed
    (or, given an `area`, nothing in that area, or those areas: `written_areas`), or None
    where there is none (inside a transaction, whose own writes it would miss, and on
    other databases).
    Taken before the read it vouches for, so a change made meanwhile changes the next one.

    SQLite: `data_version` changes when another connection commits, and the connection's
    own `total_changes` when it writes. PostgreSQL: the current snapshot
    (`pg_current_snapshot`: one past the last transaction to end, and those still running
    below it) changes whenever a transaction that wrote commits or aborts, so an equal one
    means the same committed data. The areas' markers are read in the same statement.

    Inside `one_marker_per_request`, the markers are taken once and kept until the request
    writes through this connection."""
    if database.in_atomic_block:
        return None
    shared = _request_markers.get()
    if shared is None:
        markers = written_areas.markers_read(database)
    else:
        if database.alias not in shared:
            shared[database.alias] = written_areas.markers_read(database)
        markers = shared[database.alias]
    if markers is None:
        return None
    # (an area the database has no count for: its own marker, never stale)
    if isinstance(area, tuple):
        return tuple(markers.get(each, markers[None]) for each in area)
    return markers.get(area, markers[None])


# The markers of the request being answered, by database alias (`one_marker_per_request`).
_request_markers: ContextVar[dict | None] = ContextVar("read_once_markers", default=None)
# The statements that only read: anything else forgets the request's marker.
READING = ("SELECT", "PRAGMA")


@contextmanager
def one_marker_per_request() -> Iterator[None]:
    """One `data_marker` per database for what runs inside (a request), instead of one per
    read: a list page asked for it for the memberships, the offerings' keys, the list's
    fingerprint, the unread count and the saved views, a statement each.

    Why it is still never stale: a marker is taken before the reads it vouches for, and
    every read inside comes after it, so what they keep is at least as new as the marker
    says. A read inside may return what was true when the request began although another
    connection has since committed (as if the request had run a moment earlier); the next
    request takes a new marker and reads again. A statement of the request's own that is
    not a read (`READING`: writes, savepoints, anything else) forgets the marker, so what
    follows sees the request's own writes."""
    token = _request_markers.set({})
    try:
        with ExitStack() as watching:
            for alias in connections:
                watching.enter_context(connections[alias].execute_wrapper(_forgets_on_write(alias)))
            yield
    finally:
        _request_markers.reset(token)


def _forgets_on_write(alias: str):
    def wrapper(execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        finally:
            if not sql.lstrip()[:6].upper().startswith(READING):  # (not the whole statement)
                shared = _request_markers.get()
                if shared is not None:
                    shared.pop(alias, None)

    return wrapper


class OneMarkerPerRequestMiddleware:
    """Each request inside `one_marker_per_request`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with one_marker_per_request():
            return self.get_response(request)
