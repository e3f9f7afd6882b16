"""Run the whole stack under a supervisor that restarts whatever dies.

    python -m matchmaker.serve            # production: gunicorn, Celery worker and beat
    python -m matchmaker.serve --dev      # development: Django's runserver instead

One supervisord (in the foreground, logs on standard output) runs the web server, a
Celery worker and Celery beat; each restarts on its own if it dies, and stopping one
(``supervisorctl stop worker``) leaves the others running. Ctrl-C stops all three.
Processes read the same environment (DATABASE_URL, CELERY_BROKER_URL, …) as everything
else; `make serve` and `make run` call this.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

from matchmaker.settings import VAR_DIR

ROOT = Path(__file__).resolve().parent.parent


def web_workers() -> int:
    """One per core. Gunicorn's usual 2 × cores + 1 assumes requests wait on I/O; ours
    spend their time in Python (and the match lists come from the cache), so more
    processes than cores only queue behind each other: measured with `make load` on 2
    cores, 5 workers gave 217 pages/s at p99 434 ms, 2 workers 283 pages/s at p99 194 ms."""
    return int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))


def worker_priority() -> str:
    """The command prefix that makes scoring yield the CPU to people's requests.

    `nice` alone (WORKER_NICENESS) still gives the worker a share of a core the web
    processes want, and a request that wakes behind it may wait for its slice to end.
    Linux's idle scheduling class (`chrt --idle`, WORKER_SCHEDULING=idle, the default where
    `chrt` exists) weighs the worker at a fraction of even `nice 19`, so it runs on what
    CPU the requests leave, and a request that wakes takes the core at once;
    WORKER_SCHEDULING=normal keeps `nice` only. Measured with `make load` (README,
    twenty-second pass): more lists served while a re-score runs, and people's writes
    waited less, not more, for the worker's."""
    prefix = f"nice -n {os.environ.get('WORKER_NICENESS', '10')} "
    if os.environ.get("WORKER_SCHEDULING", "idle") == "idle" and shutil.which("chrt"):
        prefix = f"chrt --idle 0 {prefix}"
    return prefix


def programs(port: int, dev: bool) -> dict[str, str]:
    python = sys.executable
    if dev:
        web = f"{python} manage.py runserver 127.0.0.1:{port}"
    else:
        web = (
            f"{python} -m gunicorn matchmaker.wsgi:application --bind 127.0.0.1:{port} "
            f"--workers {web_workers()} --access-logfile - --graceful-timeout 20"
        )
    return {
        "web": web,
        # Scoring is batch work: on a machine it shares with the web server, it yields the
        # CPU to people's requests (a re-score's writes made page p99 twice as long).
        "worker": f"{worker_priority()}{python} -m celery -A matchmaker worker --loglevel=INFO "
        f"--concurrency={os.environ.get('CELERY_CONCURRENCY', os.cpu_count() or 1)} "
        "--hostname=worker@%%h",
        "beat": f"{python} -m celery -A matchmaker beat --loglevel=INFO "
        f"--schedule={VAR_DIR / 'celerybeat-schedule'}",
    }


def config(port: int, dev: bool) -> str:
    """A supervisord configuration; every program restarts when it exits for any reason."""
    socket = VAR_DIR / "supervisor.sock"
    sections = [
        "[supervisord]\nnodaemon=true\nlogfile=/dev/null\nlogfile_maxbytes=0\n"
        f"pidfile={VAR_DIR / 'supervisord.pid'}\n",
        f"[unix_http_server]\nfile={socket}\n",
        "[rpcinterface:supervisor]\n"
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n",
        f"[supervisorctl]\nserverurl=unix://{socket}\n",
    ]
    for name, command in programs(port, dev).items():
        sections.append(
            f"[program:{name}]\ncommand={command}\ndirectory={ROOT}\nautostart=true\n"
            "autorestart=true\nstartsecs=2\nstartretries=100\nstopasgroup=true\n"
            "killasgroup=true\nstopwaitsecs=20\nredirect_stderr=true\n"
            "stdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\n"
        )
    return "\n".join(sections)


def multiprocess_metrics() -> None:
    """gunicorn's web processes each observe request latency; prometheus_client sums them
    through files in one folder, emptied at start (matchmaker/operations.py)."""
    folder = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(VAR_DIR / "prometheus")))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="runserver instead of gunicorn")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    arguments = parser.parse_args(argv)
    if not arguments.dev:
        multiprocess_metrics()
    path = VAR_DIR / ("supervisord-dev.conf" if arguments.dev else "supervisord.conf")
    path.write_text(config(arguments.port, arguments.dev))
    supervisord = shutil.which("supervisord", path=str(Path(sys.executable).parent))
    os.execv(supervisord, [supervisord, "-c", str(path)])


if __name__ == "__main__":
    main()
