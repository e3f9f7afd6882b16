"""The institution's match list: one entry per project with its matching offerings
inside, short amounts, a shortlist button on each offering, and saved filters."""

import pytest
from django.urls import reverse

from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus, SavedView
from tests.conftest import logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    member = InstitutionMemberFactory()
    first = OfferingFactory(institution=member.institution, name="Growth equity A")
    second = OfferingFactory(institution=member.institution, name="Growth equity B")
    projects = [
        ProjectFactory(title=f"Terminal line {n}", needs={"equity": 120_000_000}) for n in range(3)
    ]
    for project in projects:
        scoring.score_project(project.pk)
    return member, first, second, projects


def test_a_project_matched_by_two_offerings_is_one_entry_with_both_inside(bank):
    member, _first, _second, _projects = bank
    page = logged_in_client(member.user).get(reverse("institution:match_list")).content.decode()
    assert page.count('<article class="card match-group">') == 3
    assert page.count("Terminal line 0</a></h2>") == 1
    assert page.count("Growth equity A</a>") == 3 and page.count("Growth equity B</a>") == 3
    assert "3 projects" in page
    assert "RMB 120M" in page


def test_shortlisting_from_the_list_comes_back_to_the_list_as_filtered(bank):
    member, first, _second, projects = bank
    client = logged_in_client(member.user)
    match = Match.objects.get(project=projects[0], offering=first)
    here = reverse("institution:match_list") + "?segment=components"
    response = client.post(reverse("institution:shortlist", args=[match.pk]), {"next": here})
    assert response.url == here
    match.refresh_from_db()
    assert match.status == MatchStatus.SHORTLISTED


def test_a_decision_never_returns_to_another_site(bank):
    member, first, _second, projects = bank
    match = Match.objects.get(project=projects[0], offering=first)
    response = logged_in_client(member.user).post(
        reverse("institution:shortlist", args=[match.pk]), {"next": "https://evil.test/"}
    )
    assert response.url == reverse("institution:match_detail", args=[match.pk])


def test_filters_are_saved_by_name_and_offered_on_the_list(bank):
    member, *_rest = bank
    client = logged_in_client(member.user)
    client.post(
        reverse("institution:save_view"),
        {"name": "Components, 60+", "query": "segment=components&min_score=60&page=3&x=1"},
    )
    view = SavedView.objects.get(user=member.user)
    assert view.query == "segment=components&min_score=60"
    page = client.get(reverse("institution:match_list")).content.decode()
    assert '<a href="?segment=components&amp;min_score=60">Components, 60+</a>' in page
    client.post(reverse("institution:delete_view", args=[view.pk]))
    assert not SavedView.objects.exists()


def test_the_grouped_list_runs_the_same_queries_for_three_projects_or_thirty(
    bank, django_assert_max_num_queries
):
    member, *_rest = bank
    client = logged_in_client(member.user)
    client.get(reverse("institution:match_list"))
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchmaker.review.kept_projects import forget_kept_projects

    # measure the list being built, not read from the cache or the projects' facts the
    # process keeps
    cache.clear()
    forget_kept_projects()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("institution:match_list"))
    for n in range(27):
        scoring.score_project(ProjectFactory(title=f"More {n}").pk)
    cache.clear()
    forget_kept_projects()
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("institution:match_list"))


def test_the_sort_menu_offers_four_worded_orders_best_first_by_default(bank):
    import re

    member, *_rest = bank
    page = logged_in_client(member.user).get(reverse("institution:match_list")).content.decode()
    menu = page[
        page.index('<select name="sort"') : page.index("</select>", page.index('name="sort"'))
    ]
    labels = re.findall(r">([^<]+)</option>", menu)
    assert labels == ["Best score first", "Lowest score first", "Newest first", "Oldest first"]
    assert "(descending)" not in page
