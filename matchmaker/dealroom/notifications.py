"""What the deal room tells each side, through the platform's notifications (in-app, and
mailed to whoever wants e-mails), in the recipient's language."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

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
            gettext_lazy("%(institution)s asks for %(count)s items about “%(project)s”."),
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
            gettext_lazy("%(firm)s answered “%(item)s” in the deal room of “%(project)s”."),
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
            gettext_lazy("%(who)s wrote in “%(subject)s” (deal room of “%(project)s”)."),
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
            gettext_lazy("%(firm)s no longer shares “%(document)s” in the deal room."),
            {"firm": match.project.firm.name, "document": consent.document.original_name},
            reverse("dealroom:room", args=[room.pk]),
            dedupe_key=f"room-withdrawn-{consent.pk}-{consent.withdrawn_at:%Y%m%d%H%M%S%f}",
            email=False,
        )
