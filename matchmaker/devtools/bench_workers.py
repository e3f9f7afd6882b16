"""`make bench`'s PostgreSQL-and-Redis part: a full re-score spread over real worker
processes, with one and with two (`celery worker --concurrency`), side by side; then
submit-to-matches through Redis and a real worker.

`bench.py` runs this as a subprocess when PostgreSQL and Redis answer (`BENCH_POSTGRES_URL`,
an administrative connection that may create databases, and `BENCH_REDIS_URL`); else the
figures are reported as skipped. A throwaway database is created, filled with the same
synthetic world as the embedded part, and dropped at the end. The last line is one JSON
object.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
WORKER_COUNTS = (1, 2)
DEADLINE_S = 900


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def reachable() -> bool:
    """Whether PostgreSQL and Redis both answer, within a second each."""
    import psycopg
    import redis

    try:
        psycopg.connect(ADMIN_URL, connect_timeout=1).close()
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # any refusal means: not here
        return False
    return True


def wait_until_ready(app, deadline: float) -> None:
    while time.perf_counter() < deadline:
        if app.control.inspect(timeout=0.5).ping():
            return
    raise TimeoutError("the worker did not start")


def full_rescore_seconds(concurrency: int, environment: dict) -> float:
    """Wall time from asking for a full re-score to the run being done, on fresh tables."""
    from matchmaker import tasks
    from matchmaker.celery import app
    from matchmaker.devtools.workers import worker_command
    from matchmaker.matching import runs
    from matchmaker.models import Match, ScoringRun

    Match.objects.all().delete()
    ScoringRun.objects.all().delete()
    app.control.purge()
    command = worker_command(pool="prefork", concurrency=concurrency)
    worker = subprocess.Popen(command, env=environment, cwd=ROOT)
    try:
        wait_until_ready(app, time.perf_counter() + 60)
        started = time.perf_counter()
        run = runs.run_queue()
        tasks.enqueue(tasks.rescore_all, None, run.pk)
        while time.perf_counter() - started < DEADLINE_S:
            run.refresh_from_db(fields=["status"])
            if run.status in (ScoringRun.Status.DONE, ScoringRun.Status.FAILED):
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        if run.status != ScoringRun.Status.DONE:
            raise RuntimeError(f"the run ended {run.status}")
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    run.refresh_from_db()
    chunks_done = max(run.chunks.values_list("done_at", flat=True))
    log(
        f"full re-score on PostgreSQL and Redis, {concurrency} worker process(es): "
        f"{seconds:.1f} s ({(chunks_done - run.started_at).total_seconds():.1f} s for "
        f"{run.chunks_total} chunks in parallel, "
        f"{(run.finished_at - chunks_done).total_seconds():.1f} s for the finishing step), "
        f"{Match.objects.count():,} matches"
    )
    return seconds


def main() -> int:
    import psycopg

    if not reachable():
        log("PostgreSQL and Redis part skipped: set BENCH_POSTGRES_URL and BENCH_REDIS_URL")
        print(json.dumps({"full_rescore_s_postgres": "skipped (no PostgreSQL and Redis)"}))
        return 0
    name = f"matchmaker_bench_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        environment = {
            **os.environ,
            "DATABASE_URL": ADMIN_URL.rsplit("/", 1)[0] + "/" + name,
            "CELERY_BROKER_URL": REDIS_URL,
            "VAR_DIR": tempfile.mkdtemp(prefix="matchmaker-bench-pg-"),
            "DJANGO_SETTINGS_MODULE": "matchmaker.settings",
        }
        environment.pop("CACHE_URL", None)
        os.environ.clear()
        os.environ.update(environment)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from matchmaker.celery import app
        from matchmaker.devtools.bench import end_to_end_ms, load_world_database

        call_command("migrate", verbosity=0)
        load_world_database()
        figures = {}
        for count in WORKER_COUNTS:
            key = f"full_rescore_s_postgres_{count}_worker{'s' if count > 1 else ''}"
            figures[key] = round(full_rescore_seconds(count, environment), 2)
        first, second = (figures[k] for k in figures)
        figures["postgres_2_workers_vs_1"] = round(second / first, 2)
        # On an idle worker: the package batches the re-scores left queued are dropped.
        app.control.purge()
        figures["end_to_end_ms_redis"] = round(end_to_end_ms(environment))
        connections.close_all()
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
