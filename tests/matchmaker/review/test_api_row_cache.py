"""The API's match list serialises each row once per data fingerprint and language
(`MatchViewSet._page_rows`): another page, page size or filter that shows a row again
reads it from the cache, never after what it shows changed, never in another language,
never for another institution (issue #26: every request of `make load` differs)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaker.matching import scoring
from matchmaker.models import Match
from projects.models import Project
from tests.api.conftest import api_client_for
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution, ticket_max=500_000_000)
    for trl in (4, 5, 6, 7, 8, 4, 5, 6, 7, 8):
        scoring.score_project(ProjectFactory(trl=trl).pk)
    return member


def whole_row_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if '"matchmaker_match"."components"' in q["sql"]]


def test_an_overlapping_page_reads_whole_only_the_rows_not_shown_before(listed):
    client = api_client_for(listed.user)
    everything = client.get("/api/v1/matches/?page_size=100").json()["results"]
    client.get("/api/v1/matches/?page_size=100&min_score=0")  # another list, same rows
    first = client.get("/api/v1/matches/?page_size=3&sort=-score")
    with CaptureQueriesContext(connection) as captured:
        second = client.get("/api/v1/matches/?page_size=5&sort=-score").json()
    assert whole_row_queries(captured) == []  # every row shown before
    assert second["results"] == everything[:5]
    assert first.json()["results"] == everything[:3]


def test_a_page_with_new_rows_reads_only_those(listed):
    client = api_client_for(listed.user)
    shown = client.get("/api/v1/matches/?page_size=3").json()["results"]
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/api/v1/matches/?page_size=6").json()["results"]
    [whole] = whole_row_queries(captured)
    assert page[:3] == shown
    ids_read = (
        whole.split('"matchmaker_match"."id" IN (')[1].split(")")[0].replace(" ", "").split(",")
    )
    assert sorted(ids_read) == sorted(str(m["id"]) for m in page[3:])
    assert page == client.get("/api/v1/matches/?page_size=100").json()["results"][:6]


def test_a_row_is_never_served_after_what_it_shows_changed(listed):
    client = api_client_for(listed.user)
    top = client.get("/api/v1/matches/?page_size=4").json()["results"][0]
    Project.objects.filter(pk=top["project"]["id"]).update(title="Renamed terminal")
    Project.objects.get(pk=top["project"]["id"]).save()  # its last change moves
    again = client.get("/api/v1/matches/?page_size=5").json()["results"]
    assert again[0]["project"]["title"] == "Renamed terminal"
    client.post(f"/api/v1/matches/{top['id']}/shortlist/")
    after = client.get("/api/v1/matches/?page_size=6").json()["results"]
    assert {m["id"]: m["status"] for m in after}[top["id"]] == "shortlisted"


def test_a_row_is_served_only_in_the_language_it_was_written_in(listed):
    client = api_client_for(listed.user)
    english = client.get("/api/v1/matches/?page_size=4").json()["results"][0]
    chinese = client.get("/api/v1/matches/?page_size=5", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    reasons = [c["reason"] for c in chinese["results"][0]["components"]]
    assert reasons != [c["reason"] for c in english["components"]]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(reasons))


def test_another_institution_never_gets_this_institutions_rows(listed):
    other = InstitutionMemberFactory()
    OfferingFactory(institution=other.institution, ticket_max=500_000_000)
    for project in Project.objects.all():
        scoring.score_project(project.pk)
    mine = api_client_for(listed.user).get("/api/v1/matches/?page_size=100").json()["results"]
    theirs = api_client_for(other.user).get("/api/v1/matches/?page_size=100").json()["results"]
    assert {m["institution"]["name"] for m in theirs} == {other.institution.name}
    assert not {m["id"] for m in mine} & {m["id"] for m in theirs}
    assert {m["id"] for m in theirs} == set(
        Match.objects.filter(offering__institution=other.institution).values_list("pk", flat=True)
    )
