"""The re-score's status line lives only while a run is going, and durations read as a
person says them ("under a minute", never "0 minutes"), in both languages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from matchmaker.models import ScoringRun
from matchmaker.templatetags.durations import duration_words

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("seconds", "english", "chinese"),
    [
        (0, "under a minute", "不到一分钟"),
        (20, "under a minute", "不到一分钟"),
        (60, "1 minute", "1 分钟"),
        (150, "2 minutes", "2 分钟"),
        (3600, "1 hour", "1 小时"),
        (3600 + 5 * 60, "1 hour 5 minutes", "1 小时 5 分钟"),
    ],
)
def test_durations_read_honestly_in_both_languages(seconds, english, chinese):
    with translation.override("en"):
        assert duration_words(seconds) == english
    with translation.override("zh-hans"):
        assert duration_words(seconds) == chinese


def test_the_running_line_goes_once_the_run_is_done(operator_client):
    started = timezone.now() - timedelta(seconds=20)
    run = ScoringRun.objects.create(started_at=started, chunks_total=4, chunks_done=1)
    url = reverse("operator:scoring_runs")
    running = operator_client.get(url).content.decode()
    assert 'id="rescore-running"' in running
    run.status, run.finished_at, run.chunks_done = ScoringRun.Status.DONE, timezone.now(), 4
    run.save()
    polled = operator_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="rescore-running"' not in polled
    assert 'hx-trigger="every 1s"' not in polled  # the page stops asking
    assert "under a minute" in polled and "0 minutes" not in polled


def test_starting_a_rescore_leaves_no_static_started_banner(operator_client):
    response = operator_client.post(reverse("operator:start_rescore"), follow=True)
    page = response.content.decode()
    assert "A full re-score has started." not in page
    assert ScoringRun.objects.get().status == ScoringRun.Status.DONE
