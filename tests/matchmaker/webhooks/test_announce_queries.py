"""`match.created` after a scoring: who listens is asked once, not once per match, so a
submission's task costs the same whatever the number of new matches and their owners."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matchmaker.matching import scoring
from matchmaker.webhooks import announce
from matchmaker.webhooks.models import Event
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
)
from tests.matchmaker.webhooks.test_delivery import endpoint_for

pytestmark = pytest.mark.django_db


def scored_project_with_offerings(count: int):
    """A project matched to `count` offerings, each of its own institution."""
    since = timezone.now() - timedelta(seconds=1)
    offerings = [OfferingFactory() for _ in range(count)]
    project = ProjectFactory()
    scoring.score_project(project.pk)
    return project, offerings, since


def queries_of_new_matches(project, since) -> int:
    with CaptureQueriesContext(connection) as captured:
        announce.new_matches([project.pk], since=since)
    return len(captured)


def test_with_no_endpoint_anywhere_announcing_many_new_matches_costs_two_queries():
    project, _offerings, since = scored_project_with_offerings(12)
    assert project.matches.filter(eligible=True).count() == 12

    assert queries_of_new_matches(project, since) == 2  # owners, then their endpoints
    assert not Event.objects.exists()


def test_queries_do_not_grow_with_the_number_of_matches_and_owners(receiver):
    counts = []
    for size in (3, 12):
        project, offerings, since = scored_project_with_offerings(size)
        member = InstitutionMemberFactory(institution=offerings[0].institution)
        endpoint = endpoint_for(member.user, receiver, events=["match.created"])
        counts.append(queries_of_new_matches(project, since))
        endpoint.delete()  # the next, larger round has one listener again
    assert Event.objects.count() == 2
    assert counts[0] == counts[1]


def test_only_the_listening_owner_gets_an_event_with_only_its_matches(receiver):
    project, offerings, since = scored_project_with_offerings(5)
    listening = offerings[2].institution
    member = InstitutionMemberFactory(institution=listening)
    endpoint_for(member.user, receiver, events=["match.created"])
    deaf_firm = FirmMemberFactory(firm=project.firm)
    endpoint_for(deaf_firm.user, receiver, events=["match.decided"])

    assert announce.new_matches([project.pk], since=since) == 1

    [event] = Event.objects.all()
    assert event.institution_id == listening.pk
    assert {m["offering"]["id"] for m in event.payload["matches"]} == {offerings[2].pk}
