import pytest

from investors.models import Offering
from tests.api.conftest import api_client_for
from tests.factories import FirmMemberFactory, InstitutionMemberFactory, OfferingFactory

pytestmark = pytest.mark.django_db

MINIMAL = {
    "name": "Launch cover",
    "instrument": "risk_cover",
    "ticket_min": 10_000_000,
    "ticket_max": 500_000_000,
    "capacity": 2_000_000_000,
}


@pytest.fixture
def member():
    return InstitutionMemberFactory()


@pytest.fixture
def client(member):
    return api_client_for(member.user)


def test_a_minimal_offering_is_created_active(client, member):
    response = client.post("/api/v1/offerings/", MINIMAL, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["active"],
        body["status"],
        body["capacity_left"],
        body["trl_min"],
        body["trl_max"],
    ) == (True, "active", 2_000_000_000, 1, 9)
    assert Offering.objects.get().institution == member.institution


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ticket_min": 600_000_000}, "ticket_max"),
        ({"trl_min": 8, "trl_max": 3}, "trl_max"),
        ({"trl_max": 10}, "trl_max"),
        ({"ticket_min": 0}, "ticket_min"),
        ({"capacity_left": 3_000_000_000}, "capacity_left"),
        ({"segments": ["asteroid_mining"]}, "segments"),
        ({"product_type": "term_loan"}, "product_type"),
        ({"weights": {"astrology": 3}}, "weights"),
        ({"weights": {"risk": 11}}, "weights"),
        ({"instrument": "bitcoin"}, "instrument"),
    ],
)
def test_bad_offerings_are_400_and_nothing_written(client, change, field):
    response = client.post("/api/v1/offerings/", {**MINIMAL, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Offering.objects.exists()


def test_patch_pauses_and_reactivates(client, member):
    offering = OfferingFactory(institution=member.institution)
    url = f"/api/v1/offerings/{offering.pk}/"
    assert client.patch(url, {"active": False}, format="json").json()["status"] == "paused"
    body = client.patch(url, {"active": True, "name": "Renamed"}, format="json").json()
    assert (body["status"], body["name"]) == ("active", "Renamed")


def test_another_institutions_offering_is_404(client):
    other = OfferingFactory()
    assert client.get(f"/api/v1/offerings/{other.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/offerings/{other.pk}/", {"name": "Taken"}, format="json").status_code
        == 404
    )
    other.refresh_from_db()
    assert other.name != "Taken"


def test_firms_cannot_use_the_offering_endpoints():
    client = api_client_for(FirmMemberFactory().user)
    assert client.get("/api/v1/offerings/").status_code == 403
    assert client.post("/api/v1/offerings/", MINIMAL, format="json").status_code == 403
