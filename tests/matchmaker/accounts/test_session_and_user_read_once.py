"""A signed-in page reads its session row and its user (with the user's memberships) once
per change of the data, not on every request (#26: `accounts.session_store`,
`accounts.backends.MembershipsModelBackend`), and never serves a session or a user that
changed: a log-out elsewhere, a deactivation, a password change, a moved membership or an
expired session takes effect on the next request.

These tests commit (`transaction=True`): a test inside one transaction has no marker."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from investors.models import InstitutionMember
from matchmaker.accounts import session_store
from tests.conftest import committed_elsewhere, logged_in_client
from tests.factories import InstitutionFactory, InstitutionMemberFactory, OfferingFactory

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = "/institution/matches/"


def tables_read(queries) -> set[str]:
    return {
        table
        for q in queries.captured_queries
        for table in ("django_session", "auth_user")
        if f'FROM "{table}"' in q["sql"]
    }


@pytest.fixture
def member():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution)
    return member


@pytest.fixture
def client(member):
    client = logged_in_client(member.user)
    assert client.get(PAGE).status_code == 200  # session and user read, and kept
    return client


def test_a_warm_page_reads_neither_its_session_nor_its_user(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    assert tables_read(queries) == set()


def test_a_log_out_elsewhere_signs_the_next_request_out(client):
    committed_elsewhere(lambda: Session.objects.all().delete())
    assert client.get(PAGE).status_code == 302


def test_a_deactivated_user_is_signed_out_at_once(client, member):
    committed_elsewhere(
        lambda: get_user_model().objects.filter(pk=member.user.pk).update(is_active=False)
    )
    assert client.get(PAGE).status_code == 302


def test_a_password_changed_elsewhere_ends_the_session(client, member):
    def change():
        user = get_user_model().objects.get(pk=member.user.pk)
        user.set_password("another-long-passphrase-42")
        user.save()

    committed_elsewhere(change)
    assert client.get(PAGE).status_code == 302


def test_a_membership_moved_elsewhere_is_seen_at_once(client, member):
    ours = member.institution.offerings.get().name
    theirs = OfferingFactory(institution=InstitutionFactory(), name="Their launch cover")
    assert ours in client.get(PAGE).content.decode()
    committed_elsewhere(
        lambda: InstitutionMember.objects.filter(pk=member.pk).update(
            institution=theirs.institution
        )
    )
    page = client.get(PAGE).content.decode()
    assert theirs.name in page and ours not in page


def test_a_kept_session_expires_on_time(client, monkeypatch):
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(session_store.timezone, "now", lambda: later)
    assert client.get(PAGE).status_code == 302


def test_a_session_signed_in_before_keeps_working(member):
    """Sessions signed in through Django's own backend, before this one, stay signed in."""
    client = Client()
    client.force_login(member.user, backend=session_store.FORMER_BACKEND)
    assert client.get(PAGE).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    assert tables_read(queries) == set()
