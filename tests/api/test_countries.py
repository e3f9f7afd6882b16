"""#25: a firm's country outside China and a financier's country mandate through the API:
optional (blank = unknown, so older clients keep their meaning), validated in plain words,
and what the engine reads from them."""

import pytest

from investors.models import Offering
from matchmaker.engine.facts import UNKNOWN_COUNTRY
from matchmaker.matching import encoding
from projects.models import Project
from tests.api.conftest import api_client_for
from tests.factories import FirmMemberFactory, InstitutionMemberFactory

pytestmark = pytest.mark.django_db

PROJECT = {
    "title": "GEO satellite purchase",
    "segment": "constellation_services",
    "stage": "qualification",
    "trl": 7,
}
ABROAD = {"province": "abroad", "registered_province": "abroad", "region": "other_china"}
OFFERING = {
    "name": "Export credit",
    "instrument": "credit",
    "ticket_min": 100_000_000,
    "ticket_max": 5_000_000_000,
    "capacity": 50_000_000_000,
}


@pytest.fixture
def firm_api():
    return api_client_for(FirmMemberFactory().user)


def test_an_old_client_leaves_the_countries_blank(firm_api):
    body = firm_api.post("/api/v1/projects/", PROJECT, format="json").json()
    assert (body["country"], body["registered_country"]) == ("", "")


def test_a_foreign_buyer_of_a_french_satellite_is_stored(firm_api):
    data = {**PROJECT, **ABROAD, "registered_country": "AZ", "country": "FR"}
    response = firm_api.post("/api/v1/projects/", data, format="json")
    assert response.status_code == 201, response.json()
    project = Project.objects.get()
    assert (project.registered_country, project.country) == ("AZ", "FR")
    facts = encoding.project_facts(project)
    assert facts.registered_country == encoding.COUNTRY["AZ"]
    assert facts.works_country == encoding.COUNTRY["FR"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"country": "FR"}, "country", "only outside China"),
        ({"registered_country": "DE"}, "registered_country", "only outside China"),
        ({**ABROAD, "country": "XX"}, "country", ""),
        ({**ABROAD, "country": "fr"}, "country", ""),
    ],
)
def test_a_country_that_cannot_be_is_a_400_and_nothing_is_written(firm_api, change, field, words):
    response = firm_api.post("/api/v1/projects/", {**PROJECT, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert words in str(response.json()[field])
    assert not Project.objects.exists()


def test_an_old_client_moving_the_work_into_china_drops_the_country(firm_api):
    data = {**PROJECT, **ABROAD, "registered_country": "JP", "country": "JP"}
    project_id = firm_api.post("/api/v1/projects/", data, format="json").json()["id"]
    response = firm_api.patch(
        f"/api/v1/projects/{project_id}/",
        {"province": "shanghai", "region": "pudong"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    project = Project.objects.get()
    assert (project.country, project.registered_country) == ("", "JP")


def test_the_engine_reads_china_for_a_chinese_province_and_unknown_for_a_blank_country():
    assert encoding.country_key("beijing", "") == encoding.COUNTRY["CN"]
    assert encoding.country_key("abroad", "") == UNKNOWN_COUNTRY
    assert encoding.country_key("abroad", "US") == encoding.COUNTRY["US"]


def test_an_offering_names_its_country_mandate_or_none():
    api = api_client_for(InstitutionMemberFactory().user)
    body = api.post("/api/v1/offerings/", OFFERING, format="json").json()
    assert (body["countries"], body["content_countries"]) == ([], [])
    data = {**OFFERING, "name": "EIB", "countries": ["DE", "FR"], "content_countries": ["FR"]}
    response = api.post("/api/v1/offerings/", data, format="json")
    assert response.status_code == 201, response.json()
    offering = Offering.objects.get(name="EIB")
    assert (offering.countries, offering.content_countries) == (["DE", "FR"], ["FR"])
    bad = api.post("/api/v1/offerings/", {**data, "name": "x", "countries": ["EU"]}, format="json")
    assert bad.status_code == 400 and "countries" in bad.json()


def test_work_at_home_is_optional_and_off_unless_asked():
    api = api_client_for(InstitutionMemberFactory().user)
    body = api.post("/api/v1/offerings/", OFFERING, format="json").json()
    assert body["home_content"] is False
    data = {**OFFERING, "name": "EIB", "countries": ["FR"], "home_content": True}
    response = api.post("/api/v1/offerings/", data, format="json")
    assert response.status_code == 201, response.json()
    assert Offering.objects.get(name="EIB").home_content is True
    bad_data = {**data, "name": "x", "home_content": "yes"}
    bad = api.post("/api/v1/offerings/", bad_data, format="json")
    assert bad.status_code == 400 and "home_content" in bad.json()
