"""The operator's scoring runs: the page, starting a full re-score, and new weights."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from matchmaker.models import EngineSettings, Match, ScoringRun

pytestmark = pytest.mark.django_db


def test_scoring_runs_page_is_for_operators_only(firm_client, client):
    url = reverse("operator:scoring_runs")
    assert firm_client.get(url).status_code == 403
    operator = get_user_model().objects.create_user("op", password="pw", is_staff=True)
    client.force_login(operator)
    ScoringRun.objects.create(started_at=timezone.now(), chunks_total=4, chunks_done=1)
    page = client.get(url).content.decode()
    assert '<progress value="25" max="100"' in page
    assert 'hx-trigger="every 1s"' in page


def test_operator_starts_a_full_rescore(client, scored_project):
    operator = get_user_model().objects.create_user("op", password="pw", is_staff=True)
    client.force_login(operator)
    client.post(reverse("operator:start_rescore"))
    run = ScoringRun.objects.get()
    assert (run.status, run.triggered_by) == ("done", operator)


def test_a_rescore_shows_as_waiting_and_is_followed_from_the_moment_it_is_asked_for(
    operator_client, scored_project, monkeypatch
):
    """The page never says "started" beside "no run yet": the run exists at once."""
    from matchmaker import tasks

    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: False)  # broker down
    response = operator_client.post(reverse("operator:start_rescore"), follow=True)
    page = response.content.decode()
    assert ScoringRun.objects.get().status == ScoringRun.Status.QUEUED
    assert "Waiting for a worker" in page
    assert "No full re-score has run yet" not in page
    assert 'hx-trigger="every 1s"' in page
    assert "the re-score will start as soon as it is back" in page


def test_a_queued_run_no_worker_took_is_sent_again_by_the_sweeper(
    operator_client, scored_project, monkeypatch, settings
):
    from matchmaker import tasks

    original = tasks.enqueue
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: False)
    operator_client.post(reverse("operator:start_rescore"))
    monkeypatch.setattr(tasks, "enqueue", original)
    tasks.resume_scoring_runs()
    assert ScoringRun.objects.get().status == ScoringRun.Status.QUEUED  # not stale yet
    settings.SCORING_STALE_AFTER_SECONDS = 0
    tasks.resume_scoring_runs()
    run = ScoringRun.objects.get()
    assert run.status == ScoringRun.Status.DONE
    assert Match.objects.filter(project=scored_project).exists()


def test_saving_engine_weights_rescores_everything(
    client, scored_project, django_capture_on_commit_callbacks
):
    operator = get_user_model().objects.create_superuser("op", "op@example.test", "pw")
    client.force_login(operator)
    EngineSettings.current()
    names = ["segment", "stage", "trl", "ticket", "tenor", "risk", "geography", "collateral"]
    weights = [0, 1, 1, 10, 1, 1, 1, 1]
    data = {"weights": json.dumps(dict(zip(names, weights, strict=True))), "top_k": "50"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:matchmaker_enginesettings_change", args=[1]), data)
    assert response.status_code == 302
    assert ScoringRun.objects.get().status == "done"
    deep_tech = Match.objects.get(offering__name="Deep-tech equity")
    expected = (
        100 * sum(w * v for w, v in zip(weights, deep_tech.components, strict=True)) / sum(weights)
    )
    assert deep_tech.score == pytest.approx(expected, abs=0.01)
