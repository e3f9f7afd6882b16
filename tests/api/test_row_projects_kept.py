"""The API list's rows show and explain their projects whole, kept in the web process
(`kept_projects.row_projects`, #26): a warmed process reads no project or need for a page
of rows, a project is read whole once, and an edit shows at once. Never stale, never
another institution's rows."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaker.matching import scoring
from matchmaker.models import Match
from matchmaker.review.kept_projects import (
    forget_kept_projects,
    row_projects,
    warm_kept_projects,
)
from projects.models import Project
from tests.api.conftest import api_client_for
from tests.conftest import project_edited
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db
MATCHES = "/api/v1/matches/"


def projects_or_needs_read(queries) -> list[str]:
    """Reads of projects' facts or needs (not the lists' subquery of projects not
    submitted, nor the look at which projects changed since: keys and stamps)."""
    read = ('"projects_project"."title" ', 'FROM "projects_fundingneed"')
    return [q["sql"] for q in queries if any(t in q["sql"].split(" WHERE ")[0] for t in read)]


@pytest.fixture
def listed():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution, name="Growth equity")
    for title in ("Ka-band terminal line", "Propellant depot", "Star tracker line"):
        scoring.score_project(ProjectFactory(title=title).pk)
    assert Match.objects.filter(offering__institution=member.institution).count() == 3
    return member, api_client_for(member.user)


def titles(response) -> set[str]:
    return {row["project"]["title"] for row in response.json()["results"]}


def test_a_warmed_process_reads_no_project_or_need_for_a_page_of_rows(listed):
    _member, client = listed
    forget_kept_projects()
    warm_kept_projects()
    with CaptureQueriesContext(connection) as read:
        response = client.get(MATCHES)
    assert titles(response) == {"Ka-band terminal line", "Propellant depot", "Star tracker line"}
    assert projects_or_needs_read(read.captured_queries) == []


def test_a_project_is_read_whole_once_then_kept(listed):
    _member, client = listed
    forget_kept_projects()
    with CaptureQueriesContext(connection) as first:
        client.get(MATCHES + "?page_size=2")
    cache.clear()  # (the rows too: they are read again, their projects are not)
    with CaptureQueriesContext(connection) as again:
        client.get(MATCHES + "?page_size=2&sort=-score")
    assert projects_or_needs_read(first.captured_queries)
    assert projects_or_needs_read(again.captured_queries) == []


def test_rows_with_kept_projects_are_the_rows_read_afresh(listed):
    _member, client = listed
    forget_kept_projects()
    warm_kept_projects()
    kept = client.get(MATCHES + "?page_size=3").json()
    cache.clear()
    forget_kept_projects()
    fresh = client.get(MATCHES + "?page_size=3").json()
    assert kept == fresh and len(fresh["results"]) == 3


def test_an_edited_project_shows_in_the_rows_at_once(listed):
    _member, client = listed
    warm_kept_projects()
    client.get(MATCHES)
    project = project_edited("Propellant depot", "Propellant depot II", {"equity": 77_000_000})
    rows = client.get(MATCHES).json()["results"]
    (row,) = [row for row in rows if row["project"]["id"] == project.pk]
    assert row["project"]["title"] == "Propellant depot II"
    assert {"instrument": "equity", "amount": 77_000_000} in row["project"]["needs"]
    (ticket,) = [c for c in row["components"] if c["criterion"] == "ticket"]
    assert "RMB 77,000,000" in ticket["reason"]


def test_another_institutions_rows_never_come_from_the_kept_projects_alone(listed):
    _member, client = listed
    client.get(MATCHES)
    other = InstitutionMemberFactory()
    OfferingFactory(institution=other.institution, name="Launch cover")
    for project_id in Match.objects.values_list("project_id", flat=True).distinct():
        scoring.score_project(project_id)
    rows = api_client_for(other.user).get(MATCHES).json()["results"]
    assert len(rows) == 3
    assert {row["offering"]["name"] for row in rows} == {"Launch cover"}


def test_a_project_gone_is_left_out():
    project = ProjectFactory()
    assert set(row_projects([project.pk], "any")) == {project.pk}
    Project.objects.filter(pk=project.pk).delete()
    forget_kept_projects()
    assert row_projects([project.pk], "any") == {}
