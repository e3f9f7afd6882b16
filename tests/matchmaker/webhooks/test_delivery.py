"""Deliveries: signed, sent after commit, retried with backoff, paused when failing,
replayable, and carrying only what the receiving organisation may see."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from matchmaker.matching import scoring
from matchmaker.models import MatchStatus, Notification, NotificationKind
from matchmaker.review import services as review
from matchmaker.review.introductions import introduction_answer, introduction_request
from matchmaker.webhooks import services as webhooks
from matchmaker.webhooks import signing
from matchmaker.webhooks.models import Delivery, DeliveryState, EndpointStatus
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
)
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db

ALL_REVIEW_EVENTS = [
    "match.created",
    "match.decided",
    "match.moved",
    "introduction.requested",
    "introduction.accepted",
    "introduction.refused",
]


def endpoint_for(user, receiver, events=None, organization=None):
    from matchmaker.accounts.membership import organization_of

    return webhooks.endpoint_create(
        organization=organization or organization_of(user),
        url=receiver.url,
        events=events or ALL_REVIEW_EVENTS,
        by=user,
    )


def run_sweeper_until(now, until, step=timedelta(seconds=10)) -> None:
    """What beat does every few seconds, with the clock moved forward."""
    while now <= until:
        for delivery_id in webhooks.deliveries_due(now=now):
            webhooks.delivery_send(delivery_id=delivery_id, now=now)
        now += step


def test_a_shortlist_reaches_both_sides_signed_with_each_endpoints_secret(
    receiver, second_receiver, django_capture_on_commit_callbacks
):
    pair = matched_pair()
    institution_hook = endpoint_for(pair.institution_user, receiver)
    firm_hook = endpoint_for(pair.firm_user, second_receiver)
    with django_capture_on_commit_callbacks(execute=True):
        review.match_move(
            match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user
        )

    for hook, got in ((institution_hook, receiver), (firm_hook, second_receiver)):
        [delivery] = got.received
        headers = delivery.headers
        assert signing.verify(
            hook.secret,
            delivery.body,
            headers[signing.SIGNATURE_HEADER],
            headers[signing.TIMESTAMP_HEADER],
        )
        assert not signing.verify(
            "whsec_another",
            delivery.body,
            headers[signing.SIGNATURE_HEADER],
            headers[signing.TIMESTAMP_HEADER],
        )
        document = delivery.document
        assert document["type"] == "match.decided"
        assert headers[signing.EVENT_ID_HEADER] == document["id"]
        assert document["data"]["match"]["id"] == pair.match.pk
        assert document["data"]["match"]["status"] == MatchStatus.SHORTLISTED
    assert receiver.events()[0]["id"] != second_receiver.events()[0]["id"]
    assert Delivery.objects.filter(state=DeliveryState.DELIVERED).count() == 2


def test_nothing_is_sent_when_the_change_rolls_back(receiver, django_capture_on_commit_callbacks):
    pair = matched_pair()
    endpoint_for(pair.institution_user, receiver)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        review.match_move(
            match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user
        )
        raise RuntimeError("the change fails after the event was recorded")
    assert receiver.received == []
    assert not Delivery.objects.exists()


def test_an_endpoint_hears_only_the_events_it_chose(receiver, django_capture_on_commit_callbacks):
    pair = matched_pair()
    endpoint_for(pair.institution_user, receiver, events=["introduction.accepted"])
    with django_capture_on_commit_callbacks(execute=True):
        introduction = introduction_request(
            match=pair.match, message="Hello", by=pair.institution_user
        )
    assert receiver.received == []
    with django_capture_on_commit_callbacks(execute=True):
        introduction_answer(introduction=introduction, accept=True, by=pair.firm_user)
    [event] = receiver.events()
    assert event["type"] == "introduction.accepted"
    contacts = event["data"]["introduction"]["contacts"]
    assert contacts["firm"]["contact_email"] == pair.match.project.firm.contact_email


def test_the_backoff_doubles_and_is_capped(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    settings.WEBHOOK_RETRY_MAX_SECONDS = 300
    waits = [webhooks.backoff(attempts=n).total_seconds() for n in range(1, 8)]
    assert waits == [10, 20, 40, 80, 160, 300, 300]


def test_a_receiver_that_fails_for_a_while_gets_every_event_once_it_answers(
    receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 100
    pair = matched_pair()
    endpoint_for(pair.institution_user, receiver)
    receiver.failures_left = 7
    with django_capture_on_commit_callbacks(execute=True):
        review.match_move(
            match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user
        )
        introduction = introduction_request(
            match=pair.match, message="Hi", by=pair.institution_user
        )
    with django_capture_on_commit_callbacks(execute=True):
        introduction_answer(introduction=introduction, accept=True, by=pair.firm_user)
    assert receiver.received == []  # three first tries, all refused
    waiting = Delivery.objects.get(event__type="match.decided")
    assert waiting.state == DeliveryState.PENDING and waiting.attempts == 1
    assert waiting.next_attempt_at > timezone.now()  # backing off, not hammering

    run_sweeper_until(timezone.now(), timezone.now() + timedelta(hours=1))

    assert sorted(e["type"] for e in receiver.events()) == [
        "introduction.accepted",
        "introduction.requested",
        "match.decided",
    ]
    ids = [e["id"] for e in receiver.events()]
    assert len(set(ids)) == len(ids) == Delivery.objects.count()
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}
    log = Delivery.objects.get(event__type="match.decided").attempt_log.all()
    assert [a.status_code for a in reversed(log)][:2] == [503, 503]
    assert log[0].status_code == 200


def test_an_endpoint_that_keeps_failing_is_paused_its_owners_told_and_resuming_sends_all(
    receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 3
    pair = matched_pair()
    endpoint = endpoint_for(pair.institution_user, receiver)
    receiver.failures_left = 1000
    with django_capture_on_commit_callbacks(execute=True):
        review.match_move(
            match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user
        )
    run_sweeper_until(timezone.now(), timezone.now() + timedelta(minutes=5))
    endpoint.refresh_from_db()
    assert endpoint.status == EndpointStatus.PAUSED
    assert endpoint.consecutive_failures == 3
    notice = Notification.objects.get(user=pair.institution_user)
    assert notice.kind == NotificationKind.WEBHOOK_PAUSED
    assert receiver.url[:40] in notice.text

    # While paused nothing is tried, and new events wait too.
    with django_capture_on_commit_callbacks(execute=True):
        review.match_undo(match=pair.match, by=pair.institution_user)
    run_sweeper_until(timezone.now(), timezone.now() + timedelta(hours=2))
    assert Delivery.objects.get(event__type="match.decided", attempts=3).attempts == 3
    assert Delivery.objects.filter(state=DeliveryState.PENDING).count() == 2

    receiver.failures_left = 0
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.endpoint_resume(endpoint=endpoint, by=pair.institution_user)
    assert len(receiver.events("match.decided")) == 2
    statuses = [e["data"]["match"]["status"] for e in receiver.events()]
    assert sorted(statuses) == [MatchStatus.NEW, MatchStatus.SHORTLISTED]


def test_replay_sends_the_same_event_id_and_body_again(
    receiver, django_capture_on_commit_callbacks
):
    pair = matched_pair()
    endpoint_for(pair.institution_user, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        review.match_move(
            match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user
        )
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.delivery_replay(delivery=delivery, by=pair.institution_user)
    first, second = receiver.received
    assert first.body == second.body
    assert first.headers[signing.EVENT_ID_HEADER] == second.headers[signing.EVENT_ID_HEADER]
    assert delivery.attempt_log.count() == 2


def test_a_delivery_claimed_by_one_worker_is_not_sent_by_another(receiver):
    pair = matched_pair()
    endpoint = endpoint_for(pair.institution_user, receiver)
    delivery = webhooks.endpoint_ping(endpoint=endpoint, by=pair.institution_user)
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(claimed_until=now + timedelta(seconds=30))
    assert webhooks.delivery_send(delivery_id=delivery.pk, now=now) is False
    assert receiver.received == []
    assert webhooks.delivery_send(delivery_id=delivery.pk, now=now + timedelta(minutes=1))
    assert webhooks.delivery_send(delivery_id=delivery.pk, now=now + timedelta(minutes=2)) is False
    assert len(receiver.received) == 1


def test_new_matches_reach_each_side_with_only_its_own_matches(
    receiver, second_receiver, settings, django_capture_on_commit_callbacks
):
    firm_member, rival_member = FirmMemberFactory(), FirmMemberFactory()
    institution_member = InstitutionMemberFactory()
    ours = OfferingFactory(institution=institution_member.institution, name="Ours")
    theirs = OfferingFactory(name="Someone else's offering")
    endpoint_for(firm_member.user, receiver, events=["match.created"])
    endpoint_for(institution_member.user, second_receiver, events=["match.created"])
    project = ProjectFactory(firm=firm_member.firm, title="Our launcher")
    rival = ProjectFactory(firm=rival_member.firm, title="The rival's secret satellite")
    from matchmaker import tasks

    with django_capture_on_commit_callbacks(execute=True):
        tasks.score_project(project.pk)
        tasks.score_project(rival.pk)

    [firm_event] = receiver.events()
    firm_matches = firm_event["data"]["matches"]
    assert {m["offering"]["id"] for m in firm_matches} == {ours.pk, theirs.pk}
    assert {m["project"]["id"] for m in firm_matches} == {project.pk}
    institution_events = second_receiver.events()
    assert len(institution_events) == 2  # one per scored project with a match of ours
    for event in institution_events:
        assert {m["offering"]["id"] for m in event["data"]["matches"]} == {ours.pk}
    everything_the_firm_got = b"".join(r.body for r in receiver.received)
    assert b"rival" not in everything_the_firm_got
    assert b"Someone else" not in b"".join(r.body for r in second_receiver.received)
    assert scoring  # the engine wrote the matches the events describe


def test_no_event_carries_another_tenants_data(
    receiver, second_receiver, django_capture_on_commit_callbacks
):
    """Two institutions match the same project; each hears only of its own decisions, and
    the firm never learns why it was declined."""
    pair = matched_pair()
    rival = InstitutionMemberFactory(institution__name="Rival Bank")
    rival_offering = OfferingFactory(institution=rival.institution, name="Rival loan book")
    scoring.score_project(pair.match.project_id)
    rival_match = pair.match.project.matches.get(offering=rival_offering)
    endpoint_for(pair.institution_user, receiver)
    firm_receiver = second_receiver
    endpoint_for(pair.firm_user, firm_receiver)
    with django_capture_on_commit_callbacks(execute=True):
        review.match_decline(
            match=rival_match,
            reason="risk_too_high",
            note="Our confidential credit view",
            by=rival.user,
        )
        review.match_move(
            match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user
        )

    ours = b"".join(r.body for r in receiver.received)
    assert len(receiver.received) == 1
    assert b"Rival" not in ours
    firm_bodies = b"".join(r.body for r in firm_receiver.received)
    assert len(firm_receiver.received) == 2  # the firm hears of both decisions on its project
    assert b"confidential credit view" not in firm_bodies
    assert b"risk_too_high" not in firm_bodies


def test_pipeline_moves_and_a_refusal_reach_both_sides(
    receiver, second_receiver, django_capture_on_commit_callbacks
):
    pair = matched_pair()
    endpoint_for(pair.institution_user, receiver)
    endpoint_for(pair.firm_user, second_receiver)
    with django_capture_on_commit_callbacks(execute=True):
        introduction = introduction_request(
            match=pair.match, message="Hi", by=pair.institution_user
        )
        introduction_answer(introduction=introduction, accept=True, by=pair.firm_user)
        review.match_move(
            match=pair.match, to_status=MatchStatus.TERM_SHEET, by=pair.institution_user
        )
    for got in (receiver, second_receiver):
        [moved] = got.events("match.moved")
        assert moved["data"]["from_status"] == MatchStatus.IN_TALKS
        assert moved["data"]["match"]["status"] == MatchStatus.TERM_SHEET

    other = matched_pair()
    endpoint_for(other.firm_user, receiver, events=["introduction.refused"])
    with django_capture_on_commit_callbacks(execute=True):
        asked = introduction_request(match=other.match, message="Hi", by=other.institution_user)
        introduction_answer(introduction=asked, accept=False, by=other.firm_user)
    [refused] = receiver.events("introduction.refused")
    assert refused["data"]["introduction"]["state"] == "refused"
    assert refused["data"]["introduction"]["contacts"] is None


def test_a_shared_document_reaches_only_institutions_the_firm_accepted(
    receiver, second_receiver, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from projects.services import document_add

    pair = matched_pair()
    waiting = InstitutionMemberFactory()
    OfferingFactory(institution=waiting.institution, name="Not introduced")
    scoring.score_project(pair.match.project_id)
    endpoint_for(pair.institution_user, receiver, events=["document.shared"])
    endpoint_for(waiting.user, second_receiver, events=["document.shared"])
    with django_capture_on_commit_callbacks(execute=True):
        introduction = introduction_request(
            match=pair.match, message="Hi", by=pair.institution_user
        )
        introduction_answer(introduction=introduction, accept=True, by=pair.firm_user)
        document_add(
            project=pair.match.project,
            by=pair.firm_user,
            kind="pitch_deck",
            upload=SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n"),
        )
    [shared] = receiver.events("document.shared")
    assert shared["data"]["document"]["name"] == "deck.pdf"
    assert second_receiver.received == []


def test_the_beat_task_sends_what_is_due_and_leaves_what_is_not(receiver):
    from matchmaker import tasks

    pair = matched_pair()
    endpoint = endpoint_for(pair.institution_user, receiver)
    due = webhooks.endpoint_ping(endpoint=endpoint, by=pair.institution_user)
    later = webhooks.endpoint_ping(endpoint=endpoint, by=pair.institution_user)
    Delivery.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert tasks.send_due_webhooks() == 1
    assert [r.headers[signing.DELIVERY_HEADER] for r in receiver.received] == [str(due.pk)]
    assert Delivery.objects.get(pk=later.pk).state == DeliveryState.PENDING
