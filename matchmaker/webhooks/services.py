"""Writes of the webhooks room: endpoints, and sending, retrying and replaying deliveries.

A delivery is tried at once after commit, then again with exponential backoff
(`WEBHOOK_RETRY_BASE_SECONDS` doubled each time, at most `WEBHOOK_RETRY_MAX_SECONDS`)
until the receiver answers 2xx or `WEBHOOK_MAX_ATTEMPTS` are spent. An endpoint whose
last `WEBHOOK_PAUSE_AFTER_FAILURES` attempts all failed is paused and its organisation's
members are notified; its deliveries wait, and resuming it sends every one of them.
Sending is safe to run twice: a delivery is claimed before it is sent.
"""

import json
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from investors.selectors import institution_members
from matchmaker.audit import audit_record
from matchmaker.models import AuditAction, NotificationKind
from matchmaker.review.notifications import notify
from matchmaker.webhooks import signing, transport
from matchmaker.webhooks.events import PING, deliveries_ready, owner_fields, record_event
from matchmaker.webhooks.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    Endpoint,
    EndpointStatus,
    Event,
)
from matchmaker.webhooks.targets import check_target
from projects.selectors import firm_members

CLAIM_SECONDS = 60  # longer than one attempt can take (connect + read timeouts)


def _audit(action: AuditAction, endpoint: Endpoint, by, **detail) -> None:
    audit_record(action=action, by=by, target=f"endpoint:{endpoint.pk}", detail=detail)


def _announce(delivery_ids: list[int]) -> None:
    if delivery_ids:
        transaction.on_commit(
            lambda: deliveries_ready.send(sender=Event, delivery_ids=delivery_ids)
        )


@transaction.atomic
def endpoint_create(
    *, organization, url: str, events: list[str], description: str = "", by
) -> Endpoint:
    """Register an endpoint; its secret is on the returned object, to show once."""
    check_target(url)
    endpoint = Endpoint.objects.create(
        url=url,
        events=sorted(set(events)),
        description=description,
        secret=signing.new_secret(),
        created_by=by,
        **owner_fields(organization),
    )
    _audit(AuditAction.ENDPOINT_CREATED, endpoint, by, url=url, events=endpoint.events)
    return endpoint


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, by, **changes) -> Endpoint:
    """Change the address, events or description; `active` pauses or resumes."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    if "url" in changes and changes["url"] != endpoint.url:
        check_target(changes["url"])
        endpoint.url = changes["url"]
    if "events" in changes:
        endpoint.events = sorted(set(changes["events"]))
    if "description" in changes:
        endpoint.description = changes["description"]
    endpoint.save()
    edited = sorted(set(changes) - {"active"})
    if edited:
        _audit(AuditAction.ENDPOINT_UPDATED, endpoint, by, fields=edited, url=endpoint.url)
    if "active" in changes:
        if changes["active"]:
            return endpoint_resume(endpoint=endpoint, by=by)
        return endpoint_pause(endpoint=endpoint, reason=_("Paused by its owner."), by=by)
    return endpoint


@transaction.atomic
def endpoint_pause(*, endpoint: Endpoint, reason: str, by=None) -> Endpoint:
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.status = EndpointStatus.PAUSED
    endpoint.paused_reason = reason[:300]
    endpoint.paused_at = timezone.now()
    endpoint.save(update_fields=["status", "paused_reason", "paused_at"])
    _audit(AuditAction.ENDPOINT_PAUSED, endpoint, by, reason=endpoint.paused_reason)
    return endpoint


@transaction.atomic
def endpoint_resume(*, endpoint: Endpoint, by) -> Endpoint:
    """Active again; every delivery it held is sent now."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.status = EndpointStatus.ACTIVE
    endpoint.paused_reason, endpoint.paused_at = "", None
    endpoint.consecutive_failures = 0
    endpoint.save(update_fields=["status", "paused_reason", "paused_at", "consecutive_failures"])
    _audit(AuditAction.ENDPOINT_RESUMED, endpoint, by)
    held = endpoint.deliveries.filter(state=DeliveryState.PENDING)
    held.update(next_attempt_at=timezone.now(), claimed_until=None)
    _announce(list(held.values_list("pk", flat=True)))
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, by) -> Endpoint:
    """A new secret (shown once); deliveries from now on are signed with it."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.secret = signing.new_secret()
    endpoint.save(update_fields=["secret"])
    _audit(AuditAction.ENDPOINT_SECRET_ROTATED, endpoint, by)  # never the secret itself
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint, by) -> None:
    _audit(AuditAction.ENDPOINT_DELETED, endpoint, by, url=endpoint.url)
    endpoint.delete()


@transaction.atomic
def endpoint_ping(*, endpoint: Endpoint, by) -> Delivery:
    """A test event to this endpoint alone, to check the receiver and its verification."""
    payload = {"endpoint_id": endpoint.pk, "message": "ping"}
    event = record_event(PING, endpoint.owner, payload, [endpoint])
    return event.deliveries.get()


@transaction.atomic
def delivery_replay(*, delivery: Delivery, by) -> Delivery:
    """Send the same event (same id, same body) again, with a fresh attempt budget."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.state = DeliveryState.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.claimed_until = None
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "claimed_until"])
    audit_record(
        action=AuditAction.DELIVERY_REPLAYED,
        by=by,
        target=f"delivery:{delivery.pk}",
        detail={"endpoint": delivery.endpoint_id},
    )
    if delivery.endpoint.active:
        _announce([delivery.pk])
    return delivery


def event_body(*, event: Event) -> bytes:
    """The delivery's body: the same bytes at every attempt and replay."""
    document = {
        "id": str(event.id),
        "type": event.type,
        "created_at": event.created_at.isoformat(),
        "organization": {
            "id": str(event.firm_id or event.institution_id),
            "kind": "firm" if event.firm_id else "institution",
        },
        "data": event.payload,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode()


def backoff(*, attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: doubling, capped."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def _claim(delivery_id: int, now) -> bool:
    return bool(
        Delivery.objects.filter(
            pk=delivery_id,
            state=DeliveryState.PENDING,
            endpoint__status=EndpointStatus.ACTIVE,
            next_attempt_at__lte=now,
        )
        .exclude(claimed_until__gt=now)
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )


def delivery_send(*, delivery_id: int, now=None) -> bool:
    """One attempt, if the delivery is due and not claimed by another worker. True when
    the receiver answered 2xx."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return False
    delivery = Delivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    body = event_body(event=delivery.event)
    headers = signing.signed_headers(
        delivery.endpoint.secret, body, str(delivery.event_id), delivery.event.type
    )
    headers[signing.DELIVERY_HEADER] = str(delivery.pk)
    started = time.monotonic()
    status_code, error = None, ""
    try:
        answer = transport.post(delivery.endpoint.url, body, headers)
        status_code = answer.status
        if not 200 <= answer.status < 300:
            error = _("The receiver answered %(status)s.") % {"status": answer.status}
    except transport.DeliveryFailed as failure:
        error = str(failure) or _("No answer.")
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record_attempt(delivery, now, status_code, error[:300], duration_ms)


@transaction.atomic
def _record_attempt(delivery: Delivery, now, status_code, error: str, duration_ms: int) -> bool:
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    DeliveryAttempt.objects.create(
        delivery=delivery, at=now, status_code=status_code, error=error, duration_ms=duration_ms
    )
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error
    delivery.claimed_until = None
    succeeded = not error
    if succeeded:
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        endpoint.consecutive_failures = 0
        endpoint.save(update_fields=["consecutive_failures"])
    else:
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.state = DeliveryState.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + backoff(attempts=delivery.attempts)
        endpoint.consecutive_failures += 1
        endpoint.save(update_fields=["consecutive_failures"])
        if (
            endpoint.active
            and endpoint.consecutive_failures >= settings.WEBHOOK_PAUSE_AFTER_FAILURES
        ):
            _pause_failing(endpoint)
    delivery.save()
    return succeeded


def _pause_failing(endpoint: Endpoint) -> None:
    """Pause an endpoint that keeps failing and tell its organisation's members."""
    reason = _("Paused after %(count)s failed attempts in a row.") % {
        "count": endpoint.consecutive_failures
    }
    endpoint = endpoint_pause(endpoint=endpoint, reason=reason)
    owner = endpoint.owner
    members = firm_members(owner) if endpoint.firm_id else institution_members(owner)
    for user in members:
        notify(
            user,
            NotificationKind.WEBHOOK_PAUSED,
            "webhook_paused",
            {"url": endpoint.url[:120]},
            reverse("webhooks:detail", args=[endpoint.pk]),
            dedupe_key=f"webhook-paused-{endpoint.pk}-{endpoint.paused_at:%Y%m%d%H%M%S%f}",
        )


def deliveries_due(*, now=None) -> list[int]:
    """Deliveries whose next attempt is due, on active endpoints (the sweeper sends them)."""
    now = now or timezone.now()
    due = (
        Delivery.objects.filter(
            state=DeliveryState.PENDING,
            next_attempt_at__lte=now,
            endpoint__status=EndpointStatus.ACTIVE,
        )
        .exclude(claimed_until__gt=now)
        .order_by("next_attempt_at", "id")
    )
    return list(due.values_list("pk", flat=True)[:1000])
