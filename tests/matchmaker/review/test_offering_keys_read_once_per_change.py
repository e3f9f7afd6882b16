"""The keys of an institution's offerings, which every match list and row read names, are
read again only when the database may have changed (`selectors.offering_keys`, #26).
Never stale: an offering added or moved on another connection counts at once, and each
request's list of keys is its own.

These tests commit (`transaction=True`): inside a test's transaction there is no marker."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investors.models import Institution, Offering
from matchmaker.review.selectors import offering_keys
from tests.conftest import committed_elsewhere
from tests.factories import InstitutionFactory, OfferingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fresh(institution) -> Institution:
    """The institution as a new request reads it (its own object)."""
    return Institution.objects.get(pk=institution.pk)


def key_reads(queries) -> int:
    return sum('FROM "investors_offering"' in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def institution():
    institution = InstitutionFactory()
    OfferingFactory(institution=institution)
    OfferingFactory(institution=institution)
    return institution


def test_an_unchanged_database_reads_the_keys_once(institution):
    first = offering_keys(fresh(institution))
    again_institution = fresh(institution)
    with CaptureQueriesContext(connection) as again:
        assert offering_keys(again_institution) == first
    assert key_reads(again) == 0
    assert sorted(first) == sorted(
        Offering.objects.filter(institution=institution).values_list("pk", flat=True)
    )


def test_an_offering_added_elsewhere_counts_at_once(institution):
    before = offering_keys(fresh(institution))
    added = {}
    committed_elsewhere(lambda: added.update(pk=OfferingFactory(institution=institution).pk))
    assert sorted(offering_keys(fresh(institution))) == sorted([*before, added["pk"]])


def test_an_offering_moved_elsewhere_leaves_at_once(institution):
    moved = Offering.objects.filter(institution=institution).first()
    assert moved.pk in offering_keys(fresh(institution))
    other = InstitutionFactory()
    committed_elsewhere(lambda: Offering.objects.filter(pk=moved.pk).update(institution=other))
    assert moved.pk not in offering_keys(fresh(institution))
    assert offering_keys(fresh(other)) == [moved.pk]


def test_each_request_gets_its_own_list(institution):
    first = offering_keys(fresh(institution))
    first.append(-1)
    assert -1 not in offering_keys(fresh(institution))
