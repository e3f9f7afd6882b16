"""Hostile bodies get a clear 4xx in JSON from the API (never a 500 or an HTML page),
and a plain page on the web; nothing is written."""

import json

import pytest
from django.urls import reverse

from matchmaker.api.parsers import MAX_JSON_DEPTH, depth_of
from projects.models import Project
from tests.api.conftest import api_client_for

pytestmark = pytest.mark.django_db


def post_raw(client, url: str, body: str):
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 100_000])
def test_deeply_nested_json_in_a_field_is_a_400(firm_member, depth):
    body = '{"title": "Deep", "summary": ' + "[" * depth + '"x"' + "]" * depth + "}"
    response = post_raw(api_client_for(firm_member.user), "/api/v1/projects/", body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "nests lists or objects" in response.json()["detail"]
    assert not Project.objects.exists()


def test_a_body_that_is_only_nesting_is_a_400(firm_member):
    body = "[" * 50_000 + "]" * 50_000
    response = post_raw(api_client_for(firm_member.user), "/api/v1/projects/", body)
    assert response.status_code == 400
    assert "nests lists or objects" in response.json()["detail"]


def test_ordinary_nesting_is_accepted():
    assert depth_of({"needs": [{"instrument": "equity", "amount": 1}]}) == 3
    assert depth_of("scalar") == 0


def test_a_huge_api_body_is_a_413_in_json(firm_member, settings):
    body = json.dumps({"title": "Big", "summary": "x" * (settings.API_MAX_BODY_BYTES + 1)})
    response = post_raw(api_client_for(firm_member.user), "/api/v1/projects/", body)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "larger than" in response.json()["detail"]
    assert not Project.objects.exists()


def test_a_huge_web_form_is_a_413_page(firm_client):
    response = firm_client.post(
        reverse("projects:create"), {"title": "Big", "summary": "x" * 3_000_000}
    )
    assert response.status_code == 413
    assert "text/html" in response["Content-Type"]
    assert "Nothing was saved" in response.content.decode()
    assert not Project.objects.exists()
