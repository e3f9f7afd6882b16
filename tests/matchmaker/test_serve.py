"""`make serve` runs web, worker and beat under a supervisor: each process that dies is
restarted on its own, and the others keep serving meanwhile."""

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.celery_worker import wait_for

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:
        return 0


@pytest.fixture
def served(tmp_path):
    environment = {
        **os.environ,
        "VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": f"sqlite-poll+sqlite:///{tmp_path / 'broker.sqlite3'}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "WEB_CONCURRENCY": "2",
        "CELERY_CONCURRENCY": "1",
    }
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=environment, check=True
        )
    port = free_port()
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "matchmaker.serve", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    control = [
        Path(sys.executable).parent / "supervisorctl",
        "-c",
        str(tmp_path / "supervisord.conf"),
    ]
    try:
        yield f"http://127.0.0.1:{port}/", control
    finally:
        supervisor.terminate()  # supervisord stops its programs, then itself
        supervisor.wait(timeout=60)


def pids(control) -> dict[str, int]:
    status = subprocess.run([*control, "status"], capture_output=True, text=True).stdout
    return {
        name: int(pid)
        for name, pid in re.findall(r"^(\w+)\s+RUNNING\s+pid (\d+)", status, re.MULTILINE)
    }


def test_each_process_that_dies_is_restarted_while_the_rest_serve(served):
    url, control = served
    assert wait_for(lambda: answers(url) == 200, seconds=60)
    assert wait_for(lambda: set(pids(control)) == {"web", "worker", "beat"}, seconds=60)
    before = pids(control)

    os.kill(before["worker"], signal.SIGKILL)
    assert answers(url) == 200  # web serves while the worker is down
    assert wait_for(lambda: pids(control).get("worker", before["worker"]) != before["worker"])

    # A killed gunicorn master's workers notice within a second or so and leave; then
    # the restarted master serves pages and static files again.
    os.kill(before["web"], signal.SIGKILL)
    assert wait_for(lambda: pids(control).get("web", before["web"]) != before["web"])
    stylesheet = url + "static/css/app.css"  # collected, served by WhiteNoise
    assert wait_for(lambda: answers(url) == 200 == answers(stylesheet), seconds=60)
    assert pids(control)["beat"] == before["beat"]  # untouched by the others' deaths
