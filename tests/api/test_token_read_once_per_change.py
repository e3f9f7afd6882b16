"""An API token, with its user and memberships, is read again only when the database may
have changed (`membership.token_read_once_per_change`, #26): its seven-table join was
2.6 ms of every API request on PostgreSQL. Never stale: a revoked token, a deactivated
user or a moved membership answers at once, whichever connection wrote it; each request
gets objects of its own; a key that names no token is not kept.

These tests commit (`transaction=True`): inside a test's transaction there is no marker
and every request reads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from matchmaker.accounts.membership import token_read_once_per_change
from tests.conftest import committed_elsewhere
from tests.factories import InstitutionFactory, InstitutionMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

MATCHES = "/api/v1/matches/"


@pytest.fixture
def member():
    return InstitutionMemberFactory()


def client_with(token: Token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def token_reads(queries) -> int:
    return sum('FROM "authtoken_token"' in q["sql"] for q in queries.captured_queries)


def test_an_unchanged_database_reads_the_token_once(member):
    client = client_with(Token.objects.create(user=member.user))
    assert client.get(MATCHES).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(MATCHES).status_code == 200
    assert token_reads(again) == 0


def test_a_token_revoked_on_another_connection_is_refused_at_once(member):
    token = Token.objects.create(user=member.user)
    client = client_with(token)
    assert client.get(MATCHES).status_code == 200
    committed_elsewhere(lambda: Token.objects.filter(key=token.key).delete())
    assert client.get(MATCHES).status_code == 401


def test_a_user_deactivated_here_is_refused_at_once(member):
    client = client_with(Token.objects.create(user=member.user))
    assert client.get(MATCHES).status_code == 200
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    assert client.get(MATCHES).status_code == 401


def test_a_membership_moved_elsewhere_shows_the_new_institution_at_once(member):
    token = Token.objects.create(user=member.user)
    assert token_read_once_per_change(token.key).user.institution_membership.institution == (
        member.institution
    )
    other = InstitutionFactory()

    def move():
        member.institution = other
        member.save(update_fields=["institution"])

    committed_elsewhere(move)
    moved = token_read_once_per_change(token.key)
    assert moved.user.institution_membership.institution == other


def test_each_read_gets_objects_of_its_own(member):
    token = Token.objects.create(user=member.user)
    first = token_read_once_per_change(token.key)
    first.user.set_by_one_request = True
    second = token_read_once_per_change(token.key)
    assert second is not first and second.user is not first.user
    assert not hasattr(second.user, "set_by_one_request")
    assert second.user.pk == first.user.pk


def test_a_key_that_names_no_token_is_not_kept(member):
    assert token_read_once_per_change("0" * 40) is None
    with CaptureQueriesContext(connection) as again:
        assert token_read_once_per_change("0" * 40) is None
    assert token_reads(again) == 1
    assert "0" * 40 not in connection._read_once[1].get("api-token", {})
