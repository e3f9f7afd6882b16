"""A request takes the database's data marker once (`one_marker_per_request`), not once
per read kept per change, and still never serves what it wrote itself as unwritten; the
unread count and the saved views it now keeps are never stale across requests.

These tests commit (`transaction=True`): a test inside one transaction has no marker."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaker.models import Notification, NotificationKind, SavedView
from matchmaker.read_once import data_marker, one_marker_per_request
from matchmaker.review.selectors import (
    match_list_version,
    saved_views_shown,
    unread_notification_count,
)
from matchmaker.written_areas import MARKERS_SQL
from tests.conftest import committed_elsewhere, logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory

pytestmark = pytest.mark.django_db(transaction=True)

MARKER_SQL = tuple(MARKERS_SQL.values())


def markers_taken(queries) -> int:
    return sum(any(sql in q["sql"] for sql in MARKER_SQL) for q in queries.captured_queries)


def notify(user) -> None:
    Notification.objects.create(user=user, kind=NotificationKind.DIGEST, text="New matches")


@pytest.fixture
def member():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution)
    return member


def test_reads_inside_a_request_share_one_marker(member):
    with CaptureQueriesContext(connection) as queries, one_marker_per_request():
        unread_notification_count(member.user)
        saved_views_shown(member.user)
        match_list_version(member.institution)
    assert markers_taken(queries) == 1


def test_outside_a_request_each_read_takes_its_own(member):
    with CaptureQueriesContext(connection) as queries:
        unread_notification_count(member.user)
        saved_views_shown(member.user)
    assert markers_taken(queries) == 2


def test_the_requests_own_write_is_seen_by_its_next_read(member):
    with one_marker_per_request():
        assert unread_notification_count(member.user) == 0
        marker = data_marker(connection)
        notify(member.user)
        assert data_marker(connection) != marker
        assert unread_notification_count(member.user) == 1


def test_a_later_request_sees_another_connections_write(member):
    with one_marker_per_request():
        assert unread_notification_count(member.user) == 0
    committed_elsewhere(lambda: notify(member.user))
    with one_marker_per_request():
        assert unread_notification_count(member.user) == 1


def test_the_saved_views_follow_their_owners_saves_and_deletes(member):
    assert saved_views_shown(member.user) == ()
    committed_elsewhere(
        lambda: SavedView.objects.create(user=member.user, name="Launch", query="segment=launch")
    )
    (shown,) = saved_views_shown(member.user)
    assert (shown.name, shown.query) == ("Launch", "segment=launch")
    committed_elsewhere(lambda: SavedView.objects.filter(user=member.user).delete())
    assert saved_views_shown(member.user) == ()


def test_a_warm_list_page_takes_the_marker_once_and_shows_the_new_notification(member):
    client = logged_in_client(member.user)
    client.get("/institution/matches/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/institution/matches/").status_code == 200
    assert markers_taken(queries) == 1
    committed_elsewhere(lambda: notify(member.user))
    page = client.get("/institution/matches/").content.decode()
    assert "1 unread notification" in page
