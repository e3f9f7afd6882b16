"""Keep the embedded database's write-ahead log folded into the database after bulk writes.

Why (#26): SQLite checkpoints its WAL on commit, as a writer, once the log passes 1,000
pages; while readers still hold older snapshots that checkpoint stops part way. A full
re-score commits without pause while the lists are read, so it ends with a WAL of 200 MB
that nothing folds back: no commit follows to trigger the next checkpoint. Every read
after it looks each page up in the log's index first. Measured on the benchmark's world
(537,000 matches, `make serve`, 20 connections, every request a different institution,
filter and page): the API list answered 64 requests/s after a re-score and 100 once the
log was checkpointed. When the log is wholly copied back, SQLite lets readers skip it.

A passive checkpoint never waits for a reader or blocks a writer, and costs nothing when
the log is already folded, so beat asks for one every minute (`tasks.checkpoint_database`).
PostgreSQL checkpoints by itself: nothing to do there.
"""

from django.db import connection


def checkpoint() -> tuple[int, int, int] | None:
    """Fold the WAL into the database as far as readers allow: (busy, frames in the log,
    frames copied back), as SQLite's `wal_checkpoint` reports them; None off SQLite."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        busy, logged, copied = cursor.fetchone()
    return busy, logged, copied
