"""The embedded broker's worker polls less while its queues stay empty (#26: polling every
50 ms cost an idle worker 6–9 % of a core beside the web processes), and as often as before
once a message comes or while its pool is full."""

from queue import Empty
from types import SimpleNamespace

import pytest

from matchmaker import broker


class Polls:
    """The transport's queues: `script` says what each poll finds ("empty" or "message")."""

    def __init__(self, script):
        self.script = list(script)
        self.delivered = 0

    def get(self, deliver, timeout=None):
        if self.script.pop(0) == "empty":
            raise Empty()
        self.delivered += 1


def transport(script, *, pool_free=True):
    made = broker.Transport.__new__(broker.Transport)
    made.cycle = Polls(script)
    made._deliver = None
    made.channels = [SimpleNamespace(qos=SimpleNamespace(can_consume=lambda: pool_free))]
    return made


@pytest.fixture
def waits(monkeypatch):
    slept = []
    monkeypatch.setattr(broker, "sleep", slept.append)
    return slept


def test_each_empty_poll_doubles_the_wait_up_to_the_idle_interval(waits):
    polled = transport(["empty"] * 6 + ["message"])
    polled.drain_events(None)
    assert waits == [0.05, 0.1, 0.2, 0.25, 0.25, 0.25]
    assert polled.cycle.delivered == 1


def test_a_message_brings_the_wait_back_to_the_shortest(waits):
    polled = transport(["empty"] * 4 + ["message"] + ["empty"] * 2 + ["message"])
    polled.drain_events(None)
    polled.drain_events(None)
    assert waits == [0.05, 0.1, 0.2, 0.25, 0.05, 0.1]


def test_the_wait_carries_over_between_calls_while_nothing_comes(waits, monkeypatch):
    """Celery asks with a timeout (two seconds) again and again: an idle worker's wait stays
    long across those calls."""
    clock = iter([0.0, 0.0, 0.0, 3.0, 10.0, 10.0, 10.0, 13.0])
    monkeypatch.setattr(broker, "monotonic", lambda: next(clock))
    polled = transport(["empty"] * 6)
    for _call in range(2):
        with pytest.raises(TimeoutError):
            polled.drain_events(None, timeout=2.0)
    assert waits == [0.05, 0.1, 0.2, 0.25]


def test_a_worker_whose_pool_is_full_keeps_polling_at_the_shortest_wait(waits):
    """Its polls ask no query; the next message must be taken as soon as a process frees."""
    polled = transport(["empty"] * 4 + ["message"], pool_free=False)
    polled.drain_events(None)
    assert waits == [0.05] * 4
