"""A lone Celery worker in a process of its own, for measurements and tests that need a
real one (the benchmark's end-to-end figure, the worker-killing tests)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# One process, no chatter with other workers: quick to start, easy to kill.
WORKER_COMMAND = [
    sys.executable,
    "-m",
    "celery",
    "-A",
    "matchmaker",
    "worker",
    "--pool=solo",
    "--without-heartbeat",
    "--without-gossip",
    "--without-mingle",
    "--loglevel=WARNING",
]


def start_worker(environment: dict, own_session: bool = False) -> subprocess.Popen:
    """Start it with this environment (DATABASE_URL, CELERY_BROKER_URL, …)."""
    return subprocess.Popen(
        WORKER_COMMAND, env=environment, cwd=ROOT, start_new_session=own_session
    )
