"""The institution's match list is cached under a fingerprint of its data: read again
unchanged, it is served from the cache; after any change to what it shows, it is built
afresh. Never stale, never another institution's, never another language's."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from investors import services as offering_services
from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus
from matchmaker.review import services as review
from projects import services as project_services
from tests.conftest import logged_in_client
from tests.factories import PASSWORD, InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db
URL = "/institution/matches/"


@pytest.fixture
def listed():
    member = InstitutionMemberFactory()
    offering = OfferingFactory(institution=member.institution, name="Growth equity")
    project = ProjectFactory(title="Ka-band terminal line")
    scoring.score_project(project.pk)
    client = logged_in_client(member.user)
    client.get(URL)  # fills the cache
    return member, offering, project, client


def test_an_unchanged_list_is_read_from_the_cache(listed):
    _member, _offering, _project, client = listed
    with CaptureQueriesContext(connection) as cached:
        page = client.get(URL).content.decode()
    assert "Ka-band terminal line" in page
    assert not any("projects_fundingneed" in q["sql"] for q in cached.captured_queries)


def test_a_renamed_project_shows_at_once(listed):
    _member, _offering, project, client = listed
    project_services.project_update(project=project, by=None, fields={"title": "Laser line"})
    page = client.get(URL).content.decode()
    assert "Laser line" in page and "Ka-band terminal line" not in page


def test_a_decision_shows_at_once(listed):
    member, offering, project, client = listed
    match = Match.objects.get(project=project, offering=offering)
    review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
    assert '<span class="badge shortlisted">Shortlisted</span>' in client.get(URL).content.decode()


def test_a_rescore_and_a_renamed_offering_show_at_once(listed):
    member, offering, project, client = listed
    before = Match.objects.get(project=project, offering=offering).score
    offering_services.offering_update(
        offering=offering, by=member.user, fields={"name": "Hard-tech equity", "trl_min": 6}
    )
    scoring.score_offering(offering.pk)
    page = client.get(URL).content.decode()
    assert "Hard-tech equity</a>" in page
    after = Match.objects.get(project=project, offering=offering).score
    assert after != before
    assert f'<strong class="score" title="Score">{after:.0f}</strong>' in page


def test_a_new_offering_without_matches_is_in_the_filter_at_once(listed):
    member, _offering, _project, client = listed
    OfferingFactory(institution=member.institution, name="Launch cover", trl_min=9, trl_max=9)
    assert ">Launch cover</option>" in client.get(URL).content.decode()


def test_another_institution_never_gets_this_list(listed):
    other = InstitutionMemberFactory()
    page = logged_in_client(other.user).get(URL).content.decode()
    assert "Ka-band terminal line" not in page


def test_each_language_gets_its_own_list(listed):
    _member, _offering, _project, client = listed
    chinese = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "列入关注" in chinese and ">Shortlist<" not in chinese


def test_shortlisting_works_from_a_list_served_by_the_cache(listed):
    member, offering, project, _client = listed
    browser = Client(enforce_csrf_checks=True)
    browser.login(username=member.user.username, password=PASSWORD)
    browser.get(URL)
    page = browser.get(URL).content.decode()  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    match = Match.objects.get(project=project, offering=offering)
    assert f'form="list-decisions" formaction="/institution/matches/{match.pk}/shortlist/"' in page
    response = browser.post(
        reverse("institution:shortlist", args=[match.pk]),
        {"csrfmiddlewaretoken": token, "next": URL},
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.SHORTLISTED


@pytest.fixture
def api_of(listed):
    from rest_framework.test import APIClient

    member, _offering, _project, _client = listed
    api = APIClient()
    api.force_authenticate(member.user)
    return api


def test_the_api_list_is_cached_and_follows_every_change(listed, api_of):
    _member, _offering, project, _client = listed
    first = api_of.get("/api/v1/matches/").json()
    with CaptureQueriesContext(connection) as cached:
        again = api_of.get("/api/v1/matches/").json()
    assert again == first
    assert not any("projects_fundingneed" in q["sql"] for q in cached.captured_queries)
    match_id = first["results"][0]["id"]
    api_of.post(f"/api/v1/matches/{match_id}/shortlist/")
    assert api_of.get("/api/v1/matches/").json()["results"][0]["status"] == "shortlisted"
    project_services.project_update(project=project, by=None, fields={"title": "Laser line"})
    assert api_of.get("/api/v1/matches/").json()["results"][0]["project"]["title"] == "Laser line"


def test_the_api_list_is_never_another_institutions_nor_another_languages(listed, api_of):
    from rest_framework.test import APIClient

    english = api_of.get("/api/v1/matches/").json()
    chinese = api_of.get("/api/v1/matches/", HTTP_ACCEPT_LANGUAGE="zh-CN").json()
    assert english["results"][0]["components"] != chinese["results"][0]["components"]
    other = APIClient()
    other.force_authenticate(InstitutionMemberFactory().user)
    assert other.get("/api/v1/matches/").json()["count"] == 0


def test_the_fingerprint_is_one_query_and_follows_any_project(listed):
    """One statement, whatever the list holds; a change to any project changes it (the
    projects of the list are not sought one by one)."""
    from investors.selectors import institution_of
    from matchmaker.review.selectors import match_list_version

    member, _offering, _project, _client = listed
    institution = institution_of(member.user)
    with CaptureQueriesContext(connection) as counted:
        before = match_list_version(institution)
    assert len(counted.captured_queries) == 1
    assert match_list_version(institution) == before
    other = ProjectFactory(title="Not matched here")
    assert match_list_version(institution) != before
    again = match_list_version(institution)
    project_services.project_update(project=other, by=None, fields={"title": "Renamed"})
    assert match_list_version(institution) != again
