"""The locks a bank expects on log-in: repeated wrong passwords lock the user name on the
web and at the API's token endpoint, even for the right password; sessions end after
inactivity."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from matchmaker.accounts.sessions import KEY
from tests.conftest import another_web_process
from tests.factories import PASSWORD, FirmMemberFactory

pytestmark = pytest.mark.django_db


def web_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def token(client, username, password):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_the_web_log_in_locks_after_repeated_failures(settings):
    user = FirmMemberFactory().user
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert web_login(client, user.username, "wrong").status_code == 200  # the form again
    locked = web_login(client, user.username, "wrong")
    assert locked.status_code == 429
    assert "locked for 15 minutes" in locked.content.decode()
    # Now even the right password is refused, and no session is opened.
    assert web_login(Client(), user.username, PASSWORD).status_code == 429
    assert not Session.objects.exists()


def test_the_lock_page_is_in_chinese_for_a_chinese_browser(settings):
    user = FirmMemberFactory().user
    client = Client(headers={"accept-language": "zh-hans"})
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = web_login(client, user.username, "wrong")
    assert response.status_code == 429
    assert "15 分钟" in response.content.decode()


def test_the_token_endpoint_locks_after_repeated_failures(settings):
    user = FirmMemberFactory().user
    api = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert token(api, user.username, "wrong").status_code == 401
    assert token(api, user.username, "wrong").status_code == 429
    locked = token(api, user.username, PASSWORD)
    assert locked.status_code == 429
    assert "locked for 15 minutes" in locked.json()["detail"]


def test_a_right_password_before_the_limit_resets_the_count(settings):
    user = FirmMemberFactory().user
    api = APIClient()
    for _round in range(3):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            assert token(api, user.username, "wrong").status_code == 401
        assert token(api, user.username, PASSWORD).status_code == 200


def test_the_token_endpoint_is_throttled(monkeypatch):
    """DRF's scoped throttle (API_THROTTLE_TOKEN): beyond its rate a client waits,
    whatever user names it tries."""
    from rest_framework.throttling import ScopedRateThrottle

    rates = {**ScopedRateThrottle.THROTTLE_RATES, "token": "3/minute"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    api = APIClient()
    answers = [token(api, f"nobody{i}", "x").status_code for i in range(4)]
    assert answers == [401, 401, 401, 429]


def test_a_session_ends_after_inactivity(settings):
    user = FirmMemberFactory().user
    client = Client()
    assert web_login(client, user.username, PASSWORD).status_code == 302
    session = Session.objects.get()
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((session.expire_date - expected).total_seconds()) < 60
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    # Idle past the age: the stored session has expired; the next page asks to log in.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_active_session_is_renewed_at_most_once_a_minute():
    user = FirmMemberFactory().user
    client = Client()
    web_login(client, user.username, PASSWORD)
    soon = timezone.now() + timedelta(seconds=5)
    Session.objects.update(expire_date=soon)
    client.get(reverse("projects:list"))
    assert Session.objects.get().expire_date == soon  # renewed less than a minute ago
    stored = client.session
    stored[KEY] = int(time.time()) - 61
    stored.save()
    Session.objects.update(expire_date=soon)
    client.get(reverse("projects:list"))
    assert Session.objects.get().expire_date > soon + timedelta(minutes=20)


def test_a_token_request_stores_no_session():
    """An API client signs in with its token on every request: renewing its (empty)
    session stored a new session row each time, a write per request and a table that grew
    without end."""
    user = FirmMemberFactory().user
    client = APIClient()
    key = token(client, user.username, PASSWORD).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # (django-axes opens one at the token's log-in itself, for its access log)
    client.cookies.clear()
    opened = Session.objects.count()
    for _request in range(3):
        assert client.get("/api/v1/projects/").status_code == 200
    assert Session.objects.count() == opened


def test_every_web_process_counts_the_token_throttle_together(monkeypatch):
    """`settings.SHARED_CACHE`: counted in each process's memory, N web processes let a
    client try N times the rate."""
    from rest_framework.throttling import ScopedRateThrottle

    rates = {**ScopedRateThrottle.THROTTLE_RATES, "token": "3/minute"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    api = APIClient()
    answers = []
    for attempt in range(4):
        another_web_process()
        answers.append(token(api, f"nobody{attempt}", "x").status_code)
    assert answers == [401, 401, 401, 429]


def test_every_web_process_counts_an_anonymous_client_together(monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    api = APIClient()
    answers = []
    for _attempt in range(3):
        another_web_process()
        answers.append(api.get("/api/v1/programme/public-list/").status_code)
    assert answers == [200, 200, 429]
