"""Writes in the deal room, one transaction each, each writing its `RoomEvent` row.

A closed match's room is read-only: every write here refuses it (409 in the API). Who may
write what: the institution asks for items; the firm answers them and decides which of its
documents the room shows; both sides ask and answer questions.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from investors.selectors import institution_of
from matchmaker.dealroom import notifications
from matchmaker.dealroom.models import (
    AnswerKind,
    ChecklistItem,
    DealRoom,
    ItemRequest,
    Message,
    RequestState,
    RoomEvent,
    RoomEventKind,
    SharedDocument,
    Thread,
    ThreadRead,
)
from matchmaker.models import AccessLog
from matchmaker.vocabulary import StateConflict
from projects.documents import validate_document
from projects.models import Document
from projects.selectors import firm_of

# A person reading a room for a while is one line of the record, not one per page load.
ROOM_VIEW_WINDOW = timedelta(hours=1)


class RoomClosed(StateConflict):
    """The match is closed: its room can be read, never changed."""


def _writable(room: DealRoom) -> DealRoom:
    room = DealRoom.objects.select_for_update().get(pk=room.pk)
    if room.read_only:
        raise RoomClosed(_("This deal room is closed with its match: it can be read, not changed."))
    return room


def _is_firm_side(room: DealRoom, by) -> bool:
    """True for the room's firm, False for its institution; anyone else is refused."""
    match = room.introduction.match
    firm = firm_of(by)
    if firm is not None and firm.pk == match.project.firm_id:
        return True
    institution = institution_of(by)
    if institution is not None and institution.pk == match.offering.institution_id:
        return False
    raise PermissionDenied


def _require(room: DealRoom, by, firm_side: bool) -> None:
    if _is_firm_side(room, by) != firm_side:
        raise PermissionDenied


def _event(room: DealRoom, kind: str, by, subject: str = "", item=None) -> RoomEvent:
    return RoomEvent.objects.create(room=room, kind=kind, user=by, subject=subject[:255], item=item)


def _attach(target, upload: UploadedFile | None) -> None:
    """Keep an upload on the row (private storage); the same limits as project documents."""
    if upload is None:
        return
    validate_document(upload)
    target.file_name = upload.name[:255]
    target.file_size = upload.size
    target.file.save(upload.name, upload, save=False)


@transaction.atomic
def room_open(*, introduction, documents=None, by) -> DealRoom:
    """The room of an accepted introduction, with the firm's consent: ``documents`` are
    the project's documents the room may show (None: all of them, as accepting did before
    rooms existed). Opening twice returns the same room."""
    room, created = DealRoom.objects.get_or_create(introduction=introduction)
    if not created:
        return room
    _event(room, RoomEventKind.OPENED, by)
    project_documents = Document.objects.filter(project_id=introduction.match.project_id)
    if documents is not None:
        project_documents = project_documents.filter(pk__in=[d.pk for d in documents])
    for document in project_documents:
        SharedDocument.objects.create(room=room, document=document, shared_by=by)
        _event(room, RoomEventKind.SHARED, by, document.original_name)
    return room


@transaction.atomic
def item_requests_create(
    *,
    room: DealRoom,
    checklist_items: list[ChecklistItem] = (),
    titles: list[str] = (),
    due_on: date,
    by,
) -> list[ItemRequest]:
    """The institution asks for checklist items and items in its own words, by a date."""
    room = _writable(room)
    _require(room, by, firm_side=False)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    if not checklist_items and not titles:
        raise ValidationError(_("Choose at least one item or write one."))
    items = [
        ItemRequest.objects.create(room=room, checklist_item=item, due_on=due_on, requested_by=by)
        for item in checklist_items
    ] + [
        ItemRequest.objects.create(room=room, title_text=title, due_on=due_on, requested_by=by)
        for title in titles
    ]
    for item in items:
        _event(room, RoomEventKind.REQUESTED, by, item.title, item=item)
    notifications.notify_items_requested(room, items)
    return items


@transaction.atomic
def item_request_answer(
    *,
    item: ItemRequest,
    kind: str,
    text: str = "",
    upload: UploadedFile | None = None,
    by,
) -> ItemRequest:
    """The firm answers one request: a file, a written answer, or "not applicable" with
    a reason (the reason is the text)."""
    room = _writable(item.room)
    _require(room, by, firm_side=True)
    item = ItemRequest.objects.select_for_update().get(pk=item.pk)
    if item.state != RequestState.OPEN:
        raise StateConflict(_("This item has already been answered."))
    text = (text or "").strip()
    if kind == AnswerKind.UPLOAD:
        if upload is None:
            raise ValidationError({"file": _("Choose a file to upload.")})
        _attach(item, upload)
        item.state = RequestState.ANSWERED
    elif kind == AnswerKind.TEXT:
        if not text:
            raise ValidationError({"text": _("Write your answer.")})
        item.state = RequestState.ANSWERED
    elif kind == AnswerKind.NOT_APPLICABLE:
        if not text:
            raise ValidationError({"text": _("Say why this item does not apply.")})
        item.state = RequestState.NOT_APPLICABLE
    else:
        raise ValidationError({"kind": _("Choose how you answer.")})
    item.answer_text = text
    item.answered_by, item.answered_at = by, timezone.now()
    item.save()
    kind_of_event = (
        RoomEventKind.NOT_APPLICABLE
        if item.state == RequestState.NOT_APPLICABLE
        else RoomEventKind.ANSWERED
    )
    _event(room, kind_of_event, by, item.title, item=item)
    notifications.notify_item_answered(item)
    return item


@transaction.atomic
def document_share(*, room: DealRoom, document: Document, by) -> SharedDocument:
    """The firm lets the room show one more of its project's documents (or again)."""
    room = _writable(room)
    _require(room, by, firm_side=True)
    if document.project_id != room.introduction.match.project_id:
        raise PermissionDenied
    consent, created = SharedDocument.objects.select_for_update().get_or_create(
        room=room, document=document, defaults={"shared_by": by}
    )
    if not created:
        if consent.active:
            return consent
        consent.withdrawn_at, consent.withdrawn_by = None, None
        consent.shared_at, consent.shared_by = timezone.now(), by
        consent.save()
    _event(room, RoomEventKind.SHARED, by, document.original_name)
    return consent


@transaction.atomic
def document_withdraw(*, consent: SharedDocument, by) -> SharedDocument:
    """The firm takes a document back: the institution cannot open it from now on.

    Allowed in a closed room too: consent to show a file is the firm's to end at any
    time, whatever became of the deal."""
    room = DealRoom.objects.select_for_update().get(pk=consent.room_id)
    _require(room, by, firm_side=True)
    consent = SharedDocument.objects.select_for_update().get(pk=consent.pk)
    if not consent.active:
        return consent
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), by
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    _event(room, RoomEventKind.WITHDRAWN, by, consent.document.original_name)
    notifications.notify_document_withdrawn(consent)
    return consent


def _post(thread: Thread, room: DealRoom, body: str, upload, by, from_firm: bool) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your message.")})
    message = Message(thread=thread, room=room, author=by, from_firm=from_firm, body=body)
    _attach(message, upload)
    message.save()
    thread.last_message_at = message.sent_at
    thread.save(update_fields=["last_message_at"])
    ThreadRead.objects.update_or_create(
        thread=thread, user=by, defaults={"from_firm": from_firm, "read_at": message.sent_at}
    )
    notifications.notify_message(message)
    return message


@transaction.atomic
def thread_start(*, room: DealRoom, subject: str, body: str, upload=None, by) -> Thread:
    """Either side asks a question: a new thread with its first message."""
    room = _writable(room)
    from_firm = _is_firm_side(room, by)
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Give the question a subject.")})
    thread = Thread.objects.create(room=room, subject=subject, started_by=by)
    _post(thread, room, body, upload, by, from_firm)
    _event(room, RoomEventKind.ASKED, by, subject)
    return thread


@transaction.atomic
def message_post(*, thread: Thread, body: str, upload=None, by) -> Message:
    """A reply in a thread, from either side."""
    room = _writable(thread.room)
    from_firm = _is_firm_side(room, by)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    message = _post(thread, room, body, upload, by, from_firm)
    _event(room, RoomEventKind.REPLIED, by, thread.subject)
    return message


@transaction.atomic
def thread_mark_read(*, thread: Thread, by) -> ThreadRead:
    """The person has read the thread up to now: the other side sees the receipt."""
    from_firm = _is_firm_side(thread.room, by)
    mark, _created = ThreadRead.objects.update_or_create(
        thread=thread, user=by, defaults={"from_firm": from_firm, "read_at": timezone.now()}
    )
    return mark


@transaction.atomic
def room_view_record(*, room: DealRoom, by, what: str = "") -> AccessLog | None:
    """Log that someone at the institution opened the room (or one of its threads,
    ``what``), once per hour per person and page. The firm's own people are not logged:
    it is their own material."""
    institution = institution_of(by)
    match = room.introduction.match
    if institution is None or institution.pk != match.offering.institution_id:
        return None
    name = (what or match.project.title)[:255]
    # Look-then-write under a lock on the person's own row (as `access_record_view`), so
    # two page loads at once cannot both find nothing and both write.
    get_user_model().objects.select_for_update().filter(pk=by.pk).first()
    recent = AccessLog.objects.filter(
        kind=AccessLog.Kind.ROOM_VIEW,
        user=by,
        room=room,
        item_name=name,
        at__gte=timezone.now() - ROOM_VIEW_WINDOW,
    )
    if recent.exists():
        return None
    return AccessLog.objects.create(
        kind=AccessLog.Kind.ROOM_VIEW,
        user=by,
        institution=institution,
        project_id=match.project_id,
        room=room,
        item_name=name,
    )


@transaction.atomic
def room_download_record(*, room: DealRoom, name: str, document=None, by) -> AccessLog | None:
    """Every download by the institution from the room is one line of the record."""
    institution = institution_of(by)
    match = room.introduction.match
    if institution is None or institution.pk != match.offering.institution_id:
        return None
    return AccessLog.objects.create(
        kind=AccessLog.Kind.ROOM_DOWNLOAD,
        user=by,
        institution=institution,
        project_id=match.project_id,
        room=room,
        document=document,
        item_name=name[:255],
    )
