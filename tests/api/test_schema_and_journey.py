"""The contract: the schema documents the API, and a script can do the whole journey."""

import pytest
import yaml
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.factories import InstitutionMemberFactory, OfferingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_schema_documents_every_public_path(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/organizations/{id}/verify/",
        "/api/v1/projects/",
        "/api/v1/projects/{id}/",
        "/api/v1/projects/{id}/submit/",
        "/api/v1/projects/{id}/withdraw/",
        "/api/v1/projects/{id}/matches/",
        "/api/v1/offerings/",
        "/api/v1/offerings/{id}/",
        "/api/v1/matches/",
        "/api/v1/matches/{id}/shortlist/",
        "/api/v1/matches/{id}/decline/",
        "/api/v1/matches/{id}/request-intro/",
        "/api/v1/introductions/",
        "/api/v1/introductions/{id}/accept/",
        "/api/v1/introductions/{id}/refuse/",
    ]:
        assert path in schema["paths"], path


def test_swagger_ui_is_served_from_our_own_static_files(api):
    page = api.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "<script>" not in page  # the init script is a separate file, so the CSP holds


def token_client(username: str, password: str) -> APIClient:
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": username, "password": password}).json()[
        "token"
    ]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_script_does_the_whole_journey_through_the_api():
    anonymous = APIClient()
    firm_signup = {
        "username": "apifirm",
        "password": "hall-thruster-2031",
        "email": "api@firm.test",
        "organization": {"name": "API Thrusters", "kind": "firm"},
    }
    registered = anonymous.post("/api/v1/auth/register/", firm_signup, format="json").json()
    operator = get_user_model().objects.create_user(
        "apiop", password="operator-pass-99", is_staff=True
    )
    assert operator.is_staff
    verified = token_client("apiop", "operator-pass-99").post(
        f"/api/v1/organizations/{registered['organization']['id']}/verify/"
    )
    assert verified.json()["verified"] is True

    insurer = InstitutionMemberFactory()
    OfferingFactory(institution=insurer.institution, name="API equity", instrument="equity")
    firm = token_client("apifirm", "hall-thruster-2031")
    project = firm.post(
        "/api/v1/projects/",
        {
            "title": "Hall thruster family",
            "summary": "Electric propulsion.",
            "segment": "components",
            "stage": "qualification",
            "trl": 6,
            "needs": [{"instrument": "equity", "amount": 40_000_000}],
        },
        format="json",
    ).json()
    assert firm.post(f"/api/v1/projects/{project['id']}/submit/").json()["status"] == "submitted"
    matches = firm.get(f"/api/v1/projects/{project['id']}/matches/").json()["results"]
    assert [m["offering"]["name"] for m in matches] == ["API equity"]

    institution = APIClient()
    institution.force_authenticate(insurer.user)
    listed = institution.get("/api/v1/matches/").json()["results"]
    match_id = listed[0]["id"]
    assert (
        institution.post(f"/api/v1/matches/{match_id}/shortlist/").json()["status"] == "shortlisted"
    )
    institution.post(
        f"/api/v1/matches/{match_id}/request-intro/", {"message": "Shall we talk?"}, format="json"
    )
    introduction = firm.get("/api/v1/introductions/").json()["results"][0]
    accepted = firm.post(f"/api/v1/introductions/{introduction['id']}/accept/").json()
    assert accepted["contacts"]["institution"]["contact_email"] == insurer.institution.contact_email


def test_packages_are_documented_as_the_plain_list_they_are(api):
    # found by schemathesis: the schema once promised a paginated object
    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    response = schema["paths"]["/api/v1/projects/{id}/packages/"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"]["type"] == "array"


def test_the_schema_documents_the_errors_each_operation_can_answer(client):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    submit = paths["/api/v1/projects/{id}/submit/"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "413", "429"} <= set(submit)
    listing = paths["/api/v1/projects/"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404", "429"} <= set(listing)
    assert "409" not in listing and "413" not in listing
    register = paths["/api/v1/auth/register/"]["post"]["responses"]
    assert "401" not in register and {"201", "400", "429"} <= set(register)
