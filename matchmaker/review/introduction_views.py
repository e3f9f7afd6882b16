"""Answering an introduction, the same for either side: whoever received it answers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from matchmaker.models import Introduction
from matchmaker.review.introductions import introduction_answer, introduction_refusal_undo
from matchmaker.review.selectors import introductions_to_answer


def answer(request, pk: int, accept: bool) -> Introduction:
    """Accept or refuse an introduction the user's side received (else 404), with a message."""
    introduction = get_object_or_404(introductions_to_answer(request.user), pk=pk)
    try:
        introduction_answer(introduction=introduction, by=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if accept:
            messages.success(request, _("Accepted: you now see each other's contacts."))
        else:
            messages.success(
                request,
                _(
                    "Refused. The other side is told, without a reason. You can undo this "
                    "until the end of today."
                ),
            )
    return introduction


def undo_refusal_of(request, pk: int) -> Introduction:
    """Take back the user's own refusal of today (else a message saying why not)."""
    introduction = get_object_or_404(introductions_to_answer(request.user), pk=pk)
    try:
        introduction_refusal_undo(introduction=introduction, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Refusal undone: the request is open again."))
    return introduction
