"""The open registry of webhook event types: what an organisation can subscribe to.

An area registers its own types at import time of its module (the deal room, the
programme's entitlements) with `register_event_type`; nothing here imports those areas,
nor any model, so models and templates may read labels from here.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import OrganizationKind

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
