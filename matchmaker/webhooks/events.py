"""`emit`, the one call other areas make (the registry of event types is in `registry`,
re-exported here: an area registers its types with `register_event_type`, then calls
`emit` inside the transaction of its change). Nothing here imports those areas.

`emit` writes the event and one delivery per endpoint of that organisation subscribed to
it, in the caller's transaction (an outbox: no change without its event, no event without
its change), and announces the deliveries after commit; `matchmaker.signals` sends them.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone, translation

from matchmaker.vocabulary import OrganizationKind
from matchmaker.webhooks.models import Delivery, DeliveryState, Endpoint, EndpointStatus, Event
from matchmaker.webhooks.registry import (  # noqa: F401  (the registry's names, re-exported)
    DOCUMENT_SHARED,
    EVENT_TYPES,
    INTRODUCTION_ACCEPTED,
    INTRODUCTION_REFUSED,
    INTRODUCTION_REQUESTED,
    MATCH_CREATED,
    MATCH_DECIDED,
    MATCH_MOVED,
    PING,
    EventType,
    event_label,
    event_types_for,
    register_event_type,
)

# Sent after commit with kwargs delivery_ids: deliveries ready to be sent now.
deliveries_ready = Signal()

FIRM, INSTITUTION = OrganizationKind.FIRM, OrganizationKind.INSTITUTION


def owner_kind(record) -> str:
    """`firm` or `institution` for a Firm, an Institution or an `Organization`."""
    record = getattr(record, "record", record)
    return FIRM if record._meta.model_name == "firm" else INSTITUTION


def owner_fields(record) -> dict:
    record = getattr(record, "record", record)
    return {owner_kind(record): record}


def subscribed_endpoints(event_type: str, organization) -> list[Endpoint]:
    """Endpoints of the organisation that chose this event (paused ones too: they hold
    their deliveries until resumed)."""
    endpoints = Endpoint.objects.filter(**owner_fields(organization))
    return [endpoint for endpoint in endpoints if event_type in endpoint.events]


def subscribers_among(
    event_type: str, *, firm_ids: Iterable[int], institution_ids: Iterable[int]
) -> dict[tuple[str, int], list[Endpoint]]:
    """The endpoints that chose this event, per (`firm` or `institution`, id), for many
    organisations in one query: a re-score touches thousands, and most have no endpoint."""
    found: dict[tuple[str, int], list[Endpoint]] = defaultdict(list)
    endpoints = Endpoint.objects.filter(
        Q(firm_id__in=list(firm_ids)) | Q(institution_id__in=list(institution_ids))
    )
    for endpoint in endpoints:
        if event_type in endpoint.events:
            if endpoint.firm_id is not None:
                found[(FIRM, endpoint.firm_id)].append(endpoint)
            else:
                found[(INSTITUTION, endpoint.institution_id)].append(endpoint)
    return found


def record_event(event_type: str, organization, payload: dict, endpoints: list[Endpoint]) -> Event:
    """Write the event and its deliveries; announce the active ones after commit."""
    now = timezone.now()
    event = Event.objects.create(
        type=event_type, payload=payload, created_at=now, **owner_fields(organization)
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(event=event, endpoint=endpoint, next_attempt_at=now, state=DeliveryState.PENDING)
        for endpoint in endpoints
    )
    ready = [
        delivery.pk
        for delivery, endpoint in zip(deliveries, endpoints, strict=True)
        if endpoint.status == EndpointStatus.ACTIVE
    ]
    if ready:
        transaction.on_commit(lambda: deliveries_ready.send(sender=Event, delivery_ids=ready))
    return event


def emit(
    event_type: str,
    organization,
    payload_builder: Callable[[], dict],
    endpoints: list[Endpoint] | None = None,
) -> Event | None:
    """Record `event_type` for `organization` (a Firm, an Institution or an
    `Organization`) if any of its endpoints chose it.

    `payload_builder` is called only then, and must build what this organisation may see
    (through the selectors and serializers its API answers with). Call it inside the
    transaction of the change. Payloads are written in the deployment's language.
    `endpoints`, when the caller looked them up already (`subscribers_among`), saves the
    query."""
    if event_type not in EVENT_TYPES:
        raise KeyError(f"Unknown webhook event type {event_type!r}: register it first.")
    if endpoints is None:
        endpoints = subscribed_endpoints(event_type, organization)
    if not endpoints:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        payload = payload_builder()
    return record_event(event_type, organization, payload, endpoints)
