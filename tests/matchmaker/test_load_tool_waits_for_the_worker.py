"""`make load`'s "worker idle" figures are taken with the worker idle, and nothing of one
backend's server runs on into the next backend's measurement (#26): the tool finds the
server's processes by their session, waits until its Celery processes stop using the CPU,
and kills whatever outlived the server's stop."""

import subprocess
import sys
import time

import pytest

from matchmaker.devtools import load

# A stand-in for a worker's pool process: "celery" in its command line, busy for a while
# (a package batch), then idle.
BUSY_THEN_IDLE = (
    "import time  # celery\n"
    "end = time.monotonic() + {busy}\n"
    "while time.monotonic() < end: pass\n"
    "time.sleep(60)\n"
)


@pytest.fixture
def server_like():
    started = []

    def start(busy: float) -> subprocess.Popen:
        child = subprocess.Popen(
            [sys.executable, "-c", BUSY_THEN_IDLE.format(busy=busy)], start_new_session=True
        )
        started.append(child)
        return child

    yield start
    for child in started:
        child.kill()
        child.wait()


def test_the_wait_lasts_while_the_worker_is_busy(server_like, monkeypatch):
    monkeypatch.setattr(load, "WORKER_IDLE_S", 0.5)
    child = server_like(busy=2.0)
    time.sleep(0.3)
    waited = load.wait_until_worker_idle(child.pid)
    assert 1.5 <= waited < 6
    assert load.worker_cpu(child.pid) >= 1.0


def test_an_idle_worker_is_not_waited_for(server_like, monkeypatch):
    monkeypatch.setattr(load, "WORKER_IDLE_S", 0.5)
    child = server_like(busy=0.0)
    time.sleep(0.3)
    assert load.wait_until_worker_idle(child.pid) < 1.2


def test_what_outlived_the_server_is_stopped(server_like):
    child = server_like(busy=0.0)
    time.sleep(0.3)
    assert child.pid in load._session_cpu(child.pid)
    load.stop_what_outlived(child.pid)
    assert child.wait(timeout=5) != 0
    assert load._session_cpu(child.pid) == {}
