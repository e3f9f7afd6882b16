"""What an operator of a deployment watches: `/health/` and `/metrics`.

`/health/` checks each component a request or a submission needs and answers 200 when
all are up, 503 naming the one that is not (JSON, for a load balancer or a probe):
- database: a query answers;
- read markers: every watched table has its trigger (`written_areas`: without it, the reads
  kept per change under its area could be kept stale);
- cache: a value written is read back;
- shared cache: the same, in the cache every web process counts its throttles in
  (`settings.SHARED_CACHE`: without `CACHE_URL`, a table `migrate` makes);
- broker: the queues' depths can be read;
- worker: a Celery task finished recently (beat sends `resume_scoring_runs` every
  `SCORING_SWEEP_SECONDS`, so a live worker and beat leave a fresh result), or, with
  another result backend, a worker answers a ping.

`/metrics` speaks Prometheus' text format: request latency per view (a histogram, from
`RequestLatencyMiddleware`), the depth of each task queue and the durations of full
re-scores (read from the broker and the database at scrape time, so every web process
reports the same). With several web processes set `PROMETHEUS_MULTIPROC_DIR` so their
latency histograms are summed (`make serve` does). `METRICS_TOKEN`, when set, is
required as a bearer token.
"""

import os
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import DurationField, ExpressionWrapper, F, Sum
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, SummaryMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from matchmaker import queues, written_areas
from matchmaker.models import ScoringRun

REQUEST_LATENCY = Histogram(
    "matchmaker_request_seconds",
    "Time to answer a web or API request, by view and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5),
)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def check_cache(written=cache) -> None:
    key, value = "health-check", uuid.uuid4().hex
    written.set(key, value, 30)
    assert written.get(key) == value, "the cache did not return what was written"


def check_shared_cache() -> None:
    check_cache(caches[settings.SHARED_CACHE])


def check_broker() -> None:
    queues.queue_depths()


def worker_alive_within() -> timedelta:
    return timedelta(seconds=2 * settings.SCORING_SWEEP_SECONDS + 30)


def check_worker() -> None:
    if settings.CELERY_RESULT_BACKEND == "django-db":
        from django_celery_results.models import TaskResult

        recent = timezone.now() - worker_alive_within()
        if TaskResult.objects.filter(date_done__gte=recent).exists():
            return
    from matchmaker.celery import app

    assert app.control.ping(timeout=1.0), "no worker finished a task or answered a ping"


def check_read_markers() -> None:
    missing = written_areas.tables_without_trigger()
    assert not missing, f"tables without their write marker, run migrate: {', '.join(missing)}"


CHECKS = {
    "database": check_database,
    "read_markers": check_read_markers,
    "cache": check_cache,
    "shared_cache": check_shared_cache,
    "broker": check_broker,
    "worker": check_worker,
}


@never_cache
def health(request):
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    healthy = all(result["ok"] for result in results.values())
    return JsonResponse({"healthy": healthy, "checks": results}, status=200 if healthy else 503)


class QueueAndRunCollector:
    """Read at scrape time: the broker's queue depths and the finished runs' durations."""

    def collect(self):
        depth = GaugeMetricFamily(
            "matchmaker_queue_depth", "Task messages waiting in each queue.", labels=["queue"]
        )
        try:
            for name, count in queues.queue_depths().items():
                depth.add_metric([name], count)
        except Exception:  # the broker is down: /health/ says so; no figure here
            pass
        yield depth
        done = ScoringRun.objects.filter(status=ScoringRun.Status.DONE)
        took = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
        total = done.aggregate(total=Sum(took))["total"] or timedelta()
        runs = SummaryMetricFamily(
            "matchmaker_scoring_run_seconds", "Durations of finished full re-scores."
        )
        runs.add_metric([], count_value=done.count(), sum_value=total.total_seconds())
        yield runs
        last = done.order_by("-finished_at").first()
        latest = GaugeMetricFamily(
            "matchmaker_scoring_run_last_seconds", "Duration of the last finished re-score."
        )
        if last is not None:
            latest.add_metric([], (last.finished_at - last.started_at).total_seconds())
        yield latest
        running = GaugeMetricFamily(
            "matchmaker_scoring_runs_in_progress", "Full re-scores queued or running."
        )
        running.add_metric(
            [],
            ScoringRun.objects.filter(
                status__in=[ScoringRun.Status.QUEUED, ScoringRun.Status.RUNNING]
            ).count(),
        )
        yield running


def registry() -> CollectorRegistry:
    from prometheus_client import REGISTRY

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        combined = CollectorRegistry()
        MultiProcessCollector(combined)
    else:
        combined = CollectorRegistry()
        combined.register(_Forward(REGISTRY))
    combined.register(QueueAndRunCollector())
    return combined


class _Forward:
    """This process's own metrics (the latency histogram) inside a fresh registry."""

    def __init__(self, source):
        self.source = source

    def collect(self):
        yield from self.source.collect()


@never_cache
def metrics(request):
    expected = os.environ.get("METRICS_TOKEN", "")
    if expected and request.headers.get("Authorization", "") != f"Bearer {expected}":
        return HttpResponse(status=401)
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


class RequestLatencyMiddleware:
    """Observe each request's time by its view's route name (never its raw path, which
    would make one series per id)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match._func_path) if match else "unmatched"
        REQUEST_LATENCY.labels(view=view, method=request.method).observe(
            time.perf_counter() - started
        )
        return response
