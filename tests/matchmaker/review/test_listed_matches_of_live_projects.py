"""An institution lists the matches of submitted projects (and, asked by status, those
it acted on whatever became of the project) and opens both; a new match of a project no
longer submitted is neither listed nor opened. The list reads which projects are not
submitted once, by a subquery, instead of joining every listed match's project for its
status (issue #26)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus
from projects.models import Project, ProjectStatus
from tests.api.conftest import api_client_for
from tests.conftest import logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution, ticket_max=500_000_000)
    live, gone_new, gone_acted = (ProjectFactory(title=f"Project {n}") for n in "ABC")
    for project in (live, gone_new, gone_acted):
        scoring.score_project(project.pk)
    Match.objects.filter(project=gone_acted).update(status=MatchStatus.SHORTLISTED)
    # withdrawn behind the engine's back: the list alone must keep the new match out
    Project.objects.filter(pk__in=[gone_new.pk, gone_acted.pk]).update(
        status=ProjectStatus.WITHDRAWN
    )
    matches = {p.title: Match.objects.get(project=p) for p in (live, gone_new, gone_acted)}
    return member, matches


def test_the_api_lists_and_opens_live_and_acted_on_matches_only(bank):
    member, matches = bank
    client = api_client_for(member.user)
    listed = {m["id"] for m in client.get("/api/v1/matches/").json()["results"]}
    assert listed == {matches["Project A"].pk}  # the default list: submitted projects
    acted = client.get("/api/v1/matches/?status=shortlisted").json()["results"]
    assert [m["id"] for m in acted] == [matches["Project C"].pk]
    assert client.get("/api/v1/matches/?status=new").json()["count"] == 1
    assert client.get(f"/api/v1/matches/{matches['Project B'].pk}/").status_code == 404
    assert client.get(f"/api/v1/matches/{matches['Project C'].pk}/").status_code == 200


def test_the_page_lists_and_opens_live_and_acted_on_matches_only(bank):
    member, matches = bank
    client = logged_in_client(member.user)
    page = client.get(reverse("institution:match_list")).content.decode()
    assert "Project A</a>" in page
    assert "Project B</a>" not in page and "Project C</a>" not in page
    acted = client.get(reverse("institution:match_list") + "?status=shortlisted")
    assert "Project C</a>" in acted.content.decode()
    new = client.get(reverse("institution:match_list") + "?status=new").content.decode()
    assert "Project A</a>" in new and "Project B</a>" not in new
    detail = reverse("institution:match_detail", args=[matches["Project B"].pk])
    assert client.get(detail).status_code == 404


@pytest.mark.parametrize("query", ["", "?status=new", "?min_score=1"])
def test_the_lists_ids_join_no_project(bank, query):
    member, _matches = bank
    with CaptureQueriesContext(connection) as captured:
        api_client_for(member.user).get(f"/api/v1/matches/{query}")
    ids = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT "matchmaker_match"."id" AS "pk" FROM "matchmaker_match"')
    ]
    assert len(ids) == 1
    assert 'JOIN "projects_project"' not in ids[0]


@pytest.mark.parametrize(
    "status", [s for s in ProjectStatus.values if s != ProjectStatus.SUBMITTED]
)
def test_a_new_match_of_a_project_in_any_other_status_is_not_listed(status):
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution, ticket_max=500_000_000)
    live, other = ProjectFactory(title="Live line"), ProjectFactory(title="Other line")
    for project in (live, other):
        scoring.score_project(project.pk)
    Project.objects.filter(pk=other.pk).update(status=status)
    listed = api_client_for(member.user).get("/api/v1/matches/").json()["results"]
    assert [m["project"]["title"] for m in listed] == ["Live line"]
    page = logged_in_client(member.user).get(reverse("institution:match_list")).content.decode()
    assert "Live line</a>" in page and "Other line</a>" not in page


@pytest.mark.parametrize("query", ["", "?status=new", "?segment=launch"])
def test_the_lists_seek_the_projects_not_submitted_by_their_status(bank, query):
    """Named by the other statuses, they come from the status index (a few rows);
    "status is not submitted" read every project of the country, twice per list query."""
    member, _matches = bank
    with CaptureQueriesContext(connection) as captured:
        api_client_for(member.user).get(f"/api/v1/matches/{query}")
        logged_in_client(member.user).get(reverse("institution:match_list") + query)
    subqueries = [q["sql"] for q in captured if 'FROM "projects_project" U0' in q["sql"]]
    assert subqueries
    for sql in subqueries:
        assert 'U0."status" IN (' in sql and 'NOT (U0."status" =' not in sql
