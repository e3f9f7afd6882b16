"""`read_once_per_change_many`: several keys under one marker (#26). Only the keys a
connection has not kept under the current marker are read, all of them again after any
write, a key the read leaves out is not kept, a transaction reads every time, and what a
kind of read keeps stays bounded.

These tests commit (`transaction=True`): inside a test's transaction there is no marker."""

import pytest
from django.db import connection, transaction

from matchmaker import read_once
from matchmaker.read_once import read_once_per_change_many
from tests.conftest import committed_elsewhere
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Reads:
    """A read that answers `value-<key>` for the keys it knows and says what it was asked."""

    def __init__(self, known=None):
        self.asked: list[list] = []
        self.known = known

    def __call__(self, keys: list) -> dict:
        self.asked.append(list(keys))
        return {key: f"value-{key}" for key in keys if self.known is None or key in self.known}


def test_only_the_keys_not_kept_are_read():
    reads = Reads()
    assert read_once_per_change_many(connection, "test", [1, 2], reads) == {
        1: "value-1",
        2: "value-2",
    }
    assert read_once_per_change_many(connection, "test", [2, 3, 3], reads) == {
        2: "value-2",
        3: "value-3",
    }
    assert reads.asked == [[1, 2], [3]]
    read_once_per_change_many(connection, "test", [1, 2, 3], reads)
    assert reads.asked == [[1, 2], [3]]


def test_a_write_elsewhere_reads_every_key_again():
    reads = Reads()
    read_once_per_change_many(connection, "test", [1, 2], reads)
    committed_elsewhere(lambda: UserFactory())
    read_once_per_change_many(connection, "test", [1, 2], reads)
    assert reads.asked == [[1, 2], [1, 2]]


def test_a_key_the_read_leaves_out_is_not_kept():
    reads = Reads(known={1})
    assert read_once_per_change_many(connection, "test", [1, 9], reads) == {1: "value-1"}
    assert read_once_per_change_many(connection, "test", [1, 9], reads) == {1: "value-1"}
    assert reads.asked == [[1, 9], [9]]


def test_inside_a_transaction_every_call_reads():
    reads = Reads()
    with transaction.atomic():
        read_once_per_change_many(connection, "test", [1], reads)
        read_once_per_change_many(connection, "test", [1], reads)
    assert reads.asked == [[1], [1]]


def test_what_a_kind_keeps_is_bounded(monkeypatch):
    monkeypatch.setattr(read_once, "MAX_ENTRIES", 3)
    reads = Reads()
    read_once_per_change_many(connection, "test", [1, 2, 3], reads)
    read_once_per_change_many(connection, "test", [4], reads)
    kept = connection._read_once[1]["test"]
    assert len(kept) <= 3 and 4 in kept
