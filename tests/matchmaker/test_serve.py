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


def pool_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux's /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def test_the_worker_takes_only_the_cpu_the_web_processes_leave(served):
    _url, control = served
    assert wait_for(lambda: {"web", "worker"} <= set(pids(control)), seconds=60)
    worker, web = pids(control)["worker"], pids(control)["web"]
    assert wait_for(lambda: pool_of(worker), seconds=60)  # the pool has forked
    ours = os.getpriority(os.PRIO_PROCESS, 0)  # the processes start from the suite's own
    for pid in [worker, *pool_of(worker)]:
        assert os.sched_getscheduler(pid) == os.SCHED_IDLE
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(ours + 10, 19)
    assert os.sched_getscheduler(web) == os.sched_getscheduler(0) != os.SCHED_IDLE
    assert os.getpriority(os.PRIO_PROCESS, web) == ours


def test_the_worker_keeps_nice_alone_when_asked_or_without_chrt(monkeypatch):
    from matchmaker import serve

    monkeypatch.setenv("WORKER_NICENESS", "15")
    monkeypatch.delenv("WORKER_SCHEDULING", raising=False)
    monkeypatch.setattr(serve.shutil, "which", lambda command: f"/usr/bin/{command}")
    assert serve.worker_priority() == "chrt --idle 0 nice -n 15 "
    monkeypatch.setenv("WORKER_SCHEDULING", "normal")
    assert serve.worker_priority() == "nice -n 15 "
    monkeypatch.delenv("WORKER_SCHEDULING")
    monkeypatch.setattr(serve.shutil, "which", lambda command: None)
    assert serve.worker_priority() == "nice -n 15 "
