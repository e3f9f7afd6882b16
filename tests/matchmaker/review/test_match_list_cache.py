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
from tests.matchmaker.review.helpers import TABLE_READ

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


def test_an_unchanged_list_reads_no_match_again_not_even_for_its_suggestions(listed):
    """Read again unchanged, neither the list's matches nor the decisions its suggestions
    are drawn from are asked for (only the fingerprint, which reads the list's index)."""
    _member, _offering, _project, client = listed
    with CaptureQueriesContext(connection) as cached:
        client.get(URL)
    assert not any('"matchmaker_match"' in q["sql"] for q in cached.captured_queries)


def test_an_unchanged_list_does_not_even_build_its_query(listed, monkeypatch):
    """The filtered matches are built only when the list's keys or cards are not cached
    and the institution's matches in memory (`list_table`) do not hold its filters
    (building them read the institution's offerings and composed the filters' query)."""
    from matchmaker.review import institution_views

    built = []
    real = institution_views.matches_of_institution_member
    monkeypatch.setattr(
        institution_views,
        "matches_of_institution_member",
        lambda user: built.append(user) or real(user),
    )
    _member, _offering, _project, client = listed
    assert "Ka-band terminal line" in client.get(URL).content.decode()
    assert built == []
    assert "Ka-band terminal line" in client.get(URL + "?min_score=1").content.decode()
    assert built == []  # another list, from the matches in memory
    assert "Ka-band terminal line" in client.get(URL + "?since=2020-01-01").content.decode()
    assert len(built) == 1  # a filter they do not hold: built once


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


@pytest.fixture
def three_listed(listed):
    """Three projects on the institution's list (pages of one and two)."""
    _member, offering, _project, _client = listed
    for title in ("Propellant depot", "Star tracker line"):
        scoring.score_project(ProjectFactory(title=title).pk)
    assert Match.objects.filter(offering=offering).count() == 3
    return listed


def ids_read(queries) -> bool:
    """Whether one of these queries read the list's ids (every id or project key, in
    order), or the institution's matches they are drawn from (`list_table.read_table`)."""
    return any(
        q["sql"].startswith(
            (
                'SELECT "matchmaker_match"."id" AS "pk" FROM',
                'SELECT "matchmaker_match"."project_id"',
            )
        )
        or q["sql"].startswith(TABLE_READ)
        for q in queries
    )


def test_the_pages_of_one_api_list_share_its_ids_and_follow_every_change(three_listed, api_of):
    first = api_of.get("/api/v1/matches/?page_size=2").json()
    with CaptureQueriesContext(connection) as second_page:
        second = api_of.get("/api/v1/matches/?page=2&page_size=2").json()
    assert not ids_read(second_page.captured_queries)
    # nor is the list's query built again: its page's rows are read by key
    assert not any('FROM "projects_project" U0' in q["sql"] for q in second_page.captured_queries)
    listed_ids = [m["id"] for m in first["results"] + second["results"]]
    assert len(set(listed_ids)) == 3 and first["count"] == 3
    # declined: it leaves the list at once, on every page and page size
    api_of.post(f"/api/v1/matches/{listed_ids[0]}/decline/", {"reason": "other", "note": "x"})
    with CaptureQueriesContext(connection) as after:
        again = api_of.get("/api/v1/matches/?page=2&page_size=1").json()
    assert ids_read(after.captured_queries)
    assert again["count"] == 2 and listed_ids[0] not in [m["id"] for m in again["results"]]
    # another filter is another list
    assert api_of.get("/api/v1/matches/?page_size=1&status=declined").json()["count"] == 1


def test_another_institution_never_gets_the_ids_of_this_list(three_listed, api_of):
    from rest_framework.test import APIClient

    _member, _offering, _project, client = three_listed
    api_of.get("/api/v1/matches/?page_size=1")
    client.get(URL)
    other = InstitutionMemberFactory()
    OfferingFactory(institution=other.institution)
    api = APIClient()
    api.force_authenticate(other.user)
    with CaptureQueriesContext(connection) as theirs:
        answer = api.get("/api/v1/matches/?page=2&page_size=1")
    assert ids_read(theirs.captured_queries)
    assert answer.status_code == 404  # their list is empty: no page 2
    page = logged_in_client(other.user).get(URL + "?page=1").content.decode()
    assert "Propellant depot" not in page and "Ka-band terminal line" not in page


def test_the_pages_of_one_web_list_share_its_project_keys(three_listed):
    from matchmaker.review import selectors

    _member, _offering, project, client = three_listed
    original = selectors.project_page

    def two_per_page(*args, **kwargs):
        return original(*args, **{**kwargs, "per_page": 2})

    selectors_page = "matchmaker.review.institution_views.project_page"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(selectors_page, two_per_page)
        first = client.get(URL + "?segment=").content.decode()
        with CaptureQueriesContext(connection) as second_page:
            second = client.get(URL + "?segment=&page=2").content.decode()
        assert not ids_read(second_page.captured_queries)
        assert first.count('class="card match-group"') == 2
        assert second.count('class="card match-group"') == 1
        project_services.project_update(project=project, by=None, fields={"title": "Laser line"})
        with CaptureQueriesContext(connection) as changed:
            pages = client.get(URL + "?segment=").content.decode()
            pages += client.get(URL + "?segment=&page=2").content.decode()
        assert ids_read(changed.captured_queries)
        assert "Laser line" in pages and "Ka-band terminal line" not in pages


def test_a_page_asked_again_with_a_parameter_it_does_not_take_reads_no_match(three_listed):
    """The cards of a page of a list are kept under the list's key: the same page with a
    page size (which the web list does not take) shows them without reading a match; a
    decision shows at once."""
    member, offering, project, client = three_listed
    first = client.get(URL + "?segment=").content.decode()
    with CaptureQueriesContext(connection) as again:
        second = client.get(URL + "?segment=&page_size=7").content.decode()
    matches_read = [  # a page's matches, read by their projects
        q for q in again.captured_queries if '"matchmaker_match"."project_id" IN (' in q["sql"]
    ]
    assert matches_read == []
    assert second.count('class="card match-group"') == first.count('class="card match-group"') == 3
    match = Match.objects.get(project=project, offering=offering)
    review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
    moved = client.get(URL + "?segment=&page_size=8").content.decode()
    assert '<span class="badge shortlisted">Shortlisted</span>' in moved


def test_an_uncached_list_page_reads_no_offerings_whole_row(listed):
    """The filter form's offering choices need names only; the suggestions need offerings
    with decisions only (there are none here)."""
    member, _offering, _project, _client = listed
    OfferingFactory(institution=member.institution, name="Launch cover")
    with CaptureQueriesContext(connection) as uncached:
        page = logged_in_client(member.user).get(URL).content.decode()
    assert ">Launch cover</option>" in page and ">Growth equity</option>" in page
    whole_rows = [
        q["sql"]
        for q in uncached.captured_queries
        if q["sql"].startswith('SELECT "investors_offering"')
        and '"investors_offering"."segments"' in q["sql"]
    ]
    assert whole_rows == []


@pytest.mark.parametrize("second", ["page=2", "page=2&page_size=13&utm_source=mail"])
def test_the_pages_of_one_web_list_share_its_filter_form(listed, second):
    """The filter form takes no page number, nor any parameter that is not one of its
    fields: page 2 shows the form page 1 rendered (not its offering choices read again),
    and a new offering shows in it at once."""
    member, _offering, _project, client = listed
    client.get(URL + "?segment=launch")
    with CaptureQueriesContext(connection) as second_page:
        page = client.get(URL + "?segment=launch&" + second).content.decode()
    choices = [
        q
        for q in second_page.captured_queries
        # the choices: whole offerings (their keys and names are read alone)
        if q["sql"].startswith('SELECT "investors_offering"')
        and '"investors_offering"."name"' in q["sql"].split(" FROM ")[0]
        and '"investors_offering"."instrument"' in q["sql"].split(" FROM ")[0]
    ]
    assert choices == []
    assert ">Growth equity</option>" in page
    assert '<option value="launch" selected>' in page
    OfferingFactory(institution=member.institution, name="Launch cover")
    assert ">Launch cover</option>" in client.get(URL + "?segment=launch&page=2").content.decode()
    other = client.get(URL + "?segment=components&page=2").content.decode()
    assert '<option value="components" selected>' in other


def test_a_decision_and_a_rescore_leave_the_filter_form_cached_a_renamed_offering_not(listed):
    """The form shows the offerings alone (`match_list_versions`' second fingerprint): a
    decision or a re-score builds the list again but not the form; a renamed offering
    shows in it at once."""
    member, offering, project, client = listed
    match = Match.objects.get(project=project, offering=offering)
    review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
    scoring.score_offering(offering.pk)
    with CaptureQueriesContext(connection) as after:
        page = client.get(URL).content.decode()
    assert '<span class="badge shortlisted">Shortlisted</span>' in page  # the list: afresh
    choices = [
        q
        for q in after.captured_queries
        # the form's choices: whole offerings (the cards' names are read alone)
        if q["sql"].startswith('SELECT "investors_offering"')
        and '"investors_offering"."name"' in q["sql"].split(" FROM ")[0]
        and '"investors_offering"."instrument"' in q["sql"].split(" FROM ")[0]
    ]
    assert choices == []
    offering_services.offering_update(
        offering=offering, by=member.user, fields={"name": "Hard-tech equity"}
    )
    assert ">Hard-tech equity</option>" in client.get(URL).content.decode()


def test_a_list_reads_its_matches_by_its_offerings_keys_not_by_joining_them(listed):
    """Joined to the offerings for their institution, PostgreSQL scanned every match of the
    country (110 ms at national scale); by the offerings' keys it reads the covering
    index (10 ms)."""
    _member, _offering, _project, client = listed
    with CaptureQueriesContext(connection) as page:
        assert client.get(URL + "?segment=launch").status_code == 200
    joined = [
        q["sql"]
        for q in page.captured_queries
        if 'FROM "matchmaker_match"' in q["sql"]
        and '"investors_offering"."institution_id" =' in q["sql"]
    ]
    assert joined == []


CARD = re.compile(r'<article class="card match-group">.*?</article>', re.S)


def test_a_parameter_the_page_does_not_take_reads_the_same_cached_page(listed, monkeypatch):
    """A page size (the API's, not this page's) or a tracking parameter is not another
    page of the list: it is served from the page the same filters and page number cached."""
    from matchmaker.review import institution_views

    _member, _offering, _project, client = listed
    built = []
    real = institution_views._page_of_cards
    monkeypatch.setattr(
        institution_views, "_page_of_cards", lambda *asked: built.append(asked) or real(*asked)
    )
    first = client.get(URL + "?segment=components").content.decode()
    again = client.get(URL + "?segment=components&page_size=13&utm_source=mail").content.decode()
    assert len(built) == 1
    assert CARD.findall(again) == CARD.findall(first) and "Ka-band terminal line" in again


def test_the_page_links_keep_the_filters_not_what_the_page_does_not_take(listed):
    _member, _offering, _project, client = listed
    for number in range(21):  # more projects than a page shows
        scoring.score_project(ProjectFactory(title=f"Line {number}").pk)
    page = client.get(URL + "?min_score=1&page_size=13&utm_source=mail").content.decode()
    (link,) = re.findall(r'<a href="(\?[^"]*)">Next', page)
    assert link == "?min_score=1&amp;page=2"
    # no filter at all: the page alone
    page = client.get(URL + "?page_size=13&utm_source=mail").content.decode()
    (link,) = re.findall(r'<a href="(\?[^"]*)">Next', page)
    assert link == "?page=2"


def test_an_empty_list_asked_with_no_filter_says_so_whatever_else_was_asked():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution)
    client = logged_in_client(member.user)
    page = client.get(URL + "?page_size=12").content.decode()
    assert "No matches yet: projects that fit your active offerings" in page
    filtered = client.get(URL + "?segment=launch&page_size=12").content.decode()
    assert "No matches with these filters." in filtered
