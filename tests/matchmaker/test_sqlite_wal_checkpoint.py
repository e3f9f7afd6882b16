"""After bulk writes the embedded database's write-ahead log is folded back into the
database every minute, so reads stop looking pages up in it (#26, `matchmaker/sqlite_wal.py`).

These tests commit (`transaction=True`): what is checkpointed is what was committed."""

import struct
from pathlib import Path

import pytest
from django.db import connection

from matchmaker import sqlite_wal, tasks
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def frames_logged_and_copied() -> tuple[int, int]:
    """(frames in the log, frames copied back) from SQLite's WAL index (the `-shm` file):
    the header's mxFrame at byte 16, the checkpoint's nBackfill at byte 96, native order.
    Read from the file, not asked with a PRAGMA, which would checkpoint itself."""
    shm = Path(connection.settings_dict["NAME"] + "-shm").read_bytes()
    (logged,) = struct.unpack_from("=I", shm, 16)
    (copied,) = struct.unpack_from("=I", shm, 96)
    return logged, copied


def test_a_checkpoint_folds_every_committed_frame_back_into_the_database():
    if connection.vendor != "sqlite":
        assert sqlite_wal.checkpoint() is None  # PostgreSQL checkpoints by itself
        return
    ProjectFactory.create_batch(3)
    logged, copied = frames_logged_and_copied()
    assert logged > copied  # committed pages wait in the log
    busy, in_log, copied_now = sqlite_wal.checkpoint()
    assert busy == 0 and in_log == copied_now == logged
    assert frames_logged_and_copied() == (logged, logged)


def test_beat_asks_for_a_checkpoint_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["checkpoint-database"]
    assert entry["task"] == tasks.checkpoint_database.name
    assert entry["schedule"] <= 60
    if connection.vendor != "sqlite":
        assert tasks.checkpoint_database() is None
        return
    ProjectFactory()
    busy, in_log, copied = tasks.checkpoint_database()
    assert busy == 0 and in_log == copied > 0
