"""The registry of event types, and `emit`, the one call other areas make.

The registry is open: an area registers its own types (the deal room, the programme's
entitlements) with `register_event_type` at import time of its module, and calls `emit`
inside the transaction of its change. Nothing here imports those areas.

`emit` writes the event and one delivery per endpoint of that organisation subscribed to
it, in the caller's transaction (an outbox: no change without its event, no event without
its change), and announces the deliveries after commit; `matchmaker.signals` sends them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import OrganizationKind
from matchmaker.webhooks.models import Delivery, DeliveryState, Endpoint, EndpointStatus, Event

# Sent after commit with kwargs delivery_ids: deliveries ready to be sent now.
deliveries_ready = Signal()

FIRM, INSTITUTION = OrganizationKind.FIRM, OrganizationKind.INSTITUTION


@dataclass(frozen=True)
class EventType:
    code: str
    label: Promise
    audiences: frozenset[str]  # which kinds of organisation may subscribe


EVENT_TYPES: dict[str, EventType] = {}


def register_event_type(code: str, label: Promise, audiences=(FIRM, INSTITUTION)) -> EventType:
    """Add an event type organisations can subscribe to (idempotent for the same code)."""
    event_type = EventType(code, label, frozenset(audiences))
    EVENT_TYPES[code] = event_type
    return event_type


def event_types_for(kind: str) -> list[EventType]:
    return [t for t in EVENT_TYPES.values() if kind in t.audiences]


# The review's events (emitted by `webhooks.announce`, called from the review services).
MATCH_CREATED = register_event_type("match.created", _("New matches"))
MATCH_DECIDED = register_event_type("match.decided", _("A decision on a match"))
INTRODUCTION_REQUESTED = register_event_type("introduction.requested", _("Introduction requested"))
INTRODUCTION_ACCEPTED = register_event_type("introduction.accepted", _("Introduction accepted"))
INTRODUCTION_REFUSED = register_event_type("introduction.refused", _("Introduction refused"))
MATCH_MOVED = register_event_type("match.moved", _("Pipeline move"))
DOCUMENT_SHARED = register_event_type(
    "document.shared", _("Document shared"), audiences=(INSTITUTION,)
)
# A test delivery the organisation asks for; never chosen, always allowed.
PING = "ping"


def event_label(code: str) -> str:
    """What a person reads for an event code (the code itself if no area registered it)."""
    if code == PING:
        return str(_("Test event"))
    event_type = EVENT_TYPES.get(code)
    return str(event_type.label) if event_type else code


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


def emit(event_type: str, organization, payload_builder: Callable[[], dict]) -> Event | None:
    """Record `event_type` for `organization` (a Firm, an Institution or an
    `Organization`) if any of its endpoints chose it.

    `payload_builder` is called only then, and must build what this organisation may see
    (through the selectors and serializers its API answers with). Call it inside the
    transaction of the change. Payloads are written in the deployment's language."""
    if event_type not in EVENT_TYPES:
        raise KeyError(f"Unknown webhook event type {event_type!r}: register it first.")
    endpoints = subscribed_endpoints(event_type, organization)
    if not endpoints:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        payload = payload_builder()
    return record_event(event_type, organization, payload, endpoints)
