"""The facts that decide real deals, through the API: optional with defaults (old clients
keep working), validated with plain-words 400s, and nothing written on bad input."""

import pytest

from investors.models import Offering
from projects.models import Project
from tests.api.conftest import api_client_for
from tests.factories import FirmMemberFactory, InstitutionMemberFactory, OfferingFactory

pytestmark = pytest.mark.django_db

PROJECT = {"title": "Methane upper stage", "segment": "launch", "stage": "first_flight", "trl": 8}
OFFERING = {
    "name": "Growth equity",
    "instrument": "equity",
    "ticket_min": 50_000_000,
    "ticket_max": 1_000_000_000,
    "capacity": 5_000_000_000,
}


@pytest.fixture
def firm_api():
    return api_client_for(FirmMemberFactory().user)


@pytest.fixture
def institution():
    return InstitutionMemberFactory()


@pytest.fixture
def institution_api(institution):
    return api_client_for(institution.user)


def test_an_old_client_gets_the_cautious_defaults(firm_api):
    body = firm_api.post("/api/v1/projects/", PROJECT, format="json").json()
    assert (body["flight_record"], body["successful_flights"], body["revenue_status"]) == (
        "not_flown",
        0,
        "pre_revenue",
    )
    assert (body["province"], body["registered_province"], body["round_role"]) == (
        "shanghai",
        "shanghai",
        "either",
    )


def test_a_flown_earning_project_outside_shanghai_is_stored(firm_api):
    data = {
        **PROJECT,
        "flight_record": "flight_proven",
        "successful_flights": 9,
        "revenue_status": "revenue",
        "last_year_revenue": 300_000_000,
        "province": "sichuan",
        "registered_province": "beijing",
        "region": "other_china",
        "round_role": "lead",
    }
    response = firm_api.post("/api/v1/projects/", data, format="json")
    assert response.status_code == 201, response.json()
    project = Project.objects.get()
    assert (project.successful_flights, project.province, project.round_role) == (
        9,
        "sichuan",
        "lead",
    )


def test_a_first_flight_counts_one_flight_by_itself(firm_api):
    data = {**PROJECT, "flight_record": "first_flight"}
    assert firm_api.post("/api/v1/projects/", data, format="json").json()["successful_flights"] == 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"successful_flights": 3}, "successful_flights", "You counted 3 successful flights"),
        (
            {"flight_record": "flight_proven", "successful_flights": 1},
            "successful_flights",
            "at least 2",
        ),
        ({"last_year_revenue": 5_000_000}, "last_year_revenue", "A pre-revenue firm"),
        ({"province": "beijing", "region": "pudong"}, "region", "outside Shanghai"),
        ({"province": "shanghai", "region": "other_china"}, "region", "choose its district"),
        ({"flight_record": "flown_a_lot"}, "flight_record", ""),
        ({"province": "atlantis"}, "province", ""),
        ({"round_role": "boss"}, "round_role", ""),
        ({"last_year_revenue": -1}, "last_year_revenue", ""),
    ],
)
def test_facts_that_disagree_are_a_400_and_nothing_is_written(firm_api, change, field, words):
    response = firm_api.post("/api/v1/projects/", {**PROJECT, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert words in str(response.json()[field])
    assert not Project.objects.exists()


def test_a_patch_is_checked_against_what_is_stored(firm_api):
    project_id = firm_api.post(
        "/api/v1/projects/", {**PROJECT, "flight_record": "first_flight"}, format="json"
    ).json()["id"]
    response = firm_api.patch(
        f"/api/v1/projects/{project_id}/", {"successful_flights": 5}, format="json"
    )
    assert response.status_code == 400
    assert Project.objects.get().successful_flights == 1


def test_an_offering_without_the_new_fields_keeps_working(institution_api):
    body = institution_api.post("/api/v1/offerings/", OFFERING, format="json").json()
    assert (body["preferred_trl"], body["min_flight_record"], body["line_share"]) == (
        None,
        "not_flown",
        100,
    )
    assert (body["round_role"], body["presence"]) == ("flexible", [])


def test_an_offering_with_a_sweet_spot_and_requirements_is_stored(institution_api):
    data = {
        **OFFERING,
        "trl_min": 6,
        "trl_max": 9,
        "preferred_trl": 8,
        "preferred_ticket": 300_000_000,
        "stages": ["first_flight", "production_ramp"],
        "preferred_stage": "production_ramp",
        "min_flight_record": "first_flight",
        "min_revenue_status": "revenue",
        "round_role": "lead",
        "presence": ["shanghai", "jiangsu"],
    }
    response = institution_api.post("/api/v1/offerings/", data, format="json")
    assert response.status_code == 201, response.json()
    offering = Offering.objects.get()
    assert (offering.preferred_trl, offering.presence) == (8, ["shanghai", "jiangsu"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"trl_min": 6, "preferred_trl": 3}, "preferred_trl"),
        ({"preferred_ticket": 10_000}, "preferred_ticket"),
        ({"stages": ["rnd"], "preferred_stage": "commercial"}, "preferred_stage"),
        ({"line_share": 30}, "line_share"),
        ({"instrument": "credit", "round_role": "lead"}, "round_role"),
        ({"presence": ["mars"]}, "presence"),
        ({"min_flight_record": "orbit_of_jupiter"}, "min_flight_record"),
        ({"min_revenue_status": "rich"}, "min_revenue_status"),
    ],
)
def test_bad_offering_facts_are_a_400_and_nothing_is_written(institution_api, change, field):
    response = institution_api.post("/api/v1/offerings/", {**OFFERING, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Offering.objects.exists()


def test_an_insurer_may_take_a_line(institution_api):
    data = {**OFFERING, "instrument": "risk_cover", "line_share": 25}
    assert institution_api.post("/api/v1/offerings/", data, format="json").status_code == 201


def test_a_patch_of_the_sweet_spot_is_checked_against_the_stored_range(
    institution, institution_api
):
    offering = OfferingFactory(institution=institution.institution, trl_min=4, trl_max=8)
    response = institution_api.patch(
        f"/api/v1/offerings/{offering.pk}/", {"preferred_trl": 9}, format="json"
    )
    assert response.status_code == 400
    offering.refresh_from_db()
    assert offering.preferred_trl is None
