"""What the deal room tells each side, through the platform's notifications (in-app, and
mailed to whoever wants e-mails), in the recipient's language."""

from django.urls import reverse

from investors.selectors import institution_members
from matchmaker.models import NotificationKind
from matchmaker.review.notifications import notify
from projects.selectors import firm_members


def _members(room, firm_side: bool):
    match = room.introduction.match
    if firm_side:
        return firm_members(match.project.firm)
    return institution_members(match.offering.institution)


def notify_items_requested(room, items) -> None:
    match = room.introduction.match
    for user in _members(room, firm_side=True):
        notify(
            user,
            NotificationKind.ROOM_REQUEST,
            "room_request",
            {
                "institution": match.offering.institution.name,
                "count": len(items),
                "project": match.project.title,
            },
            reverse("dealroom:room", args=[room.pk]),
            dedupe_key=f"room-request-{items[0].pk}",
        )


def notify_item_answered(item) -> None:
    room = item.room
    match = room.introduction.match
    for user in _members(room, firm_side=False):
        notify(
            user,
            NotificationKind.ROOM_ANSWER,
            "room_answer",
            {"firm": match.project.firm.name, "item": item.title, "project": match.project.title},
            reverse("dealroom:room", args=[room.pk]),
            dedupe_key=f"room-answer-{item.pk}",
        )


def notify_message(message) -> None:
    room = message.room
    match = room.introduction.match
    sender = match.project.firm.name if message.from_firm else match.offering.institution.name
    for user in _members(room, firm_side=not message.from_firm):
        notify(
            user,
            NotificationKind.ROOM_MESSAGE,
            "room_message",
            {"who": sender, "subject": message.thread.subject, "project": match.project.title},
            reverse("dealroom:thread", args=[message.thread_id]),
            dedupe_key=f"room-message-{message.pk}",
        )


def notify_document_withdrawn(consent) -> None:
    room = consent.room
    match = room.introduction.match
    for user in _members(room, firm_side=False):
        notify(
            user,
            NotificationKind.ROOM_DOCUMENT_WITHDRAWN,
            "room_withdrawn",
            {"firm": match.project.firm.name, "document": consent.document.original_name},
            reverse("dealroom:room", args=[room.pk]),
            dedupe_key=f"room-withdrawn-{consent.pk}-{consent.withdrawn_at:%Y%m%d%H%M%S%f}",
            email=False,
        )
