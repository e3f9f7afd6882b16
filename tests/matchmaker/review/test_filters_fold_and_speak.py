"""Filters fold away (phone) and a value they cannot use is said, not ignored: on the
page as a visible message, in the API as a 400 naming the field."""

import pytest
from django.urls import reverse

from tests.api.conftest import api_client_for
from tests.conftest import logged_in_client
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db


def test_the_filters_sit_in_a_fold_that_opens_by_itself_on_an_error():
    pair = matched_pair()
    client = logged_in_client(pair.institution_user)
    plain = client.get(reverse("institution:match_list")).content.decode()
    assert '<details class="filters-fold">' in plain
    assert "Some filters were not applied" not in plain
    narrowed = client.get(reverse("institution:match_list") + "?min_score=10").content.decode()
    assert "1 set" in narrowed


@pytest.mark.parametrize(
    ("query", "label"),
    [("min_score=abc", "Score at least"), ("since=2026-13-45", "Matched since")],
)
def test_an_unusable_filter_value_is_named_on_the_page(query, label):
    pair = matched_pair()
    page = (
        logged_in_client(pair.institution_user)
        .get(reverse("institution:match_list") + "?" + query)
        .content.decode()
    )
    errors = page[page.index('id="filter-errors"') :]
    errors = errors[: errors.index("</div>")]
    assert "Some filters were not applied" in errors and label in errors
    assert '<details class="filters-fold" open>' in page


@pytest.mark.parametrize(
    ("query", "field"), [("min_score=abc", "min_score"), ("since=2026-13-45", "since")]
)
def test_an_unusable_filter_value_is_a_400_naming_the_field_in_the_api(query, field):
    pair = matched_pair()
    response = api_client_for(pair.institution_user).get("/api/v1/matches/?" + query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_project_list_filters_fold_too(firm_client):
    page = firm_client.get(reverse("projects:list")).content.decode()
    assert '<details class="filters-fold">' in page
