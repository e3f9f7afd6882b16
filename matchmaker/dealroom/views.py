"""The deal room's pages, for both sides of an accepted introduction.

Every id-taking view starts from `selectors` (another organisation's room is a 404);
forms validate; `services` write. The institution's views and downloads are logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchmaker.dealroom import selectors, services
from matchmaker.dealroom.deadlines import responsiveness_of
from matchmaker.dealroom.forms import AnswerForm, ItemRequestForm, ReplyForm, ThreadForm
from matchmaker.dealroom.models import AnswerKind, SharedDocument


def member_required(view):
    """Members of a firm or an institution; sets ``request.side``."""

    @login_required
    def wrapper(request, *args, **kwargs):
        request.side = selectors.side_of(request.user)
        if request.side is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _firm_side(request) -> bool:
    return request.side == selectors.FIRM


def _errors_to_messages(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@member_required
def room_list(request):
    rooms = selectors.rooms_visible_to(request.user).order_by("-opened_at", "-id")
    return render(request, "dealroom/room_list.html", {"rooms": rooms})


def _room_page(
    request, room, *, request_form=None, answer_forms=None, thread_form=None, status=200
):
    firm_side = _firm_side(request)
    match = room.introduction.match
    consents = list(room.shared.select_related("document").order_by("document__original_name"))
    shared_ids = {consent.document_id for consent in consents if consent.active}
    context = {
        "room": room,
        "match": match,
        "firm_side": firm_side,
        "board": selectors.board(room),
        "consents": consents if firm_side else [c for c in consents if c.active],
        "unshared": (match.project.documents.exclude(pk__in=shared_ids) if firm_side else []),
        "threads": room.threads.all(),
        "unread": selectors.unread_threads(room, request.user, firm_side),
        "events": room.events.select_related("user", "item__checklist_item")[:30],
        "answer_kinds": AnswerKind.choices,
        "answer_forms": answer_forms or {},
        "thread_form": thread_form or ThreadForm(),
        "responsiveness": responsiveness_of(match.offering.institution) if firm_side else None,
    }
    if not firm_side and not room.read_only:
        context["request_form"] = request_form or ItemRequestForm(
            checklist=selectors.checklist_for(match.offering.institution)
        )
    for column in (context["board"].open, context["board"].overdue):
        for item in column:
            item.form = (answer_forms or {}).get(item.pk) or AnswerForm(prefix=f"item{item.pk}")
    return render(request, "dealroom/room.html", context, status=status)


@member_required
def room_detail(request, pk: int):
    room = selectors.room_of(request.user, pk)
    services.room_view_record(room=room, by=request.user)
    return _room_page(request, room)


@require_POST
@member_required
def request_create(request, pk: int):
    room = selectors.room_of(request.user, pk)
    if _firm_side(request):
        raise PermissionDenied
    form = ItemRequestForm(
        request.POST,
        checklist=selectors.checklist_for(room.introduction.match.offering.institution),
    )
    if not form.is_valid():
        return _room_page(request, room, request_form=form, status=400)
    try:
        items = services.item_requests_create(
            room=room,
            checklist_items=list(form.cleaned_data["checklist_items"]),
            titles=form.cleaned_data["other_items"],
            due_on=form.cleaned_data["due_on"],
            by=request.user,
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request, _("Asked for %(count)s items; the firm is told.") % {"count": len(items)}
        )
    return redirect("dealroom:room", pk=room.pk)


@require_POST
@member_required
def request_answer(request, pk: int):
    item = get_object_or_404(selectors.requests_visible_to(request.user), pk=pk)
    if not _firm_side(request):
        raise PermissionDenied
    form = AnswerForm(request.POST, request.FILES, prefix=f"item{item.pk}")
    if not form.is_valid():
        return _room_page(request, item.room, answer_forms={item.pk: form}, status=400)
    try:
        services.item_request_answer(
            item=item,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            upload=form.cleaned_data.get("file"),
            by=request.user,
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Answered “%(item)s”.") % {"item": item.title})
    return redirect("dealroom:room", pk=item.room_id)


def _file_response(request, room, field, name: str, document=None):
    if not field:
        raise Http404
    services.room_download_record(room=room, name=name, document=document, by=request.user)
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)


@member_required
def request_file(request, pk: int):
    item = get_object_or_404(selectors.requests_visible_to(request.user), pk=pk)
    return _file_response(request, item.room, item.file, item.file_name)


@member_required
def room_document(request, pk: int, document_pk: int):
    """A document the firm shares in the room; withdrawn consent is a 404 at once."""
    room = selectors.room_of(request.user, pk)
    consent = selectors.shared_document(room, document_pk)
    document = consent.document
    return _file_response(request, room, document.file, document.original_name, document)


def _consent_change(request, pk: int, document_pk: int, share: bool):
    room = selectors.room_of(request.user, pk)
    if not _firm_side(request):
        raise PermissionDenied
    document = get_object_or_404(room.introduction.match.project.documents, pk=document_pk)
    try:
        if share:
            services.document_share(room=room, document=document, by=request.user)
        else:
            consent = get_object_or_404(SharedDocument, room=room, document=document)
            services.document_withdraw(consent=consent, by=request.user)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request,
            _("Shared %(name)s in the deal room.") % {"name": document.original_name}
            if share
            else _("Withdrawn: the institution can no longer open %(name)s.")
            % {"name": document.original_name},
        )
    return redirect("dealroom:room", pk=room.pk)


@require_POST
@member_required
def document_share(request, pk: int, document_pk: int):
    return _consent_change(request, pk, document_pk, share=True)


@require_POST
@member_required
def document_withdraw(request, pk: int, document_pk: int):
    return _consent_change(request, pk, document_pk, share=False)


@require_POST
@member_required
def thread_create(request, pk: int):
    room = selectors.room_of(request.user, pk)
    form = ThreadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _room_page(request, room, thread_form=form, status=400)
    try:
        thread = services.thread_start(
            room=room,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            upload=form.cleaned_data.get("file"),
            by=request.user,
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect("dealroom:room", pk=room.pk)
    messages.success(request, _("Question sent; the other side is told."))
    return redirect("dealroom:thread", pk=thread.pk)


def _thread_page(request, thread, form=None, status=200):
    items = list(thread.messages.select_related("author"))
    selectors.receipts(thread, items)
    context = {
        "thread": thread,
        "room": thread.room,
        "items": items,
        "form": form or ReplyForm(),
        "firm_side": _firm_side(request),
    }
    return render(request, "dealroom/thread.html", context, status=status)


@member_required
def thread_detail(request, pk: int):
    thread = get_object_or_404(
        selectors.threads_visible_to(request.user).select_related("room__introduction__match"),
        pk=pk,
    )
    services.thread_mark_read(thread=thread, by=request.user)
    services.room_view_record(room=thread.room, by=request.user, what=thread.subject)
    return _thread_page(request, thread)


@require_POST
@member_required
def thread_reply(request, pk: int):
    thread = get_object_or_404(selectors.threads_visible_to(request.user), pk=pk)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _thread_page(request, thread, form=form, status=400)
    try:
        services.message_post(
            thread=thread,
            body=form.cleaned_data["body"],
            upload=form.cleaned_data.get("file"),
            by=request.user,
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Reply sent."))
    return redirect("dealroom:thread", pk=thread.pk)


@member_required
def message_file(request, pk: int):
    message = get_object_or_404(selectors.messages_visible_to(request.user), pk=pk)
    return _file_response(request, message.room, message.file, message.file_name)
