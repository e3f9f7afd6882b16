"""`make load`: the served stack under load, measured with wrk (never a timed test).

For each backend (embedded SQLite + SQLite-file broker; PostgreSQL + Redis when they
answer): a fresh database holding an institution with 200 matches (one offering, 200
eligible projects), `matchmaker.serve`
(gunicorn, worker, beat), then wrk with 2 threads and 20 connections for 20 s against
the institution's match list page and the API's match list. A full re-score is started
during the page run, so the page is measured while the worker writes. Prints a report,
then one JSON line.
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from matchmaker.devtools.fuzz import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
DURATION = os.environ.get("LOAD_SECONDS", "20")
CONNECTIONS = "20"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/matchmaker_load"
REDIS_URL = "redis://127.0.0.1:6379/14"
REDIS_CACHE_URL = "redis://127.0.0.1:6379/13"


# The full re-score started during the page run: its status and how long it took.
RESCORE_REPORT = (
    "from matchmaker.models import ScoringRun; run = ScoringRun.objects.latest('started_at'); "
    "print(run.status, ((run.finished_at or run.started_at) - run.started_at).total_seconds())"
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare() -> None:
    """(In a child process, on the load database.) The world and the credentials."""
    import django

    django.setup()
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from matchmaker.matching import scoring
    from matchmaker.models import Match
    from tests.factories import (
        InstitutionMemberFactory,
        OfferingFactory,
        ProjectFactory,
        UserFactory,
    )

    member = InstitutionMemberFactory(user=UserFactory(username="loadtest"))
    OfferingFactory(institution=member.institution, ticket_max=500_000_000, trl_min=1, trl_max=9)
    for index in range(200):
        ProjectFactory(trl=4 + index % 5, title=f"Load project {index}")
    scoring.full_rescore_inline()
    client = Client()
    client.force_login(member.user)
    print(
        json.dumps(
            {
                "session": client.cookies["sessionid"].value,
                "token": Token.objects.get_or_create(user=member.user)[0].key,
                "matches": Match.objects.filter(offering__institution=member.institution).count(),
            }
        )
    )


def seconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk(url: str, header: str) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", "-H", header, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", output, re.MULTILINE))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_s": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]), 1),
        "p50_ms": round(1000 * seconds(latency["50"]), 1),
        "p99_ms": round(1000 * seconds(latency["99"]), 1),
        "errors": (int(non_2xx[1]) if non_2xx else 0)
        + (sum(int(n) for n in errors.groups()) if errors else 0),
    }


def run_backend(name: str, extra_env: dict) -> dict:
    var_dir = Path(tempfile.mkdtemp(prefix=f"matchmaker-load-{name}-"))
    env = {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "static"),
        "DJANGO_SETTINGS_MODULE": "matchmaker.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "API_THROTTLE_USER": "1000000/minute",
        **extra_env,
    }
    for key in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        if key not in extra_env:
            env.pop(key, None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    world = json.loads(
        subprocess.run(
            [sys.executable, "-m", "matchmaker.devtools.load", "prepare"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]
    )
    port = free_port()
    server_log = var_dir / "server.log"
    with server_log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "matchmaker.serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/")
        time.sleep(3)  # the worker and beat settle
        rescore = subprocess.Popen(
            [*manage, "shell", "-c", "from matchmaker import tasks; tasks.rescore_all.delay()"],
            cwd=ROOT,
            env=env,
        )
        page = wrk(f"{base}/institution/matches/", f"Cookie: sessionid={world['session']}")
        rescore.wait(timeout=60)
        api = wrk(f"{base}/api/v1/matches/", f"Authorization: Token {world['token']}")
        rescore_report = (
            subprocess.run(
                [*manage, "shell", "-c", RESCORE_REPORT],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
            .split()
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    locked = server_log.read_text(errors="replace").count("database is locked")
    rescore = {"status": rescore_report[0], "seconds": float(rescore_report[1])}
    log(
        f"{name}: {world['matches']} matches; page {page}; api {api}; 'locked' {locked}; "
        f"re-score during the page run: {rescore}"
    )
    return {
        "page": page,
        "api": api,
        "database_locked": locked,
        "matches": world["matches"],
        "rescore": rescore,
    }


def services_answer() -> bool:
    checks = [
        ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"],
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"],
    ]
    try:
        return all(subprocess.run(c, capture_output=True).returncode == 0 for c in checks)
    except FileNotFoundError:
        return False


def fresh_postgres_database() -> None:
    for statement in ("DROP DATABASE IF EXISTS matchmaker_load", "CREATE DATABASE matchmaker_load"):
        subprocess.run(
            ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", statement], check=True
        )


def main() -> int:
    report = {"embedded": run_backend("embedded", {})}
    if services_answer():
        fresh_postgres_database()
        report["postgres_redis"] = run_backend(
            "postgres_redis",
            {
                "DATABASE_URL": POSTGRES_URL,
                "CELERY_BROKER_URL": REDIS_URL,
                "CACHE_URL": REDIS_CACHE_URL,
            },
        )
    else:
        log("PostgreSQL or Redis does not answer here: only the embedded figures.")
    figures = {}
    for backend, result in report.items():
        for url in ("page", "api"):
            for key, value in result[url].items():
                figures[f"{backend}_{url}_{key}"] = value
        figures[f"{backend}_database_locked"] = result["database_locked"]
        figures[f"{backend}_rescore_status"] = result["rescore"]["status"]
        figures[f"{backend}_rescore_s"] = result["rescore"]["seconds"]
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["prepare"]:
        prepare()
    else:
        sys.exit(main())
