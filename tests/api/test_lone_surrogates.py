"""A lone surrogate (JSON's ``\\ud800`` escape) in any field is a 400 in JSON, never a 500.

Every code field used to repeat the refused value in its error ("“\\ud800” is not a valid
choice") and the renderer then failed encoding it. The bodies are written by hand, as a
hostile client sends them: ``json.dumps`` on this side would escape the surrogate the same
way."""

import json

import pytest

from matchmaker.api.parsers import inspect_json
from matchmaker.api.renderers import SafeJSONRenderer
from projects.models import Project
from tests.api.conftest import api_client_for
from tests.factories import FirmMemberFactory, InstitutionMemberFactory
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db

LONE = "\ud800"

PROJECT = {
    "title": "Star tracker line",
    "segment": "components",
    "stage": "prototype",
    "trl": 5,
    "needs": [{"instrument": "equity", "amount": 10_000_000}],
}
OFFERING = {
    "name": "Launch cover",
    "instrument": "risk_cover",
    "ticket_min": 10_000_000,
    "ticket_max": 500_000_000,
    "capacity": 2_000_000_000,
}


def hostile_post(client, url: str, body: dict):
    """Post ``body`` with every LONE written as the six characters ``\\ud800``."""
    return client.post(url, json.dumps(body), content_type="application/json")


def assert_clear_400(response, field: str):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert "lone surrogate" in detail
    assert field in detail


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"segment": LONE}, "segment"),
        ({"stage": LONE}, "stage"),
        ({"province": LONE}, "province"),
        ({"region": LONE}, "region"),
        ({"round_role": LONE}, "round_role"),
        ({"flight_record": LONE}, "flight_record"),
        ({"revenue_status": LONE}, "revenue_status"),
        ({"exposures": [LONE]}, "exposures[0]"),
        ({"needs": [{"instrument": LONE, "amount": 1_000_000}]}, "needs[0].instrument"),
        ({"title": "Tracker " + LONE}, "title"),
    ],
)
def test_a_project_field_with_a_lone_surrogate_is_a_400(change, field):
    client = api_client_for(FirmMemberFactory().user)
    assert_clear_400(hostile_post(client, "/api/v1/projects/", {**PROJECT, **change}), field)
    assert not Project.objects.exists()


def test_an_edit_with_a_lone_surrogate_is_a_400_too():
    client = api_client_for(FirmMemberFactory().user)
    created = client.post("/api/v1/projects/", PROJECT, format="json")
    assert created.status_code == 201
    url = f"/api/v1/projects/{created.json()['id']}/"
    response = client.patch(url, json.dumps({"segment": LONE}), content_type="application/json")
    assert_clear_400(response, "segment")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"instrument": LONE}, "instrument"),
        ({"risk_appetite": LONE}, "risk_appetite"),
        ({"segments": ["launch", LONE]}, "segments[1]"),
    ],
)
def test_an_offering_field_with_a_lone_surrogate_is_a_400(change, field):
    client = api_client_for(InstitutionMemberFactory().user)
    assert_clear_400(hostile_post(client, "/api/v1/offerings/", {**OFFERING, **change}), field)


def test_a_decline_reason_with_a_lone_surrogate_is_a_400():
    pair = matched_pair()
    client = api_client_for(pair.institution_user)
    response = hostile_post(client, f"/api/v1/matches/{pair.match.pk}/decline/", {"reason": LONE})
    assert_clear_400(response, "reason")
    pair.match.refresh_from_db()
    assert pair.match.status == "new"


def test_registering_with_a_lone_surrogate_kind_is_a_400_without_logging_in(api):
    body = {
        "username": "orbit",
        "password": "laser-crosslink-2030",
        "email": "orbit@firm.test",
        "organization": {"name": "Orbit Optics", "kind": LONE},
    }
    assert_clear_400(hostile_post(api, "/api/v1/auth/register/", body), "organization.kind")


def test_a_surrogate_in_a_key_or_the_token_form_is_refused(api):
    assert_clear_400(hostile_post(api, "/api/v1/auth/token/", {LONE: "x"}), "body")
    assert inspect_json({"a": [{"b": LONE}]}) == (3, "a[0].b")


def test_the_renderer_answers_even_when_a_value_holds_a_surrogate():
    """The second line of defence: a value that reached an answer some other way."""
    rendered = SafeJSONRenderer().render({"segment": [f"“{LONE}” is not a valid choice."]})
    assert json.loads(rendered) == {"segment": [f"“{LONE}” is not a valid choice."]}


def sent(body) -> dict:
    """What the fuzz run's JSON serializer puts on the wire, read back."""
    from matchmaker.devtools.fuzz_hooks import json_with_surrogates

    return json.loads(json_with_surrogates(body))


def test_the_fuzz_run_sends_lone_surrogates_in_nested_fields():
    """`make fuzz` loads these hooks: some generated bodies carry a lone surrogate."""
    from hypothesis import find

    from matchmaker.devtools.fuzz_hooks import with_lone_surrogate

    body = {"title": "x", "needs": [{"instrument": "equity", "amount": 1}]}
    hostile = find(
        with_lone_surrogate(body),
        lambda value: inspect_json(sent(value))[1] == "needs[0].instrument",
    )
    assert sent(hostile)["title"] == "x"
    assert find(with_lone_surrogate(body), lambda value: value == body) == body


def test_the_fuzz_run_leaves_form_bodies_alone():
    """requests cannot encode a lone surrogate into a form: only JSON bodies get one."""
    from types import SimpleNamespace

    from hypothesis import find

    from matchmaker.devtools.fuzz_hooks import with_lone_surrogate_in_case

    form = SimpleNamespace(media_type="application/x-www-form-urlencoded", body={"a": "b"})
    assert find(with_lone_surrogate_in_case(form), lambda case: True).body == {"a": "b"}
    as_json = SimpleNamespace(media_type="application/json", body={"a": "b"})
    found = find(
        with_lone_surrogate_in_case(as_json), lambda case: inspect_json(sent(case.body))[1]
    )
    assert inspect_json(sent(found.body))[1] == "a"
