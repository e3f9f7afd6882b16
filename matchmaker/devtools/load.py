"""`make load`: the served stack under load, measured with wrk (never a timed test).

For each backend (embedded SQLite + SQLite-file broker; PostgreSQL + Redis when they
answer): a fresh database holding the world, `matchmaker.serve`
(gunicorn, worker, beat), then wrk with 2 threads and 20 connections for 20 s against
the institution's match list page and the API's match list. A full re-score is put on
the queue just before the page run, so the page (and, where the re-score lasts, the API)
is measured while the worker writes (the report says how many seconds of each run the
re-score overlapped, and how long a log-in's write waited meanwhile: `WRITES_PROBE`);
once it has ended (and the package building it leaves is taken off the queue, and the
worker's processes have stopped using the CPU), both lists are measured
again (the `_quiet` figures: the worker idle, as a deployment runs most of the time),
from an empty cache and fresh web processes and from a point of the walk no earlier run
reached (`QUIET_START`). Prints a report, then one JSON line.

The world (`LOAD_WORLD`): `bench` (the default) measures the uncached path: the
benchmark's world (10,000 projects × 5,000 offerings, a full re-score's ≈ 550,000
matches), and every request a different institution (40 of them), filter, page and page
size, so almost no request is answered from the cache: a wrk script walks the
combinations (`VARIED_LUA`). `small` is an institution with 200 matches (one offering,
200 eligible projects), one URL over and over: the cached path.
"""

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from matchmaker.devtools.fuzz import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
DURATION = os.environ.get("LOAD_SECONDS", "20")
CONNECTIONS = "20"
# A long timeout: a slow answer counts in the latency, not as a lost request.
WRK = ("wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--timeout", "30s")
WORLD = os.environ.get("LOAD_WORLD", "bench")
VARIED_INSTITUTIONS = 40
FILTERS = [
    "",
    "segment=launch",
    "instrument=credit",
    "min_score=60",
    "stage=prototype",
    "status=new",
    "instrument=equity&min_score=50",
]
# Each request the next combination: institution, filter, page (1-5), page size (10-28).
VARIED_LUA = """
local credentials = {%(credentials)s}
local filters = {%(filters)s}
local counter = %(start)d
request = function()
  counter = counter + 1
  local who = credentials[(counter %% #credentials) + 1]
  local filter = filters[(math.floor(counter / #credentials) %% #filters) + 1]
  local page = (math.floor(counter / (#credentials * #filters)) %% 5) + 1
  local size = 10 + (counter %% 19)
  local query = "?page=" .. page .. "&page_size=" .. size
  if filter ~= "" then query = query .. "&" .. filter end
  wrk.headers["%(header)s"] = who
  return wrk.format("GET", "%(path)s" .. query)
end
"""
# Where the PostgreSQL + Redis run goes (its database is dropped and created afresh);
# LOAD_DATABASE_URL, LOAD_BROKER_URL and LOAD_CACHE_URL move it, so that two runs on one
# machine keep apart. LOAD_BACKENDS=embedded (or postgres_redis) runs one backend only.
POSTGRES_URL = os.environ.get(
    "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/matchmaker_load"
)
REDIS_URL = os.environ.get("LOAD_BROKER_URL", "redis://127.0.0.1:6379/14")
REDIS_CACHE_URL = os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/13")
BACKENDS = os.environ.get("LOAD_BACKENDS", "embedded,postgres_redis").split(",")


# A log-in's write (a stored session) every half second while the lists are measured during
# the re-score: how long a person's write waits (on SQLite, for the worker's write
# transactions). Started before the re-score (Django's boot is not measured), it writes
# once `go` exists, for `seconds`, and prints its figures as one JSON line.
WRITES_PROBE = """
import json, pathlib, time
from django.contrib.sessions.backends.db import SessionStore
go = pathlib.Path(%(go)r)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.1)
waits, errors, end = [], 0, time.monotonic() + %(seconds)s
while time.monotonic() < end:
    started = time.perf_counter()
    try:
        SessionStore().create()
        waits.append(1000 * (time.perf_counter() - started))
    except Exception:
        errors += 1
    time.sleep(0.5)
waits.sort()
print(json.dumps({"writes": len(waits) + errors, "errors": errors,
                  "median_ms": round(waits[len(waits) // 2], 1) if waits else None,
                  "max_ms": round(waits[-1], 1) if waits else None}))
"""

# The full re-score started before the page run: its status, how long it took, and when it
# started and ended (seconds since the epoch), to say how much of each run it overlapped.
RESCORE_REPORT = (
    "from matchmaker.models import ScoringRun; run = ScoringRun.objects.latest('started_at'); "
    "end = run.finished_at or run.started_at; "
    "print(run.status, (end - run.started_at).total_seconds(), run.started_at.timestamp(), "
    "end.timestamp())"
)
# Waits (up to RESCORE_WAIT_S) for that re-score to end, then empties the bulk queue of
# the package building it leaves behind (the world was loaded without packages, so it
# builds all 10,000 projects' for the first time: about 5 minutes embedded, 15 on
# PostgreSQL on this machine; packages are not what this measures) and waits for every
# queue to be empty, with a grace for the tasks the worker had taken already, so that the
# lists are measured once more with the worker idle: the state a deployment is in most of
# the time.
RESCORE_WAIT_S = 900
RESCORE_WAIT = (
    "import time; from celery import current_app\n"
    "from matchmaker.models import ScoringRun; from matchmaker import queues\n"
    f"deadline = time.monotonic() + {RESCORE_WAIT_S}\n"
    "while time.monotonic() < deadline and ScoringRun.objects.filter("
    "status=ScoringRun.Status.RUNNING).exists():\n"
    "    time.sleep(2)\n"
    "with current_app.connection_for_write() as connection:\n"
    "    connection.default_channel.queue_purge(queues.BULK)\n"
    "while time.monotonic() < deadline and any(queues.queue_depths().values()):\n"
    "    time.sleep(2)\n"
    "time.sleep(15)"
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare_bench_world() -> None:
    """(In a child process.) The benchmark's world, fully scored, and the credentials of
    one member in each of `VARIED_INSTITUTIONS` institutions that have matches."""
    import django

    django.setup()
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from investors.models import Institution
    from matchmaker.devtools.bench import full_rescore_seconds, load_world_database
    from matchmaker.models import Match
    from tests.factories import InstitutionMemberFactory, UserFactory

    load_world_database()
    full_rescore_seconds()
    institutions = (
        Institution.objects.filter(verified=True, offerings__matches__isnull=False)
        .distinct()
        .order_by("pk")[:VARIED_INSTITUTIONS]
    )
    sessions, tokens = [], []
    for index, institution in enumerate(institutions):
        member = InstitutionMemberFactory(
            user=UserFactory(username=f"loadtest{index}"), institution=institution
        )
        client = Client()
        client.force_login(member.user)
        sessions.append(client.cookies["sessionid"].value)
        tokens.append(Token.objects.get_or_create(user=member.user)[0].key)
    print(json.dumps({"sessions": sessions, "tokens": tokens, "matches": Match.objects.count()}))


# The walk repeats itself after 40 × 7 × 5 × 19 = 26,600 requests; the runs with the worker
# idle start half-way, so that none asks an address an earlier run asked (its whole answer
# would be in the cache).
QUIET_START = 13_300


def varied_script(var_dir: Path, path: str, header: str, values: list[str], start: int = 0) -> Path:
    script = var_dir / f"varied-{path.strip('/').replace('/', '-')}-{start}.lua"
    script.write_text(
        VARIED_LUA
        % {
            "credentials": ", ".join(f'"{value}"' for value in values),
            "filters": ", ".join(f'"{value}"' for value in FILTERS),
            "header": header,
            "path": path,
            "start": start,
        }
    )
    return script


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


def wrk(url: str, header: str = "", script: Path | None = None) -> dict:
    options = ["-H", header] if header else ["-s", str(script)]
    output = subprocess.run(
        [*WRK, "--latency", *options, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if "50" not in latency:
        log(output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_s": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]), 1),
        # none when no request finished (everything timed out)
        "p50_ms": round(1000 * seconds(latency["50"]), 1) if "50" in latency else None,
        "p99_ms": round(1000 * seconds(latency["99"]), 1) if "99" in latency else None,
        "errors": (int(non_2xx[1]) if non_2xx else 0)
        + (sum(int(n) for n in errors.groups()) if errors else 0),
    }


def timed(run) -> tuple[dict, tuple[float, float]]:
    """A wrk run's figures, and when it started and ended (seconds since the epoch)."""
    started = time.time()
    figures = run()
    return figures, (started, time.time())


def overlap(window: tuple[float, float], other: tuple[float, float]) -> float:
    """How many seconds two (start, end) windows share."""
    return round(max(0.0, min(window[1], other[1]) - max(window[0], other[0])), 1)


def list_runners(base: str, world: dict, var_dir: Path, start: int = 0):
    """Two functions that each measure one list with wrk: the web page, the API (the
    varied walk from request `start`)."""
    page, api = f"{base}/institution/matches/", f"{base}/api/v1/matches/"
    if WORLD != "bench":
        return (
            lambda: wrk(page, f"Cookie: sessionid={world['session']}"),
            lambda: wrk(api, f"Authorization: Token {world['token']}"),
        )
    cookies = [f"sessionid={session}" for session in world["sessions"]]
    tokens = [f"Token {token}" for token in world["tokens"]]
    page_script = varied_script(var_dir, "/institution/matches/", "Cookie", cookies, start)
    api_script = varied_script(var_dir, "/api/v1/matches/", "Authorization", tokens, start)
    return lambda: wrk(page, script=page_script), lambda: wrk(api, script=api_script)


def forget_cached_lists(var_dir: Path, env: dict, base: str) -> None:
    """Empty the cache before the runs with the worker idle: the shared cache (Redis),
    and the web processes' own (restarted), so that they start from nothing, as the first
    runs did, and not from what those cached of the same lists."""
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.core.cache import cache; cache.clear()",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    supervisorctl = Path(sys.executable).parent / "supervisorctl"
    subprocess.run(
        [str(supervisorctl), "-c", str(var_dir / "supervisord.conf"), "restart", "web"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    wait_until_up(f"{base}/")
    time.sleep(3)


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
    varied = WORLD == "bench"
    world = json.loads(
        subprocess.run(
            [
                sys.executable,
                "-m",
                "matchmaker.devtools.load",
                "prepare-bench" if varied else "prepare",
            ],
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
    writes_probe = None
    try:
        wait_until_up(f"{base}/")
        time.sleep(3)  # the worker and beat settle
        go = var_dir / "writes-go"
        seconds = 2 * float(DURATION)  # the page's run and the API's
        writes_probe = subprocess.Popen(
            [*manage, "shell", "-c", WRITES_PROBE % {"go": str(go), "seconds": seconds}],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        # (the shell may say first what it imported)
        while (line := writes_probe.stdout.readline()) and line.strip() != "ready":
            pass
        rescore = subprocess.Popen(
            [*manage, "shell", "-c", "from matchmaker import tasks; tasks.rescore_all.delay()"],
            cwd=ROOT,
            env=env,
        )
        # The lists are measured once the re-score is on the queue, not while the process
        # that put it there boots Django: an operator starts one with a click (one request),
        # and that boot, on these 2 cores, held the first seconds' requests back and made
        # the page's p99 (see the README's twenty-second pass).
        rescore.wait(timeout=600)
        page_list, api_list = list_runners(base, world, var_dir)
        go.touch()
        page, page_window = timed(page_list)
        api, api_window = timed(api_list)
        writes = json.loads(writes_probe.communicate(timeout=120)[0].splitlines()[-1])
        subprocess.run([*manage, "shell", "-c", RESCORE_WAIT], cwd=ROOT, env=env, check=True)
        idle_after = wait_until_worker_idle(server.pid)
        log(f"{name}: the worker was idle {idle_after:.0f} s after the queues emptied")
        forget_cached_lists(var_dir, env, base)
        page_quiet_list, api_quiet_list = list_runners(base, world, var_dir, QUIET_START)
        loop_before = machine_loop_s()
        page_quiet, api_quiet = page_quiet_list(), api_quiet_list()
        loop_after = machine_loop_s()
        log(
            f"{name}: the machine's 10⁷-addition loop took {loop_before:.2f} s before the "
            f"worker-idle runs and {loop_after:.2f} s after (0.22 s on a quiet machine of "
            "this kind on 2026-12-04; more: the host was slower, and the figures with it)"
        )
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
        if writes_probe is not None and writes_probe.poll() is None:
            writes_probe.kill()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        stop_what_outlived(server.pid)
    locked = server_log.read_text(errors="replace").count("database is locked")
    rescore = {"status": rescore_report[0], "seconds": float(rescore_report[1])}
    rescore_window = (float(rescore_report[2]), float(rescore_report[3]))
    rescore["page_overlap_s"] = overlap(page_window, rescore_window)
    rescore["api_overlap_s"] = overlap(api_window, rescore_window)
    log(
        f"{name}: {world['matches']} matches; page {page}; api {api}; 'locked' {locked}; "
        f"re-score started before the page run (seconds of each run it overlapped): "
        f"{rescore}; a log-in's write meanwhile: {writes}; once it ended: "
        f"page {page_quiet}; api {api_quiet}"
    )
    return {
        "page": page,
        "api": api,
        "page_quiet": page_quiet,
        "api_quiet": api_quiet,
        "database_locked": locked,
        "writes": writes,
        "matches": world["matches"],
        "rescore": rescore,
        "machine_loop_s": round(max(loop_before, loop_after), 2),
    }


def _session_cpu(session: int) -> dict[int, tuple[str, float]]:
    """The processes of this session (the server's: `start_new_session`), Linux's /proc:
    pid → (command line, CPU seconds so far)."""
    found = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # (gone since it was listed)
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[3]) == session:
            found[int(entry.name)] = (command, (int(fields[11]) + int(fields[12])) / ticks)
    return found


def worker_cpu(session: int) -> float:
    """CPU seconds the server's Celery processes have used so far."""
    return sum(cpu for command, cpu in _session_cpu(session).values() if "celery" in command)


# The worker counts as idle when its processes use under a tenth of a core over
# WORKER_IDLE_S (beat and the worker's own polling use a little).
WORKER_IDLE_S = 3.0
WORKER_IDLE_WAIT_S = 900


def wait_until_worker_idle(session: int) -> float:
    """Wait until the worker has finished what it had taken (a package batch runs for
    tens of seconds after its queue emptied; measured beside it, the "worker idle"
    figures were not), up to WORKER_IDLE_WAIT_S; the seconds waited."""
    started = time.monotonic()
    before = worker_cpu(session)
    while time.monotonic() - started < WORKER_IDLE_WAIT_S:
        time.sleep(WORKER_IDLE_S)
        now = worker_cpu(session)
        if now - before < 0.1 * WORKER_IDLE_S:
            break
        before = now
    return time.monotonic() - started


def stop_what_outlived(session: int) -> None:
    """Kill whatever of the server outlived its stop (a worker's pool process finishing a
    task ran on into the next backend's measurement); the world is thrown away."""
    for pid, (command, _cpu) in _session_cpu(session).items():
        log(f"stopped what outlived the server: {command[:60]}")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def machine_loop_s() -> float:
    """Seconds a plain Python loop of 10⁷ additions takes here, beside the figures (this
    kind of machine's speed has varied by a factor of two between sessions). It does not
    explain all of the spread: on 2026-12-04 the PostgreSQL page gave 156.7 and 135.4
    requests/s in two runs with the loop at 0.21-0.23 s in both."""
    started = time.perf_counter()
    total = 0
    for number in range(10**7):
        total += number
    return time.perf_counter() - started


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
    name = urlsplit(POSTGRES_URL).path.lstrip("/")
    if not re.fullmatch(r"\w+", name):
        raise SystemExit(f"LOAD_DATABASE_URL names no plain database: {POSTGRES_URL}")
    for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(
            ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", statement], check=True
        )


def main() -> int:
    report = {}
    if "embedded" in BACKENDS:
        report["embedded"] = run_backend("embedded", {})
    wanted = "postgres_redis" in BACKENDS
    if wanted and services_answer():
        fresh_postgres_database()
        report["postgres_redis"] = run_backend(
            "postgres_redis",
            {
                "DATABASE_URL": POSTGRES_URL,
                "CELERY_BROKER_URL": REDIS_URL,
                "CACHE_URL": REDIS_CACHE_URL,
            },
        )
    elif wanted:
        log("PostgreSQL or Redis does not answer here: only the embedded figures.")
    figures = {}
    for backend, result in report.items():
        for url in ("page", "api", "page_quiet", "api_quiet"):
            for key, value in result[url].items():
                figures[f"{backend}_{url}_{key}"] = value
        figures[f"{backend}_database_locked"] = result["database_locked"]
        for key, value in result["writes"].items():
            figures[f"{backend}_rescore_writes_{key}"] = value
        figures[f"{backend}_rescore_status"] = result["rescore"]["status"]
        figures[f"{backend}_rescore_s"] = result["rescore"]["seconds"]
        for url in ("page", "api"):
            figures[f"{backend}_{url}_rescore_overlap_s"] = result["rescore"][f"{url}_overlap_s"]
        figures[f"{backend}_machine_loop_s"] = result["machine_loop_s"]
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["prepare"]:
        prepare()
    elif sys.argv[1:] == ["prepare-bench"]:
        prepare_bench_world()
    else:
        sys.exit(main())
