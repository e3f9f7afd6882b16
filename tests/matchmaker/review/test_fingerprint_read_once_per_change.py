"""The match lists' fingerprint (`match_list_version`) aggregates the institution's
matches; a connection reads it again only when the database may have changed since it
last did (`data_marker`), so it is never stale: not after its own write, not after another
connection's, not inside a transaction that wrote.

These tests commit (`transaction=True`): a test inside one transaction has no marker."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus
from matchmaker.read_once import data_marker
from matchmaker.review import services as review
from matchmaker.review.selectors import match_list_version
from projects import services as project_services
from tests.conftest import committed_elsewhere
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def listed():
    member = InstitutionMemberFactory()
    offering = OfferingFactory(institution=member.institution)
    project = ProjectFactory()
    scoring.score_project(project.pk)
    return member, Match.objects.get(project=project, offering=offering)


def aggregated(queries) -> bool:
    return any("MAX(mm.computed_at)" in q["sql"] for q in queries.captured_queries)


def test_an_unchanged_database_is_not_aggregated_again(listed):
    member, _match = listed
    first = match_list_version(member.institution)
    with CaptureQueriesContext(connection) as again:
        assert match_list_version(member.institution) == first
    assert not aggregated(again)
    assert len(again.captured_queries) == 1  # the marker


def test_the_connections_own_write_changes_it(listed):
    member, match = listed
    first = match_list_version(member.institution)
    review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
    with CaptureQueriesContext(connection) as after:
        assert match_list_version(member.institution) != first
    assert aggregated(after)


def test_another_connections_write_changes_it(listed):
    member, match = listed
    first = match_list_version(member.institution)

    committed_elsewhere(
        lambda: project_services.project_update(
            project=match.project, by=None, fields={"title": "Renamed elsewhere"}
        )
    )
    assert match_list_version(member.institution) != first


def test_a_write_inside_a_transaction_changes_it_there(listed):
    member, match = listed
    first = match_list_version(member.institution)
    with transaction.atomic():
        assert data_marker(connection) is None
        review.match_move(match=match, to_status=MatchStatus.SHORTLISTED, by=member.user)
        assert match_list_version(member.institution) != first


def test_what_a_closed_session_read_is_not_trusted(listed):
    """A new session's counters may repeat the closed one's (SQLite's start again)."""
    member, _match = listed
    first = match_list_version(member.institution)
    closed = connection.connection
    ((key, _read),) = connection._read_once[1]["list-facts"].items()
    connection.close()
    connection.ensure_connection()
    stale = {"list-facts": {key: (data_marker(connection), ("stale",))}}
    connection._read_once = (closed, stale)
    assert match_list_version(member.institution) == first
