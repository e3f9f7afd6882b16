import pytest

from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus
from matchmaker.review.introductions import introduction_request
from projects import services as project_services
from tests.api.conftest import api_client_for
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
)
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db


def test_institution_match_list_shows_what_it_may_see():
    pair = matched_pair()
    body = api_client_for(pair.institution_user).get("/api/v1/matches/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["status"] == "new"
    assert row["project"]["id"] == pair.match.project_id
    assert "firm" not in row["project"] and "documents" not in row["project"]
    assert pair.match.project.firm.contact_email not in str(body)


def test_filters_by_status_score_segment_instrument_and_offering():
    pair = matched_pair()
    client = api_client_for(pair.institution_user)
    assert client.get("/api/v1/matches/?min_score=101").json()["count"] == 0
    assert client.get("/api/v1/matches/?segment=launch").json()["count"] == 0
    assert client.get("/api/v1/matches/?instrument=equity").json()["count"] == 1
    assert client.get(f"/api/v1/matches/?offering={pair.match.offering_id}").json()["count"] == 1
    assert client.get("/api/v1/matches/?status=shortlisted").json()["count"] == 0
    assert client.get("/api/v1/matches/?min_score=abc").status_code == 400
    assert client.get("/api/v1/matches/?offering=999999").status_code == 400


def test_shortlist_decline_and_request_intro():
    pair = matched_pair()
    client = api_client_for(pair.institution_user)
    url = f"/api/v1/matches/{pair.match.pk}/"
    assert client.post(url + "shortlist/").json()["status"] == "shortlisted"
    assert client.post(url + "decline/", {"reason": "other"}, format="json").status_code == 400
    assert client.post(url + "request-intro/", {"message": ""}, format="json").status_code == 400
    assert (
        client.post(url + "request-intro/", {"message": "Hello"}, format="json").json()["status"]
        == "intro_requested"
    )
    assert client.post(url + "shortlist/").status_code == 409  # the state forbids it
    other = matched_pair()
    other_client = api_client_for(other.institution_user)
    declined = other_client.post(
        f"/api/v1/matches/{other.match.pk}/decline/", {"reason": "risk_too_high"}, format="json"
    )
    assert declined.json()["status"] == "declined"
    assert other_client.get("/api/v1/matches/").json()["count"] == 0
    assert other_client.get("/api/v1/matches/?status=declined").json()["count"] == 1


def test_another_institutions_match_is_404():
    pair = matched_pair()
    outsider = api_client_for(InstitutionMemberFactory().user)
    url = f"/api/v1/matches/{pair.match.pk}/"
    assert outsider.get(url).status_code == 404
    for action in ["shortlist/", "decline/", "request-intro/"]:
        assert (
            outsider.post(
                url + action, {"reason": "other", "note": "x", "message": "x"}, format="json"
            ).status_code
            == 404
        )
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.NEW


def test_matches_of_a_withdrawn_project_leave_every_list():
    pair = matched_pair()
    project_services.project_withdraw(project=pair.match.project, by=None)
    client = api_client_for(pair.institution_user)
    assert client.get("/api/v1/matches/").json()["count"] == 0
    assert client.get(f"/api/v1/matches/{pair.match.pk}/").status_code == 404


def test_introductions_accept_shows_both_contacts():
    pair = matched_pair()
    introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    firm = api_client_for(pair.firm_user)
    listed = firm.get("/api/v1/introductions/").json()["results"]
    assert [(i["message"], i["state"], i["contacts"]) for i in listed] == [
        ("Hello", "requested", None)
    ]
    introduction_id = listed[0]["id"]
    assert (
        api_client_for(pair.institution_user)
        .post(f"/api/v1/introductions/{introduction_id}/accept/")
        .status_code
        == 404
    )
    outsider = api_client_for(FirmMemberFactory().user)
    assert outsider.post(f"/api/v1/introductions/{introduction_id}/accept/").status_code == 404
    accepted = firm.post(f"/api/v1/introductions/{introduction_id}/accept/").json()
    assert accepted["state"] == "accepted"
    assert accepted["contacts"]["firm"]["contact_email"] == pair.match.project.firm.contact_email
    assert (
        accepted["contacts"]["institution"]["contact_email"]
        == pair.match.offering.institution.contact_email
    )
    sent = api_client_for(pair.institution_user).get("/api/v1/introductions/").json()["results"]
    assert sent[0]["contacts"]["firm"]["contact_phone"] == pair.match.project.firm.contact_phone
    assert firm.post(f"/api/v1/introductions/{introduction_id}/refuse/").status_code == 409


def test_match_list_query_count_does_not_grow(django_assert_max_num_queries):
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution)
    client = api_client_for(member.user)
    for project in ProjectFactory.create_batch(3):
        scoring.score_project(project.pk)
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/matches/")
    for project in ProjectFactory.create_batch(30):
        scoring.score_project(project.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/matches/?page_size=100")
    assert response.json()["count"] == Match.objects.count() == 33


def test_a_decision_on_another_tenants_match_is_404_before_its_body_is_read():
    pair = matched_pair()
    outsider = api_client_for(InstitutionMemberFactory().user)
    for action in ("decline", "request-intro"):
        response = outsider.post(f"/api/v1/matches/{pair.match.pk}/{action}/", {}, format="json")
        assert response.status_code == 404, action
