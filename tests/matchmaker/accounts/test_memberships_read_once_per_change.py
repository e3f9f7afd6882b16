"""A signed-in page reads the user's firm, institution and saved language again only when
the database may have changed (`membership.memberships_read`, #26), as an API token is
(`tests/api/test_token_read_once_per_change.py`): never stale, whichever connection wrote.

These tests commit (`transaction=True`): inside a test's transaction there is no marker
and every page reads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaker.accounts.languages import language_save
from matchmaker.accounts.membership import memberships_read
from tests.conftest import committed_elsewhere, logged_in_client
from tests.factories import FirmMemberFactory, InstitutionMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def membership_reads(queries) -> int:
    return sum('"investors_institutionmember"' in q["sql"] for q in queries.captured_queries)


def test_an_unchanged_database_reads_the_memberships_once():
    member = InstitutionMemberFactory()
    client = logged_in_client(member.user)
    assert client.get(reverse("institution:match_list")).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(reverse("institution:match_list")).status_code == 200
    assert membership_reads(again) == 0


def test_a_membership_ended_elsewhere_closes_the_institutions_pages_at_once():
    member = InstitutionMemberFactory()
    client = logged_in_client(member.user)
    assert client.get(reverse("institution:match_list")).status_code == 200
    committed_elsewhere(lambda: member.delete())
    assert client.get(reverse("institution:match_list")).status_code != 200


def test_a_language_saved_here_shows_on_the_next_page():
    member = FirmMemberFactory()
    client = logged_in_client(member.user)
    assert '<html lang="en"' in client.get(reverse("projects:list")).content.decode()
    language_save(user=member.user, language="zh-hans")
    assert '<html lang="zh-hans"' in client.get(reverse("projects:list")).content.decode()


def test_each_user_object_gets_memberships_of_its_own():
    member = InstitutionMemberFactory()
    first, second = type(member.user).objects.get(pk=member.user.pk), member.user
    memberships_read(first)
    first._institution_cache.name = "Changed by one request"
    memberships_read(second)
    assert second._institution_cache is not first._institution_cache
    assert second._institution_cache.name == member.institution.name
