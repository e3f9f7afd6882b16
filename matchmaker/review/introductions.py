"""Double opt-in introductions: one side asks, the other answers; contacts and documents
open only on accept. Each write moves the match through the state machine's locked
`_move` in the same transaction, so the pipeline's history holds every step."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaker.dealroom.services import room_open
from matchmaker.models import (
    PACKAGE_REQUEST_MESSAGE,
    Introduction,
    IntroductionState,
    Match,
    MatchStatus,
)
from matchmaker.review.notifications import (
    notify_introduction_answered,
    notify_introduction_asked_by_firm,
    notify_introduction_requested,
)
from matchmaker.review.services import IllegalMove, _locked, _move, allowed_moves
from matchmaker.webhooks import announce

S = MatchStatus


def _open_introduction(
    match: Match, by, message: str, side: str, about_package: bool = False
) -> Introduction:
    """Must run inside a transaction; `side` is who asks (the other side answers)."""
    match = _locked(match)
    if S.INTRO_REQUESTED not in allowed_moves(match=match):
        raise IllegalMove(_("An introduction cannot be requested for this match now."))
    if not message.strip():
        raise ValidationError(_("Write a short message to the other side."))
    _move(match, S.INTRO_REQUESTED, by, note=message)
    introduction, _created = Introduction.objects.update_or_create(
        match=match,
        defaults={
            "message": message,
            "initiated_by": side,
            "about_package": about_package,
            "requested_by": by,
            "state": IntroductionState.REQUESTED,
            "answered_by": None,
            "answered_at": None,
        },
    )
    announce.introduction_changed(introduction)
    return introduction


@transaction.atomic
def introduction_request(*, match: Match, message: str, by) -> Introduction:
    """The institution asks the firm."""
    introduction = _open_introduction(match, by, message, Introduction.Side.INSTITUTION)
    notify_introduction_requested(introduction)
    return introduction


@transaction.atomic
def introduction_request_from_firm(
    *, match: Match, message: str, by, about_package: bool = False
) -> Introduction:
    """The firm asks an institution (for instance every member of a package); the
    institution accepts or refuses, as the firm would. A package request's message is the
    platform's sentence, shown in each reader's language (`Introduction.shown_message`)."""
    introduction = _open_introduction(
        match, by, message, Introduction.Side.FIRM, about_package=about_package
    )
    notify_introduction_asked_by_firm(introduction)
    return introduction


def package_introductions_request(*, package, firm, by) -> int:
    """The firm asks every member of a package at once; members already asked, declined
    or closed are skipped. Returns how many institutions were asked. Each member is its
    own transaction (with its own MatchEvent), so one refusal does not undo the others."""
    message = str(PACKAGE_REQUEST_MESSAGE) % {"firm": firm.name, "project": package.project.title}
    asked = 0
    for member in package.members.select_related("match"):
        try:
            introduction_request_from_firm(
                match=member.match, message=message, by=by, about_package=True
            )
            asked += 1
        except ValidationError:
            continue
    return asked


@transaction.atomic
def introduction_answer(
    *, introduction: Introduction, accept: bool, by, documents=None
) -> Introduction:
    """The other side's answer: accept (contacts open up, and the deal room, showing the
    project ``documents`` the firm consents to: None means all, as before rooms) or refuse."""
    introduction = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if introduction.state != IntroductionState.REQUESTED:
        raise IllegalMove(_("This introduction has already been answered."))
    match = _locked(introduction.match)
    introduction.state = IntroductionState.ACCEPTED if accept else IntroductionState.REFUSED
    introduction.answered_by = by
    introduction.answered_at = timezone.now()
    introduction.save(update_fields=["state", "answered_by", "answered_at"])
    _move(
        match,
        S.IN_TALKS if accept else S.CLOSED_LOST,
        by,
        note=_("Introduction %(state)s") % {"state": introduction.get_state_display().lower()},
    )
    if accept:
        room_open(introduction=introduction, documents=documents, by=by)
    notify_introduction_answered(introduction)
    announce.introduction_changed(introduction)
    return introduction


def refusal_undoable(*, introduction: Introduction, user) -> bool:
    """A refusal its author may take back: the same day (the page says so)."""
    return (
        introduction.state == IntroductionState.REFUSED
        and introduction.answered_by_id == user.pk
        and introduction.answered_at is not None
        and timezone.localdate(introduction.answered_at) == timezone.localdate()
    )


@transaction.atomic
def introduction_refusal_undo(*, introduction: Introduction, by) -> Introduction:
    """The request is open again, as before the refusal; the match back to "requested"."""
    introduction = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if not refusal_undoable(introduction=introduction, user=by):
        raise IllegalMove(_("Only your own refusal, on the day you made it, can be undone."))
    match = _locked(introduction.match)
    introduction.state = IntroductionState.REQUESTED
    introduction.answered_by, introduction.answered_at = None, None
    introduction.save(update_fields=["state", "answered_by", "answered_at"])
    _move(match, S.INTRO_REQUESTED, by, note=_("Refusal undone"))
    announce.introduction_changed(introduction)
    return introduction
