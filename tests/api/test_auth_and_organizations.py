import pytest
from django.contrib.auth import get_user_model

from investors.models import Institution
from projects.models import Firm
from tests.api.conftest import api_client_for
from tests.factories import FirmFactory

pytestmark = pytest.mark.django_db

REGISTER = {
    "username": "orbit",
    "password": "laser-crosslink-2030",
    "email": "orbit@firm.test",
    "organization": {"name": "Orbit Optics", "kind": "firm"},
}


def test_register_creates_an_unverified_organisation(api):
    response = api.post("/api/v1/auth/register/", REGISTER, format="json")
    assert response.status_code == 201
    body = response.json()
    firm = Firm.objects.get()
    assert body == {
        "id": get_user_model().objects.get().pk,
        "username": "orbit",
        "email": "orbit@firm.test",
        "organization": {
            "id": str(firm.pk),
            "name": "Orbit Optics",
            "kind": "firm",
            "verified": False,
        },
    }


def test_register_an_insurer(api):
    data = {
        **REGISTER,
        "organization": {"name": "Sky Re", "kind": "institution", "institution_type": "insurer"},
    }
    assert api.post("/api/v1/auth/register/", data, format="json").status_code == 201
    assert Institution.objects.get().institution_type == "insurer"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "123"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"organization": {"name": "X", "kind": "bank"}}, "organization"),
        ({"organization": {"name": "X", "kind": "institution"}}, "organization"),
        ({"username": "bad name!"}, "username"),
    ],
)
def test_bad_registrations_get_field_errors_and_write_nothing(api, change, field):
    response = api.post("/api/v1/auth/register/", {**REGISTER, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not get_user_model().objects.exists()


def test_a_taken_organisation_name_is_refused(api):
    FirmFactory(name="Orbit Optics")
    response = api.post("/api/v1/auth/register/", REGISTER, format="json")
    assert response.status_code == 400
    assert "already registered" in str(response.json()["organization"])


def test_token_for_good_credentials_only(api):
    api.post("/api/v1/auth/register/", REGISTER, format="json")
    token = api.post(
        "/api/v1/auth/token/", {"username": "orbit", "password": REGISTER["password"]}
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/projects/").status_code == 200
    wrong = api_client_for().post("/api/v1/auth/token/", {"username": "orbit", "password": "wrong"})
    assert wrong.status_code == 401  # well formed, wrong credentials (it was a 400)
    assert wrong["WWW-Authenticate"] == 'Token realm="api"'
    assert "token" not in wrong.json()


def test_unauthenticated_requests_get_401(api):
    for url in [
        "/api/v1/projects/",
        "/api/v1/offerings/",
        "/api/v1/matches/",
        "/api/v1/introductions/",
    ]:
        response = api.get(url)
        assert response.status_code == 401, url


def test_only_operators_verify_organisations():
    firm = FirmFactory(verified=False, verified_at=None)
    url = f"/api/v1/organizations/{firm.pk}/verify/"
    member = get_user_model().objects.create_user("member", password="pw")
    assert api_client_for(member).post(url).status_code == 403
    operator = get_user_model().objects.create_user("op", password="pw", is_staff=True)
    response = api_client_for(operator).post(url)
    assert response.status_code == 200 and response.json()["verified"] is True
    firm.refresh_from_db()
    assert firm.verified
    assert (
        api_client_for(operator)
        .post("/api/v1/organizations/00000000-0000-0000-0000-000000000000/verify/")
        .status_code
        == 404
    )
    assert (
        api_client_for(operator).post("/api/v1/organizations/not-a-uuid/verify/").status_code == 404
    )
