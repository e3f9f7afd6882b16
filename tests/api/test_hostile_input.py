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


MINIMAL = {"title": "Star tracker line", "segment": "components", "stage": "prototype", "trl": 5}


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("title", "\u200b\u200b\u2060", "visible text"),
        ("title", "Rocket\u202egnp.exe", "text-direction"),
        ("title", "Bell\x07ring", "control character"),
        ("title", "Two\nlines", "control character"),
        ("city", "\ufeff", "visible text"),
        ("summary", "Fine\x00nul", "control character"),
    ],
)
def test_hidden_characters_are_refused_naming_the_field(firm_member, field, value, words):
    response = api_client_for(firm_member.user).post(
        "/api/v1/projects/", {**MINIMAL, field: value}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert words in response.json()[field][0]
    assert not Project.objects.exists()


def test_text_is_stored_in_nfc_without_surrounding_spaces(firm_member):
    decomposed = "  Cafe\u0301 satellite  "  # "é" as e + combining accent
    response = api_client_for(firm_member.user).post(
        "/api/v1/projects/",
        {**MINIMAL, "title": decomposed, "summary": "Line one\nline two"},
        format="json",
    )
    assert response.status_code == 201
    project = Project.objects.get()
    assert project.title == "Café satellite" == response.json()["title"]
    assert project.summary == "Line one\nline two"  # line breaks stay where lines are allowed


def test_the_web_form_refuses_hidden_characters_and_keeps_what_was_typed(firm_client):
    response = firm_client.post(
        reverse("projects:create"),
        {"title": "Orbit\u202eevil", "segment": "launch", "stage": "rnd", "trl": 3},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "text-direction" in page
    assert 'value="Orbit' in page
    assert not Project.objects.exists()


def test_a_decline_note_or_introduction_message_is_checked_too(firm_member):
    from tests.matchmaker.review.helpers import matched_pair

    pair = matched_pair()
    client = api_client_for(pair.institution_user)
    response = client.post(
        f"/api/v1/matches/{pair.match.pk}/request-intro/", {"message": "\u200b"}, format="json"
    )
    assert response.status_code == 400
    assert "visible text" in response.json()["message"][0]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": 7}, "title"),
        ({"trl": "5"}, "trl"),
        ({"trl": True}, "trl"),
        ({"needs": [{"instrument": "equity", "amount": "9000000"}]}, "needs"),
        ({"milestones": [{"title": 1, "due_date": "2030-01-01"}]}, "milestones"),
    ],
)
def test_wrong_json_types_are_refused_not_coerced(firm_member, change, field):
    response = api_client_for(firm_member.user).post(
        "/api/v1/projects/", {**MINIMAL, **change}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Project.objects.exists()


def test_a_boolean_is_json_true_or_false():
    from tests.factories import InstitutionMemberFactory

    member = InstitutionMemberFactory()
    offering = {
        "name": "Loan",
        "instrument": "credit",
        "ticket_min": 1_000_000,
        "ticket_max": 9_000_000,
        "capacity": 90_000_000,
    }
    client = api_client_for(member.user)
    refused = client.post("/api/v1/offerings/", {**offering, "active": "true"}, format="json")
    assert (refused.status_code, list(refused.json())) == (400, ["active"])
    accepted = client.post("/api/v1/offerings/", {**offering, "active": False}, format="json")
    assert accepted.status_code == 201 and accepted.json()["status"] == "paused"


def test_a_filter_on_a_single_project_is_not_an_error(firm_member):
    from tests.factories import ProjectFactory

    project = ProjectFactory(firm=firm_member.firm)
    client = api_client_for(firm_member.user)
    assert client.get(f"/api/v1/projects/{project.pk}/?status=nonsense").status_code == 200
    assert client.get("/api/v1/projects/?status=nonsense").status_code == 400


def test_an_address_no_url_matches_answers_json_under_the_api(firm_member):
    response = api_client_for(firm_member.user).get("/api/v1/projects/not-a-number/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


def test_a_repeated_query_parameter_is_a_400_naming_it(firm_member):
    response = api_client_for(firm_member.user).get("/api/v1/projects/?page=1&page=2&status=x")
    assert response.status_code == 400
    assert list(response.json()) == ["page"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/projects/?page=",  # a list with its own paginator
        "/api/v1/programme/tools/?page=",  # a list on the default paginator
        "/api/v1/programme/public-list/?page=",  # no credentials needed
    ],
)
def test_an_empty_page_number_is_a_400_naming_it_not_page_one(firm_member, url):
    response = api_client_for(firm_member.user).get(url)
    assert response.status_code == 400
    assert list(response.json()) == ["page"]
    assert api_client_for(firm_member.user).get(url + "1").status_code == 200
