"""A real Celery worker for tests: the embedded SQLite-file broker, or Redis on CI.

The worker consumes in a thread of the test process, sharing the test database.
"""

import os
import time
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker

from matchmaker.celery import app


@contextmanager
def broker(url: str):
    """Point the Celery app at another broker, publishing for real (not eagerly)."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.update(broker_url=url, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.update(broker_url=saved[0], task_always_eager=saved[1])
        app._pool = None
        app.amqp._producer_pool = None


def broker_url_for_tests(tmp_path) -> str:
    """Redis on CI (where a missing server must fail, not skip), else an SQLite file."""
    if os.environ.get("MATCHMAKER_REQUIRE_SERVICES"):
        url = os.environ.get("CELERY_BROKER_URL", "")
        assert url.startswith("redis://"), "CI must run the worker tests on Redis"
        return url
    return f"sqlite-poll+sqlite:///{tmp_path / 'broker.sqlite3'}"


@contextmanager
def real_worker(url: str):
    with broker(url), start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False
