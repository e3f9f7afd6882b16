"""An operator's probes: /health/ names a dead component; /metrics speaks Prometheus."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_results.models import TaskResult

from matchmaker import operations, queues
from matchmaker.models import ScoringRun
from tests.celery_worker import broker, broker_url_for_tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_worker():
    """A task finished a moment ago, as beat's sweep every few seconds leaves."""
    return TaskResult.objects.create(
        task_id="sweep",
        task_name="matchmaker.tasks.resume_scoring_runs",
        status="SUCCESS",
        date_done=timezone.now(),
    )


def test_health_is_200_when_every_component_answers(client, live_worker, tmp_path):
    with broker(broker_url_for_tests(tmp_path)):
        response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["healthy"] is True
    assert set(body["checks"]) == {
        "database",
        "read_markers",
        "cache",
        "shared_cache",
        "broker",
        "worker",
    }


def test_a_shared_cache_that_does_not_answer_makes_health_503_naming_it(client, settings):
    """The throttles' counts (`settings.SHARED_CACHE`): a table `migrate` has not made
    would fail every anonymous API request and every log-in for a token."""
    settings.CACHES = {
        **settings.CACHES,
        settings.SHARED_CACHE: {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "no_such_table",
        },
    }
    response = client.get("/health/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert (
        checks["shared_cache"]["ok"] is False and "no_such_table" in checks["shared_cache"]["error"]
    )
    assert checks["cache"]["ok"] is True


def test_a_dead_broker_makes_health_503_naming_it(client, live_worker):
    with broker("redis://127.0.0.1:1/0"):
        response = client.get("/health/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["ok"] is False
    assert checks["database"]["ok"] is True


def test_no_live_worker_makes_health_503(client, tmp_path, monkeypatch):
    TaskResult.objects.create(task_id="old", task_name="x", status="SUCCESS")
    TaskResult.objects.update(date_done=timezone.now() - timedelta(hours=1))
    from matchmaker.celery import app

    monkeypatch.setattr(app.control, "ping", lambda timeout: [])
    with broker(broker_url_for_tests(tmp_path)):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


def test_a_broken_cache_or_database_is_named(client, live_worker, monkeypatch, tmp_path):
    def broken():
        raise ConnectionError("down")

    monkeypatch.setitem(operations.CHECKS, "cache", broken)
    with broker(broker_url_for_tests(tmp_path)):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {
        "ok": False,
        "error": "ConnectionError: down",
        "ms": response.json()["checks"]["cache"]["ms"],
    }


def test_metrics_report_queue_depth_run_durations_and_request_latency(client, tmp_path):
    start = timezone.now() - timedelta(seconds=90)
    ScoringRun.objects.create(
        status=ScoringRun.Status.DONE, started_at=start, finished_at=start + timedelta(seconds=12)
    )
    client.get("/accounts/login/")
    with broker(broker_url_for_tests(tmp_path)):
        from matchmaker import tasks

        tasks.enqueue(tasks.build_packages_for, [1])
        tasks.enqueue(tasks.build_packages_for, [2])
        assert queues.queue_depths()["bulk"] == 2
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'matchmaker_queue_depth{queue="bulk"} 2.0' in text
    assert 'matchmaker_queue_depth{queue="rescore"} 0.0' in text
    assert "matchmaker_scoring_run_seconds_count 1.0" in text
    assert "matchmaker_scoring_run_last_seconds 12.0" in text
    assert 'matchmaker_request_seconds_count{method="GET",view="login"}' in text


def test_metrics_can_require_a_token(client, monkeypatch):
    monkeypatch.setenv("METRICS_TOKEN", "s3cret")
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"authorization": "Bearer s3cret"}).status_code == 200
