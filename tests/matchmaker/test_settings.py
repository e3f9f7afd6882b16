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
        "django.core.cache.backends.redis.RedisCache",
    ]


def test_each_task_queue_has_a_binding_of_its_own():
    """Two queues bound alike would each get a copy of every task sent to either."""
    from matchmaker.celery import app

    bindings = [(queue.exchange.name, queue.routing_key) for queue in app.amqp.queues.values()]
    assert len(app.amqp.queues) == 2 and len(set(bindings)) == len(bindings)


def test_a_rescores_bulk_tasks_are_routed_to_the_bulk_queue():
    from matchmaker import tasks
    from matchmaker.celery import app

    def queue_of(task):
        return app.amqp.router.route({}, task.name)["queue"].name

    assert {queue_of(task) for task in (tasks.score_project, tasks.score_offering)} == {"celery"}
    bulk = (tasks.score_chunk, tasks.finish_rescore, tasks.build_packages_for)
    assert {queue_of(task) for task in bulk} == {"bulk"}


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
