"""Who sees which room and what is in it: written once, for the pages and the API.

A room belongs to its introduction's two sides: the firm whose project it is and the
institution whose offering matched. Anyone else gets a 404 for every room id.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Max, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from investors.selectors import institution_of
from matchmaker.dealroom.models import (
    CHECKLIST_OF_INSTITUTION_TYPE,
    BoardColumn,
    ChecklistItem,
    DealRoom,
    ItemRequest,
    Message,
    SharedDocument,
    Thread,
    ThreadRead,
)
from matchmaker.models import AccessLog
from projects.selectors import firm_of

FIRM, INSTITUTION = "firm", "institution"


def side_of(user) -> str | None:
    """Which side of a room the user can be on: a firm's, an institution's, or neither."""
    if firm_of(user) is not None:
        return FIRM
    if institution_of(user) is not None:
        return INSTITUTION
    return None


def rooms_visible_to(user) -> QuerySet[DealRoom]:
    firm, institution = firm_of(user), institution_of(user)
    if firm is not None:
        condition = Q(introduction__match__project__firm=firm)
    elif institution is not None:
        condition = Q(introduction__match__offering__institution=institution)
    else:
        return DealRoom.objects.none()
    return DealRoom.objects.filter(condition).select_related(
        "introduction__match__project__firm", "introduction__match__offering__institution"
    )


def room_of(user, pk: int) -> DealRoom:
    """One room of the user's organisation, or 404."""
    return get_object_or_404(rooms_visible_to(user), pk=pk)


def room_of_match(match) -> DealRoom | None:
    return DealRoom.objects.filter(introduction__match=match).first()


def requests_visible_to(user) -> QuerySet[ItemRequest]:
    return ItemRequest.objects.filter(room__in=rooms_visible_to(user)).select_related(
        "checklist_item", "room"
    )


def threads_visible_to(user) -> QuerySet[Thread]:
    return Thread.objects.filter(room__in=rooms_visible_to(user))


def messages_visible_to(user) -> QuerySet[Message]:
    return Message.objects.filter(room__in=rooms_visible_to(user))


def shared_documents(room: DealRoom) -> QuerySet[SharedDocument]:
    """The documents the firm still consents to show in the room."""
    return room.shared.filter(withdrawn_at__isnull=True).select_related("document")


def shared_document(room: DealRoom, document_pk: int) -> SharedDocument:
    """A document the room shows now, or 404 (withdrawn consent is a 404 at once)."""
    return get_object_or_404(shared_documents(room), document_id=document_pk)


def document_shared_for_match(match, document_pk: int):
    """The project document an institution may open through this match: only one the firm
    consented to show in the match's room and has not withdrawn. None otherwise."""
    consent = (
        SharedDocument.objects.filter(
            room__introduction__match=match, document_id=document_pk, withdrawn_at__isnull=True
        )
        .select_related("document")
        .first()
    )
    return consent.document if consent else None


def documents_shown_for_match(match) -> list:
    return [
        consent.document
        for consent in SharedDocument.objects.filter(
            room__introduction__match=match, withdrawn_at__isnull=True
        ).select_related("document")
    ]


def checklist_for(institution) -> QuerySet[ChecklistItem]:
    kind = CHECKLIST_OF_INSTITUTION_TYPE.get(institution.institution_type)
    return ChecklistItem.objects.filter(kind=kind, active=True)


@dataclass
class Board:
    """The room's requests in the three columns both sides see."""

    open: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    answered: list = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            BoardColumn.OPEN: len(self.open),
            BoardColumn.OVERDUE: len(self.overdue),
            BoardColumn.ANSWERED: len(self.answered),
        }


def board(room: DealRoom, today: date | None = None) -> Board:
    today = today or timezone.localdate()
    result = Board()
    for item in room.requests.select_related("checklist_item", "answered_by"):
        getattr(result, item.column(today)).append(item)
    return result


def read_marks(thread: Thread) -> list[ThreadRead]:
    return list(thread.reads.select_related("user"))


def receipts(thread: Thread, messages: list[Message]) -> None:
    """Set ``message.read_by``: the people of the other side who have read it."""
    marks = read_marks(thread)
    for message in messages:
        message.read_by = [
            mark
            for mark in marks
            if mark.from_firm != message.from_firm and mark.read_at >= message.sent_at
        ]


def unread_threads(room: DealRoom, user, from_firm: bool) -> set[int]:
    """Threads with a message from the other side newer than the user's read mark (two
    queries, however many threads)."""
    marks = dict(
        ThreadRead.objects.filter(thread__room=room, user=user).values_list("thread_id", "read_at")
    )
    latest = room.threads.annotate(
        last_other=Max("messages__sent_at", filter=Q(messages__from_firm=not from_firm))
    ).values_list("pk", "last_other")
    return {
        pk
        for pk, last_other in latest
        if last_other is not None and (pk not in marks or marks[pk] < last_other)
    }


def access_log_search(
    *,
    firm_id=None,
    institution_id=None,
    user_query: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AccessLog]:
    """Every logged view and download of firms' confidential items, newest first,
    narrowed by firm, institution, person (user name, e-mail or full name) and dates."""
    entries = AccessLog.objects.select_related(
        "user", "institution", "project__firm", "document", "room"
    )
    if firm_id is not None:
        entries = entries.filter(project__firm_id=firm_id)
    if institution_id is not None:
        entries = entries.filter(institution_id=institution_id)
    if user_query:
        entries = entries.filter(
            Q(user__username__icontains=user_query)
            | Q(user__email__icontains=user_query)
            | Q(user__first_name__icontains=user_query)
            | Q(user__last_name__icontains=user_query)
        )
    zone = timezone.get_current_timezone()
    if since is not None:
        entries = entries.filter(
            at__gte=timezone.make_aware(datetime.combine(since, time.min), zone)
        )
    if until is not None:
        end = timezone.make_aware(datetime.combine(until, time.max), zone)
        entries = entries.filter(at__lte=end)
    return entries.order_by("-at", "-id")
