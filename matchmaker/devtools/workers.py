"""A lone Celery worker in a process of its own, for measurements and tests that need a
real one (the benchmark's end-to-end figure, the worker-killing tests)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def worker_command(pool: str = "solo", concurrency: int = 1) -> list[str]:
    """No chatter with other workers: quick to start, easy to kill."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "matchmaker",
        "worker",
        f"--pool={pool}",
        f"--concurrency={concurrency}",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=WARNING",
    ]


# One process: the solo pool.
WORKER_COMMAND = worker_command()


def start_worker(environment: dict, own_session: bool = False) -> subprocess.Popen:
    """Start it with this environment (DATABASE_URL, CELERY_BROKER_URL, …)."""
    return subprocess.Popen(
        WORKER_COMMAND, env=environment, cwd=ROOT, start_new_session=own_session
    )
