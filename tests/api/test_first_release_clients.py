"""The API's first release (commit c028a5b, "REST API v1") as its clients called it.

Every request below has the shape that release's clients sent: no field added since
(province, registered province, presence, sweet spots, flight record, revenue, round role,
line share…). Each is replayed against today's API, for every endpoint and every role, and
the test asserts what was *stored*, not only the status code: a new field's default must
keep the old request's meaning, or an older client silently says something it never said.
"""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from investors.models import Institution, Offering, OfferingStatus
from matchmaker.matching import scoring
from matchmaker.models import Introduction, IntroductionState, Match, MatchEvent, MatchStatus
from projects.models import Firm, Project, ProjectStatus

pytestmark = pytest.mark.django_db

# Request bodies exactly as the first release's tests and clients sent them.
FIRM_REGISTRATION = {
    "username": "orbit",
    "password": "laser-crosslink-2030",
    "email": "orbit@firm.test",
    "organization": {"name": "Orbit Optics", "kind": "firm"},
}
BANK_REGISTRATION = {
    "username": "lender",
    "password": "term-loan-for-2030",
    "email": "rm@bank.test",
    "organization": {"name": "Pujiang Bank", "kind": "institution", "institution_type": "bank"},
}
FUND_REGISTRATION = {
    "username": "fund",
    "password": "series-b-for-2030",
    "email": "partner@fund.test",
    "organization": {
        "name": "Huangpu Ventures",
        "kind": "institution",
        "institution_type": "vc_fund",
    },
}
PROJECT_OUTSIDE_SHANGHAI = {
    "title": "Star tracker line",
    "summary": "Star trackers for LEO buses, built in Xi'an.",
    "segment": "components",
    "stage": "prototype",
    "trl": 6,
    "needs": [
        {"instrument": "equity", "amount": 80_000_000},
        {"instrument": "credit", "amount": 20_000_000},
    ],
    "months_to_revenue": 18,
    "months_to_break_even": 40,
    "exposures": ["supply_chain", "schedule_slip"],
    "collateral": ["equipment"],
    "city": "Xi'an",
    "region": "other_china",
    "prior_funding": 30_000_000,
    "milestones": [{"title": "Qualification unit", "due_date": "2030-06-30"}],
}
PROJECT_IN_PUDONG = {
    "title": "Ground station network",
    "summary": "Ground stations for LEO constellations.",
    "segment": "ground_terminals",
    "stage": "qualification",
    "trl": 7,
    "needs": [{"instrument": "equity", "amount": 50_000_000}],
    "city": "Shanghai",
    "region": "pudong",
}
EQUITY_OFFERING = {
    "name": "Growth equity",
    "description": "Series A and B in space hardware.",
    "instrument": "equity",
    "product_type": "",
    "ticket_min": 10_000_000,
    "ticket_max": 200_000_000,
    "capacity": 1_000_000_000,
    "max_tenor_months": 96,
    "segments": [],
    "stages": [],
    "trl_min": 4,
    "trl_max": 9,
    "risk_appetite": "high",
    "exposures_covered": [],
    "regions": [],
    "collateral_required": [],
    "pricing_note": "",
    "weights": {},
    "active": True,
}


def _registered(operator: APIClient, body: dict) -> APIClient:
    """Register, get a token, have the operator verify the organisation: the first
    release's three calls for a new member."""
    anonymous = APIClient()
    registered = anonymous.post("/api/v1/auth/register/", body, format="json")
    assert registered.status_code == 201, registered.json()
    organization = registered.json()["organization"]
    assert organization["verified"] is False
    token = anonymous.post(
        "/api/v1/auth/token/", {"username": body["username"], "password": body["password"]}
    )
    assert token.status_code == 200, token.json()
    verified = operator.post(f"/api/v1/organizations/{organization['id']}/verify/")
    assert verified.status_code == 200, verified.json()
    assert verified.json()["verified"] is True
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    return client


@pytest.fixture
def operator():
    user = get_user_model().objects.create_superuser("office", "office@example.test", "pw")
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def firm(operator):
    return _registered(operator, FIRM_REGISTRATION)


@pytest.fixture
def bank(operator):
    return _registered(operator, BANK_REGISTRATION)


def test_registration_stores_what_the_first_release_stored(operator):
    _registered(operator, FIRM_REGISTRATION)
    _registered(operator, BANK_REGISTRATION)
    firm = Firm.objects.get(name="Orbit Optics")
    bank = Institution.objects.get(name="Pujiang Bank")
    assert firm.verified and bank.verified
    assert bank.institution_type == "bank"
    assert firm.memberships.get().user.email == "orbit@firm.test"


def test_a_project_outside_shanghai_sent_without_a_province_stays_outside_shanghai(firm):
    response = firm.post("/api/v1/projects/", PROJECT_OUTSIDE_SHANGHAI, format="json")
    assert response.status_code == 201, response.json()
    project = Project.objects.get(pk=response.json()["id"])
    assert (project.region, project.province, project.registered_province) == (
        "other_china",
        "other",
        "other",
    )
    assert (project.city, project.trl, project.prior_funding) == ("Xi'an", 6, 30_000_000)
    assert {n.instrument: n.amount for n in project.needs.all()} == {
        "equity": 80_000_000,
        "credit": 20_000_000,
    }
    assert (project.exposures, project.collateral) == (
        ["supply_chain", "schedule_slip"],
        ["equipment"],
    )
    assert [(m.title, str(m.due_date)) for m in project.milestones.all()] == [
        ("Qualification unit", "2030-06-30")
    ]
    # Fields the first release did not know keep a meaning that says nothing new.
    assert (project.flight_record, project.revenue_status, project.round_role) == (
        "not_flown",
        "pre_revenue",
        "either",
    )
    assert project.status == ProjectStatus.DRAFT


def test_a_project_in_a_shanghai_district_is_in_shanghai(firm):
    response = firm.post("/api/v1/projects/", PROJECT_IN_PUDONG, format="json")
    assert response.status_code == 201, response.json()
    project = Project.objects.get(pk=response.json()["id"])
    assert (project.region, project.province, project.registered_province) == (
        "pudong",
        "shanghai",
        "shanghai",
    )


def test_moving_a_project_by_its_district_alone_moves_its_province(firm):
    project_id = firm.post("/api/v1/projects/", PROJECT_IN_PUDONG, format="json").json()["id"]
    url = f"/api/v1/projects/{project_id}/"
    moved_out = firm.patch(url, {"region": "other_china"}, format="json")
    assert moved_out.status_code == 200, moved_out.json()
    project = Project.objects.get(pk=project_id)
    # Where the work happens moved; where the firm is registered did not.
    assert (project.region, project.province, project.registered_province) == (
        "other_china",
        "other",
        "shanghai",
    )
    moved_back = firm.patch(url, {"region": "lingang"}, format="json")
    assert moved_back.status_code == 200, moved_back.json()
    project.refresh_from_db()
    assert (project.region, project.province) == ("lingang", "shanghai")


def test_a_new_client_sending_only_a_province_outside_shanghai_needs_no_district(firm):
    body = {**PROJECT_IN_PUDONG, "province": "beijing"}
    del body["region"]
    response = firm.post("/api/v1/projects/", body, format="json")
    assert response.status_code == 201, response.json()
    project = Project.objects.get(pk=response.json()["id"])
    assert (project.province, project.region) == ("beijing", "other_china")


def test_a_contradiction_sent_in_full_is_still_refused(firm):
    body = {**PROJECT_IN_PUDONG, "province": "shanghai", "region": "other_china"}
    response = firm.post("/api/v1/projects/", body, format="json")
    assert response.status_code == 400
    assert "region" in response.json()


def test_an_offering_as_first_sent_is_active_with_its_whole_capacity_left(bank):
    response = bank.post("/api/v1/offerings/", EQUITY_OFFERING, format="json")
    assert response.status_code == 201, response.json()
    offering = Offering.objects.get(pk=response.json()["id"])
    assert offering.status == OfferingStatus.ACTIVE
    assert (offering.capacity_total, offering.capacity_left) == (1_000_000_000, 1_000_000_000)
    assert (offering.ticket_min, offering.ticket_max, offering.trl_min, offering.trl_max) == (
        10_000_000,
        200_000_000,
        4,
        9,
    )
    # Nothing the first release could not say: no presence required, no sweet spot,
    # a whole line, leads or co-invests.
    assert offering.presence == []
    assert (offering.preferred_trl, offering.preferred_ticket, offering.preferred_stage) == (
        None,
        None,
        "",
    )
    assert (offering.line_share, offering.round_role) == (100, "flexible")
    paused = bank.patch(f"/api/v1/offerings/{offering.pk}/", {"active": False}, format="json")
    assert paused.status_code == 200, paused.json()
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.PAUSED
    listed = bank.get("/api/v1/offerings/?status=paused&instrument=equity").json()
    assert [row["id"] for row in listed["results"]] == [offering.pk]


def _submitted(firm: APIClient, body: dict) -> Project:
    project_id = firm.post("/api/v1/projects/", body, format="json").json()["id"]
    submitted = firm.post(f"/api/v1/projects/{project_id}/submit/")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    scoring.score_project(project_id)  # what the worker does after the commit
    return Project.objects.get(pk=project_id)


def test_the_whole_first_release_review_keeps_its_meaning(operator, firm, bank):
    bank.post("/api/v1/offerings/", EQUITY_OFFERING, format="json")
    outside = _submitted(firm, PROJECT_OUTSIDE_SHANGHAI)
    pudong = _submitted(firm, PROJECT_IN_PUDONG)
    # An offering open to every region (first release: regions []) matches both.
    listed = bank.get("/api/v1/matches/?min_score=0&status=new").json()
    assert {row["project"]["id"] for row in listed["results"]} == {outside.pk, pudong.pk}
    assert all("firm" not in row["project"] for row in listed["results"])
    firm_view = firm.get(f"/api/v1/projects/{outside.pk}/matches/").json()
    assert firm_view["count"] == 1
    assert {"id", "score", "offering", "institution", "components"} <= set(firm_view["results"][0])

    # Reading back, as the first release's clients did: lists and single objects.
    listed_projects = firm.get("/api/v1/projects/?status=submitted").json()
    assert {row["id"] for row in listed_projects["results"]} == {outside.pk, pudong.pk}
    read_back = firm.get(f"/api/v1/projects/{outside.pk}/").json()
    assert (read_back["region"], read_back["city"], read_back["trl"]) == ("other_china", "Xi'an", 6)
    offering_id = Offering.objects.get().pk
    assert bank.get(f"/api/v1/offerings/{offering_id}/").json()["capacity"] == 1_000_000_000

    first = Match.objects.get(project=outside)
    assert bank.get(f"/api/v1/matches/{first.pk}/").json()["project"]["id"] == outside.pk
    assert bank.post(f"/api/v1/matches/{first.pk}/shortlist/").json()["status"] == "shortlisted"
    asked = bank.post(
        f"/api/v1/matches/{first.pk}/request-intro/", {"message": "Shall we talk?"}, format="json"
    )
    assert asked.status_code == 200, asked.json()
    introduction = Introduction.objects.get(match=first)
    assert (introduction.initiated_by, introduction.state, introduction.message) == (
        Introduction.Side.INSTITUTION,
        IntroductionState.REQUESTED,
        "Shall we talk?",
    )
    received = firm.get("/api/v1/introductions/").json()["results"]
    assert [row["id"] for row in received] == [introduction.pk]
    one = firm.get(f"/api/v1/introductions/{introduction.pk}/").json()
    assert (one["message"], one["state"]) == ("Shall we talk?", "requested")
    accepted = firm.post(f"/api/v1/introductions/{introduction.pk}/accept/")
    assert accepted.status_code == 200, accepted.json()
    introduction.refresh_from_db()
    first.refresh_from_db()
    assert (introduction.state, first.status) == (IntroductionState.ACCEPTED, MatchStatus.IN_TALKS)
    sent = bank.get("/api/v1/introductions/").json()["results"]
    assert sent[0]["contacts"]["firm"]["contact_email"] == outside.firm.contact_email

    second = Match.objects.get(project=pudong)
    declined = bank.post(
        f"/api/v1/matches/{second.pk}/decline/",
        {"reason": "risk_too_high", "note": ""},
        format="json",
    )
    assert declined.status_code == 200, declined.json()
    second.refresh_from_db()
    assert second.status == MatchStatus.DECLINED
    assert MatchEvent.objects.get(match=second, to_status="declined").reason == "risk_too_high"

    withdrawn = firm.post(f"/api/v1/projects/{pudong.pk}/withdraw/")
    assert withdrawn.json()["status"] == "withdrawn"
    pudong.refresh_from_db()
    assert pudong.status == ProjectStatus.WITHDRAWN


def test_a_firm_refusal_as_first_sent_closes_the_match(operator, firm):
    fund = _registered(operator, FUND_REGISTRATION)
    fund.post("/api/v1/offerings/", EQUITY_OFFERING, format="json")
    project = _submitted(firm, PROJECT_IN_PUDONG)
    match = Match.objects.get(project=project)
    fund.post(f"/api/v1/matches/{match.pk}/request-intro/", {"message": "Hi"}, format="json")
    introduction = Introduction.objects.get(match=match)
    refused = firm.post(f"/api/v1/introductions/{introduction.pk}/refuse/")
    assert refused.status_code == 200, refused.json()
    introduction.refresh_from_db()
    match.refresh_from_db()
    assert (introduction.state, match.status) == (
        IntroductionState.REFUSED,
        MatchStatus.CLOSED_LOST,
    )
