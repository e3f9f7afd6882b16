"""An uncached match list reads whole rows only for the page it shows: the list's ids
come from its index (filter, order, count), then the page's rows by id (issue #26: at
national scale, sorting every row of an institution's list to keep 25 was most of the
page's time)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaker.matching import scoring
from tests.api.conftest import api_client_for
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution, ticket_max=500_000_000)
    for trl in (4, 5, 6, 7, 8, 4, 5, 6, 7, 8, 4, 5):
        scoring.score_project(ProjectFactory(trl=trl).pk)
    return member


def test_the_api_reads_whole_rows_only_for_the_page_it_shows(listed):
    client = api_client_for(listed.user)
    everything = client.get("/api/v1/matches/?page_size=100").json()["results"]
    assert len(everything) == 12
    cache.clear()  # nothing shown before (rows another page showed come from the cache)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/api/v1/matches/?page=2&page_size=5").json()
    whole_rows = [q["sql"] for q in captured if '"matchmaker_match"."components"' in q["sql"]]
    assert len(whole_rows) == 1
    assert " IN (" in whole_rows[0]
    assert "LIMIT" not in whole_rows[0] and "OFFSET" not in whole_rows[0]
    assert page["count"] == 12
    assert [m["id"] for m in page["results"]] == [m["id"] for m in everything[5:10]]


def test_the_api_pages_the_same_order_under_each_sort_and_filter(listed):
    client = api_client_for(listed.user)
    for query in ("sort=score", "sort=-newest", "min_score=1"):
        everything = client.get(f"/api/v1/matches/?page_size=100&{query}").json()["results"]
        pages = [
            client.get(f"/api/v1/matches/?page={n}&page_size=5&{query}").json()["results"]
            for n in (1, 2, 3)
        ]
        assert [m["id"] for page in pages for m in page] == [m["id"] for m in everything]
