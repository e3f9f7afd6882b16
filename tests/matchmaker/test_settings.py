"""Production settings pass Django's deploy check; every page carries a CSP."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_check_deploy(tmp_path):
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-production-secret-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "matchmaker.example.org",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_send_a_content_security_policy(client):
    response = client.get(reverse("home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_cache_url_moves_the_cache_to_redis_and_the_default_is_process_memory(tmp_path):
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    backends = []
    for extra in ({}, {"CACHE_URL": "redis://127.0.0.1:6379/13"}):
        inherited = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
        env = {**inherited, "VAR_DIR": str(tmp_path), **extra}
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        backends.append(result.stdout.strip().splitlines()[-1])
    assert backends == [
        "django.core.cache.backends.locmem.LocMemCache",
        "matchmaker.redis_cache.KeptClientRedisCache",
    ]


def test_each_task_queue_has_a_binding_of_its_own():
    """Two queues bound alike would each get a copy of every task sent to either."""
    from matchmaker.celery import app

    bindings = [(queue.exchange.name, queue.routing_key) for queue in app.amqp.queues.values()]
    assert len(app.amqp.queues) == 3 and len(set(bindings)) == len(bindings)


def test_a_rescores_bulk_tasks_are_routed_to_the_bulk_queue():
    from matchmaker import tasks
    from matchmaker.celery import app

    def queue_of(task):
        return app.amqp.router.route({}, task.name)["queue"].name

    assert {queue_of(task) for task in (tasks.score_project, tasks.score_offering)} == {"celery"}
    assert {queue_of(task) for task in (tasks.score_chunk, tasks.finish_rescore)} == {"rescore"}
    assert queue_of(tasks.build_packages_for) == "bulk"


def test_a_killed_workers_chunk_is_noticed_within_a_minute(settings):
    """Configuration, not timing: several heartbeats fit in the silence that declares a
    worker lost, and that silence plus one sweep stays under a minute."""
    assert settings.SCORING_HEARTBEAT_SECONDS * 3 <= settings.SCORING_LOST_AFTER_SECONDS
    assert settings.SCORING_LOST_AFTER_SECONDS + settings.SCORING_SWEEP_SECONDS <= 60
    schedule = settings.CELERY_BEAT_SCHEDULE["resume-scoring-runs"]["schedule"]
    assert schedule == settings.SCORING_SWEEP_SECONDS


def _site_url(**env_changes) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    env.update(env_changes)
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "matchmaker.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_email_links_follow_the_port_make_run_serves_on():
    assert _site_url(PORT="8080") == "http://127.0.0.1:8080"
    assert _site_url() == "http://127.0.0.1:8000"
    assert _site_url(PORT="8080", SITE_URL="https://m.example.org") == "https://m.example.org"


def test_the_embedded_database_connection_outlives_a_request(tmp_path):
    """A new SQLite connection per request ran the PRAGMAs again and began with an empty
    page cache, re-reading the match indexes (issue #26): the connection is kept."""
    code = (
        "from django.core.signals import request_finished, request_started\n"
        "from django.db import connection\n"
        "connection.ensure_connection(); first = connection.connection\n"
        "request_finished.send(sender=None); request_started.send(sender=None)\n"
        "connection.ensure_connection(); print(connection.vendor, connection.connection is first)"
    )
    inherited = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**inherited, "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "sqlite True"
