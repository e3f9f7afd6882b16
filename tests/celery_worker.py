"""Real Celery workers for tests: the embedded SQLite-file broker, or Redis on CI.

`real_worker` consumes in a thread of the test process; `worker_process` runs one in a
process of its own, on the same test database, so a test can kill it.
"""

import contextlib
import os
import signal
import subprocess
import time
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker
from kombu.exceptions import OperationalError

from matchmaker.celery import app
from matchmaker.devtools.workers import start_worker as start_worker_process


@contextmanager
def broker(url: str):
    """Point the Celery app at another broker, publishing for real (not eagerly)."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration
    # (CI sets it for Redis), so the override goes there too while the block runs.
    saved_environ = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.update(broker_url=url, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    if url.startswith("redis://"):
        # One Redis database serves every test: start empty. The broker-down tests point
        # at a Redis that is not there, on purpose.
        with contextlib.suppress(OperationalError):
            app.control.purge()
    try:
        yield
    finally:
        if saved_environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_environ
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


def wait_for(condition, seconds: float = 30.0, every: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def database_url_of_tests() -> str:
    """The test database as a URL another process can open (it must be a file or a server)."""
    from django.db import connection

    database = connection.settings_dict
    if connection.vendor == "sqlite":
        assert "memory" not in database["NAME"], "worker processes need a file database"
        return f"sqlite:///{database['NAME']}"
    user = database["USER"] or "postgres"
    return f"postgres://{user}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"


def worker_process(broker_url: str, var_dir) -> subprocess.Popen:
    """A real worker in a process of its own (so it can be killed), on the test database."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "matchmaker.settings",
        "DATABASE_URL": database_url_of_tests(),
        "CELERY_BROKER_URL": broker_url,
        "VAR_DIR": str(var_dir),
    }
    return start_worker_process(environment, own_session=True)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL, as the kernel's OOM killer or a lost machine would: no clean-up at all."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
