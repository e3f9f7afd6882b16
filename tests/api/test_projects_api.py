import pytest

from matchmaker.models import Match
from projects.models import Project, ProjectStatus
from tests.api.conftest import api_client_for
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

MINIMAL = {"title": "Star tracker line", "segment": "components", "stage": "prototype", "trl": 5}


@pytest.fixture
def member():
    return FirmMemberFactory()


@pytest.fixture
def client(member):
    return api_client_for(member.user)


def test_a_minimal_project_is_created_as_a_draft(client, member):
    response = client.post("/api/v1/projects/", MINIMAL, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["needs"], body["exposures"]) == ("draft", [], [])
    assert Project.objects.get().firm == member.firm


def test_full_project_with_needs_and_milestones(client):
    data = {
        **MINIMAL,
        "summary": "Star trackers for LEO buses.",
        "needs": [
            {"instrument": "equity", "amount": 80_000_000},
            {"instrument": "credit", "amount": 20_000_000},
        ],
        "exposures": ["supply_chain", "schedule_slip"],
        "months_to_revenue": 18,
        "months_to_break_even": 40,
        "milestones": [{"title": "Qualification unit", "due_date": "2027-06-30"}],
    }
    body = client.post("/api/v1/projects/", data, format="json").json()
    assert sorted((n["instrument"], n["amount"]) for n in body["needs"]) == [
        ("credit", 20_000_000),
        ("equity", 80_000_000),
    ]
    assert body["milestones"] == [{"title": "Qualification unit", "due_date": "2027-06-30"}]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"trl": 10}, "trl"),
        ({"trl": 0}, "trl"),
        ({"segment": "moon_base"}, "segment"),
        ({"exposures": ["alien_invasion"]}, "exposures"),
        ({"exposures": ["regulatory", "regulatory"]}, "exposures"),
        ({"needs": [{"instrument": "equity", "amount": 0}]}, "needs"),
        ({"needs": [{"instrument": "equity", "amount": -5}]}, "needs"),
        (
            {
                "needs": [
                    {"instrument": "equity", "amount": 5},
                    {"instrument": "equity", "amount": 6},
                ]
            },
            "needs",
        ),
        ({"needs": [{"instrument": "equity", "amount": 10**20}]}, "needs"),
        ({"months_to_revenue": 50, "months_to_break_even": 10}, "months_to_break_even"),
        ({"title": "x" * 500}, "title"),
        ({"collateral": ["none", "ip"]}, "collateral"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_nothing_written(client, change, field):
    response = client.post("/api/v1/projects/", {**MINIMAL, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Project.objects.exists()


def test_oversized_payloads_are_refused(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/api/v1/projects/", {**MINIMAL, "summary": "x" * 5000}, format="json")
    assert response.status_code == 413  # too large, in JSON (it was a bare 400 before)
    assert "too large" in response.json()["detail"]
    assert not Project.objects.exists()


def test_patch_submit_and_withdraw(client):
    project_id = client.post("/api/v1/projects/", MINIMAL, format="json").json()["id"]
    response = client.post(f"/api/v1/projects/{project_id}/submit/")
    assert response.status_code == 409  # the draft is not complete yet
    assert "at least one instrument" in str(response.json())
    client.patch(
        f"/api/v1/projects/{project_id}/",
        {"summary": "Ready.", "needs": [{"instrument": "equity", "amount": 9_000_000}]},
        format="json",
    )
    submitted = client.post(f"/api/v1/projects/{project_id}/submit/").json()
    assert submitted["status"] == "submitted"
    response = client.patch(f"/api/v1/projects/{project_id}/", {"trl": 6}, format="json")
    assert response.json()["revision"] == submitted["revision"] + 1
    assert client.post(f"/api/v1/projects/{project_id}/withdraw/").json()["status"] == "withdrawn"
    assert (
        client.patch(f"/api/v1/projects/{project_id}/", {"trl": 7}, format="json").status_code
        == 409
    )


def test_another_firms_project_is_404_everywhere(client):
    other = ProjectFactory(status=ProjectStatus.DRAFT)
    base = f"/api/v1/projects/{other.pk}/"
    assert client.get(base).status_code == 404
    assert client.patch(base, {"title": "Mine now"}, format="json").status_code == 404
    for action in ["submit/", "withdraw/", "matches/"]:
        method = client.get if action == "matches/" else client.post
        assert method(base + action).status_code == 404, action
    other.refresh_from_db()
    assert (other.title, other.status) != ("Mine now", "submitted")
    assert client.get("/api/v1/projects/").json()["count"] == 0


def test_institutions_cannot_use_the_project_endpoints():
    client = api_client_for(InstitutionMemberFactory().user)
    assert client.get("/api/v1/projects/").status_code == 403
    assert client.post("/api/v1/projects/", MINIMAL, format="json").status_code == 403


def test_project_matches_best_first_with_explanations(client, member):
    project = ProjectFactory(firm=member.firm, needs={"equity": 50_000_000})
    OfferingFactory(name="Small", ticket_max=10_000_000, ticket_min=1_000_000)
    OfferingFactory(name="Large", ticket_max=100_000_000)
    from matchmaker.matching import scoring

    scoring.score_project(project.pk)
    results = client.get(f"/api/v1/projects/{project.pk}/matches/").json()["results"]
    assert [r["offering"]["name"] for r in results] == ["Large", "Small"]
    first = results[0]
    assert set(first) >= {"id", "score", "offering", "institution", "components"}
    assert [c["criterion"] for c in first["components"]] == [
        "segment",
        "stage",
        "trl",
        "ticket",
        "tenor",
        "risk",
        "geography",
        "collateral",
    ]
    assert all(set(c) == {"criterion", "value", "weight", "reason"} for c in first["components"])
    assert Match.objects.count() == 2


def test_project_list_query_count_does_not_grow(client, member, django_assert_max_num_queries):
    ProjectFactory.create_batch(3, firm=member.firm)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/projects/")
    ProjectFactory.create_batch(30, firm=member.firm)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/projects/?page_size=100")
    assert response.json()["count"] == 33


def test_page_size_is_capped_at_100(client, member):
    ProjectFactory.create_batch(101, firm=member.firm, needs={})
    body = client.get("/api/v1/projects/?page_size=1000").json()
    assert (body["count"], len(body["results"])) == (101, 100)
    assert body["next"] is not None


@pytest.mark.parametrize("bad_id", ["0.5", "3.59e-85", "null,null", "abc"])
def test_non_integer_ids_are_404_not_500(client, bad_id):
    # found by schemathesis: ids that are not integers once crashed the lookup
    assert client.get(f"/api/v1/projects/{bad_id}/").status_code == 404
    assert client.post(f"/api/v1/projects/{bad_id}/submit/").status_code == 404


def test_patching_a_milestone_without_a_date_is_a_400(client, member):
    # found by schemathesis: a partial update let an incomplete milestone reach the database
    project = ProjectFactory(firm=member.firm, status=ProjectStatus.DRAFT)
    response = client.patch(
        f"/api/v1/projects/{project.pk}/", {"milestones": [{"title": "0"}]}, format="json"
    )
    assert response.status_code == 400
    assert "due_date" in str(response.json()["milestones"])


def test_patching_a_need_without_an_instrument_is_a_400(client, member):
    # found by schemathesis: a partial update let a need without instrument crash validation
    project = ProjectFactory(firm=member.firm, status=ProjectStatus.DRAFT)
    response = client.patch(
        f"/api/v1/projects/{project.pk}/", {"needs": [{"amount": 1}]}, format="json"
    )
    assert response.status_code == 400
    assert "needs" in response.json()


def test_format_suffix_routes_do_not_exist(client, member):
    # found by schemathesis: /submit.json reached an action that takes no format argument
    project = ProjectFactory(firm=member.firm, status=ProjectStatus.DRAFT)
    assert client.post(f"/api/v1/projects/{project.pk}/submit.json").status_code == 404


@pytest.mark.parametrize("bad", ["null", "0", "-3", "ten", ""])
def test_a_bad_page_size_is_a_400_naming_it(client, bad):
    response = client.get(f"/api/v1/projects/?page_size={bad}")
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]
