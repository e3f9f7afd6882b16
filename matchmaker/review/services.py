"""The review of a match by people: a small state machine, and double opt-in introductions.

Every move is one transaction that locks the match row and checks the status it expects,
so two people clicking at once cannot corrupt it, and each move is logged as a MatchEvent
(the pipeline's history, and what "undo" reverts).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaker.models import (
    AccessLog,
    DeclineReason,
    Introduction,
    IntroductionState,
    Match,
    MatchEvent,
    MatchStatus,
    SavedView,
)
from matchmaker.review.notifications import (
    notify_introduction_answered,
    notify_introduction_asked_by_firm,
    notify_introduction_requested,
    notify_shortlisted,
)
from matchmaker.review.rules import decline_note_problem
from matchmaker.vocabulary import StateConflict
from matchmaker.webhooks import announce
from projects.models import ProjectStatus

S = MatchStatus
INSTITUTION_MOVES = {
    S.NEW: {S.SHORTLISTED, S.DECLINED, S.INTRO_REQUESTED},
    S.SHORTLISTED: {S.DECLINED, S.INTRO_REQUESTED},
    S.IN_TALKS: {S.TERM_SHEET, S.CLOSED_LOST},
    S.TERM_SHEET: {S.CLOSED_WON, S.CLOSED_LOST},
}
UNDOABLE = {S.SHORTLISTED, S.DECLINED, S.INTRO_REQUESTED}
PIPELINE = [
    S.NEW,
    S.SHORTLISTED,
    S.INTRO_REQUESTED,
    S.IN_TALKS,
    S.TERM_SHEET,
    S.CLOSED_WON,
    S.CLOSED_LOST,
]


class IllegalMove(StateConflict):
    """A move the review state machine does not allow from where the match stands."""


def allowed_moves(match: Match) -> set[str]:
    moves = set(INSTITUTION_MOVES.get(match.status, set()))
    if not match.eligible or match.project.status != ProjectStatus.SUBMITTED:
        moves -= {S.SHORTLISTED, S.INTRO_REQUESTED}
    return moves


def _locked(match: Match) -> Match:
    return Match.objects.select_for_update().select_related("project", "offering").get(pk=match.pk)


# Sent after commit with kwargs offering_id: an institution decided on one of the
# offering's matches (what `review.learning` learns from). `matchmaker.signals` connects it.
decision_made = Signal()


def _move(match: Match, to_status: str, user, **event_fields) -> Match:
    """Must run inside a transaction with ``match`` locked."""
    event = MatchEvent.objects.create(
        match=match, from_status=match.status, to_status=to_status, user=user, **event_fields
    )
    match.status = to_status
    match.status_changed_at = event.at
    match.save(update_fields=["status", "status_changed_at"])
    offering_id = match.offering_id
    transaction.on_commit(lambda: decision_made.send(sender=Match, offering_id=offering_id))
    return match


@transaction.atomic
def move(match: Match, to_status: str, user, note: str = "") -> Match:
    """The institution moves a match along its pipeline."""
    match = _locked(match)
    if to_status == S.INTRO_REQUESTED:
        raise IllegalMove(_("Request an introduction with a message instead."))
    if to_status not in allowed_moves(match):
        raise IllegalMove(
            _("A match that is “%(status)s” cannot move to “%(target)s”.")
            % {"status": match.get_status_display(), "target": S(to_status).label}
        )
    from_status = match.status
    match = _move(match, to_status, user, note=note)
    if to_status == S.SHORTLISTED:
        notify_shortlisted(match)
        announce.match_decided(match)
    elif to_status == S.DECLINED:
        announce.match_decided(match)
    else:
        announce.match_moved(match, from_status)
    return match


@transaction.atomic
def decline(match: Match, user, reason: str, note: str = "") -> Match:
    match = _locked(match)
    if S.DECLINED not in allowed_moves(match):
        raise IllegalMove(_("This match can no longer be declined."))
    if reason not in DeclineReason.values:
        raise ValidationError(_("Choose a reason."))
    problem = decline_note_problem(reason, note)
    if problem:
        raise ValidationError(problem)
    match = _move(match, S.DECLINED, user, reason=reason, note=note)
    announce.match_decided(match)
    return match


def _open_introduction(match: Match, user, message: str, side: str) -> Introduction:
    """Must run inside a transaction; `side` is who asks (the other side answers)."""
    match = _locked(match)
    if S.INTRO_REQUESTED not in allowed_moves(match):
        raise IllegalMove(_("An introduction cannot be requested for this match now."))
    if not message.strip():
        raise ValidationError(_("Write a short message to the other side."))
    _move(match, S.INTRO_REQUESTED, user, note=message)
    introduction, _created = Introduction.objects.update_or_create(
        match=match,
        defaults={
            "message": message,
            "initiated_by": side,
            "requested_by": user,
            "state": IntroductionState.REQUESTED,
            "answered_by": None,
            "answered_at": None,
        },
    )
    announce.introduction_changed(introduction)
    return introduction


@transaction.atomic
def request_introduction(match: Match, user, message: str) -> Introduction:
    """The institution asks the firm."""
    introduction = _open_introduction(match, user, message, Introduction.Side.INSTITUTION)
    notify_introduction_requested(introduction)
    return introduction


@transaction.atomic
def request_introduction_from_firm(match: Match, user, message: str) -> Introduction:
    """The firm asks an institution (for instance every member of a package); the
    institution accepts or refuses, as the firm would."""
    introduction = _open_introduction(match, user, message, Introduction.Side.FIRM)
    notify_introduction_asked_by_firm(introduction)
    return introduction


def request_package_introductions(package, user, firm) -> int:
    """The firm asks every member of a package at once; members already asked, declined
    or closed are skipped. Returns how many institutions were asked."""
    message = _("%(firm)s would like to discuss “%(project)s” as part of a financing package.") % {
        "firm": firm.name,
        "project": package.project.title,
    }
    asked = 0
    for member in package.members.select_related("match"):
        try:
            request_introduction_from_firm(member.match, user, message)
            asked += 1
        except ValidationError:
            continue
    return asked


@transaction.atomic
def answer_introduction(introduction: Introduction, user, accept: bool) -> Introduction:
    """The other side's answer: accept (contacts and documents open up) or refuse."""
    introduction = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if introduction.state != IntroductionState.REQUESTED:
        raise IllegalMove(_("This introduction has already been answered."))
    match = _locked(introduction.match)
    introduction.state = IntroductionState.ACCEPTED if accept else IntroductionState.REFUSED
    introduction.answered_by = user
    introduction.answered_at = timezone.now()
    introduction.save(update_fields=["state", "answered_by", "answered_at"])
    _move(
        match,
        S.IN_TALKS if accept else S.CLOSED_LOST,
        user,
        note=_("Introduction %(state)s") % {"state": introduction.get_state_display().lower()},
    )
    notify_introduction_answered(introduction)
    announce.introduction_changed(introduction)
    return introduction


def refusal_undoable(introduction: Introduction, user) -> bool:
    """A refusal its author may take back: the same day (the page says so)."""
    return (
        introduction.state == IntroductionState.REFUSED
        and introduction.answered_by_id == user.pk
        and introduction.answered_at is not None
        and timezone.localdate(introduction.answered_at) == timezone.localdate()
    )


@transaction.atomic
def undo_refusal(introduction: Introduction, user) -> Introduction:
    """The request is open again, as before the refusal; the match back to "requested"."""
    introduction = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if not refusal_undoable(introduction, user):
        raise IllegalMove(_("Only your own refusal, on the day you made it, can be undone."))
    match = _locked(introduction.match)
    introduction.state = IntroductionState.REQUESTED
    introduction.answered_by, introduction.answered_at = None, None
    introduction.save(update_fields=["state", "answered_by", "answered_at"])
    _move(match, S.INTRO_REQUESTED, user, note=_("Refusal undone"))
    announce.introduction_changed(introduction)
    return introduction


def undoable_event(match: Match, user) -> MatchEvent | None:
    """The institution's last move today, if it can still be taken back."""
    event = match.events.filter(undone=False).first()
    if (
        event
        and event.to_status in UNDOABLE
        and event.to_status == match.status
        and event.user_id == user.pk
        and timezone.localdate(event.at) == timezone.localdate()
    ):
        return event
    return None


@transaction.atomic
def undo(match: Match, user) -> Match:
    match = _locked(match)
    event = undoable_event(match, user)
    if event is None:
        raise IllegalMove(_("There is nothing to undo today."))
    if event.to_status == S.INTRO_REQUESTED:
        introduction = Introduction.objects.select_for_update().filter(match=match).first()
        if introduction and introduction.state != IntroductionState.REQUESTED:
            raise IllegalMove(_("The firm has already answered this introduction."))
        if introduction:
            introduction.state = IntroductionState.WITHDRAWN
            introduction.save(update_fields=["state"])
    event.undone = True
    event.save(update_fields=["undone"])
    match.status = event.from_status
    match.status_changed_at = timezone.now()
    match.save(update_fields=["status", "status_changed_at"])
    announce.match_decided(match)
    return match


# A person reading a project for a while is one "view" in the firm's "who looked" list,
# not one per page load.
VIEW_LOG_WINDOW = timedelta(hours=1)


def record_project_view(*, user, institution, project) -> bool:
    """Log that someone at an institution opened a project's page, once per window."""
    recent = AccessLog.objects.filter(
        kind=AccessLog.Kind.VIEW,
        user=user,
        project=project,
        at__gte=timezone.now() - VIEW_LOG_WINDOW,
    )
    if recent.exists():
        return False
    AccessLog.objects.create(
        kind=AccessLog.Kind.VIEW, user=user, institution=institution, project=project
    )
    return True


def record_download(*, user, institution, document) -> None:
    """Every download is logged: a file that left the platform is worth one line each."""
    AccessLog.objects.create(
        kind=AccessLog.Kind.DOWNLOAD,
        user=user,
        institution=institution,
        project_id=document.project_id,
        document=document,
    )


def saved_view_save(*, user, name: str, query: str) -> SavedView:
    """Name the match list's current filters; the same name again replaces them."""
    view, _created = SavedView.objects.update_or_create(
        user=user, name=name, defaults={"query": query}
    )
    return view


def saved_view_delete(*, view: SavedView, by) -> None:
    if view.user_id != by.pk:
        raise SavedView.DoesNotExist
    view.delete()
