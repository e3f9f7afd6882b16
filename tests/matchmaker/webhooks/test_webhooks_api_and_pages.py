"""Registering endpoints and reading the delivery log, in the API and on the web."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from matchmaker.models import MatchStatus
from matchmaker.review import services as review
from matchmaker.webhooks import signing
from matchmaker.webhooks.models import Delivery, Endpoint, EndpointStatus
from tests.conftest import logged_in_client
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_secret_is_shown_when_created_and_never_again(receiver):
    pair = matched_pair()
    client = api_for(pair.institution_user)
    created = client.post(
        "/api/v1/webhooks/endpoints/",
        {"url": receiver.url, "events": ["match.decided"], "description": "Credit workflow"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["secret"] == Endpoint.objects.get().secret
    assert body["secret"].startswith("whsec_")
    again = client.get(f"/api/v1/webhooks/endpoints/{body['id']}/").json()
    assert "secret" not in again
    assert again["events"] == ["match.decided"] and again["active"] is True
    rotated = client.post(f"/api/v1/webhooks/endpoints/{body['id']}/rotate-secret/").json()
    assert rotated["secret"] not in {body["secret"], ""}


def test_a_loopback_target_is_refused_by_the_api():
    pair = matched_pair()
    response = api_for(pair.institution_user).post(
        "/api/v1/webhooks/endpoints/",
        {"url": "https://127.0.0.1:8000/hooks", "events": ["match.decided"]},
        format="json",
    )
    assert response.status_code == 400
    assert "url" in response.json()
    assert not Endpoint.objects.exists()


def test_unknown_events_and_firm_only_gaps_are_refused():
    pair = matched_pair()
    response = api_for(pair.firm_user).post(
        "/api/v1/webhooks/endpoints/",
        {"url": "https://hooks.firm.example/", "events": ["document.shared", "nonsense"]},
        format="json",
    )
    assert response.status_code == 400
    assert "document.shared" in str(response.json()["events"])  # institutions only
    kinds = api_for(pair.firm_user).get("/api/v1/webhooks/event-types/").json()
    assert "match.created" in {row["code"] for row in kinds}
    assert "document.shared" not in {row["code"] for row in kinds}


def test_the_delivery_log_pause_resume_ping_and_replay_in_the_api(
    receiver, django_capture_on_commit_callbacks
):
    pair = matched_pair()
    client = api_for(pair.institution_user)
    endpoint_id = client.post(
        "/api/v1/webhooks/endpoints/",
        {"url": receiver.url, "events": ["match.decided"]},
        format="json",
    ).json()["id"]
    paused = client.patch(
        f"/api/v1/webhooks/endpoints/{endpoint_id}/", {"active": False}, format="json"
    )
    assert paused.json()["status"] == EndpointStatus.PAUSED
    with django_capture_on_commit_callbacks(execute=True):
        review.match_move(
            match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user
        )
    assert receiver.received == []
    with django_capture_on_commit_callbacks(execute=True):
        resumed = client.patch(
            f"/api/v1/webhooks/endpoints/{endpoint_id}/", {"active": True}, format="json"
        )
    assert resumed.json()["status"] == EndpointStatus.ACTIVE
    assert [e["type"] for e in receiver.events()] == ["match.decided"]

    assert client.get("/api/v1/webhooks/deliveries/?state=").status_code == 400
    assert client.get("/api/v1/webhooks/deliveries/?state=sent").status_code == 400
    log = client.get("/api/v1/webhooks/deliveries/?state=delivered").json()["results"]
    assert [row["event_type"] for row in log] == ["match.decided"]
    assert log[0]["attempt_log"][0]["status_code"] == 200
    with django_capture_on_commit_callbacks(execute=True):
        replayed = client.post(f"/api/v1/webhooks/deliveries/{log[0]['id']}/replay/")
        pinged = client.post(f"/api/v1/webhooks/endpoints/{endpoint_id}/ping/")
    assert replayed.status_code == pinged.status_code == 202
    assert [e["type"] for e in receiver.events()] == ["match.decided", "match.decided", "ping"]
    assert receiver.events()[0]["id"] == receiver.events()[1]["id"]


def test_the_web_page_registers_an_endpoint_and_shows_the_secret_once(receiver):
    pair = matched_pair()
    client = logged_in_client(pair.firm_user)
    response = client.post(
        reverse("webhooks:list"),
        {"url": receiver.url, "events": ["match.created", "introduction.requested"]},
    )
    endpoint = Endpoint.objects.get()
    assert response.url == reverse("webhooks:detail", args=[endpoint.pk])
    assert endpoint.firm == pair.match.project.firm
    first = client.get(response.url).content.decode()
    assert endpoint.secret in first
    assert endpoint.secret not in client.get(response.url).content.decode()


def test_the_web_page_refuses_a_private_address_and_keeps_what_was_typed(settings):
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = False
    pair = matched_pair()
    client = logged_in_client(pair.institution_user)
    response = client.post(
        reverse("webhooks:list"), {"url": "https://192.168.0.10/in", "events": ["match.decided"]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "https://192.168.0.10/in" in page
    assert "private or reserved" in page
    assert not Endpoint.objects.exists()


def test_the_web_delivery_log_replays(receiver, django_capture_on_commit_callbacks):
    pair = matched_pair()
    client = logged_in_client(pair.institution_user)
    client.post(reverse("webhooks:list"), {"url": receiver.url, "events": ["match.decided"]})
    endpoint = Endpoint.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:ping", args=[endpoint.pk]))
    delivery = Delivery.objects.get()
    page = client.get(reverse("webhooks:detail", args=[endpoint.pk])).content.decode()
    assert str(delivery.event_id) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:replay", args=[delivery.pk]))
    assert len(receiver.received) == 2
    assert receiver.received[1].headers[signing.EVENT_ID_HEADER] == str(delivery.event_id)
