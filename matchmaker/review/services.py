"""The review of a match by people: the state machine (introductions, the access log and
saved views have their own modules beside it).

Every move is one transaction that locks the match row and checks the status it expects,
so two people clicking at once cannot corrupt it, and each move is logged as a MatchEvent
(the pipeline's history, and what "undo" reverts).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaker.models import (
    DeclineReason,
    Introduction,
    IntroductionState,
    Match,
    MatchEvent,
    MatchStatus,
)
from matchmaker.review.notifications import (
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


def allowed_moves(*, match: Match) -> set[str]:
    """The moves the institution may make from where the match stands now."""
    moves = set(INSTITUTION_MOVES.get(match.status, set()))
    if not match.eligible or match.project.status != ProjectStatus.SUBMITTED:
        moves -= {S.SHORTLISTED, S.INTRO_REQUESTED}
    return moves


def _locked(match: Match) -> Match:
    return Match.objects.select_for_update().select_related("project", "offering").get(pk=match.pk)


# Sent after commit with kwargs offering_id: an institution decided on one of the
# offering's matches (what `review.learning` learns from). `matchmaker.signals` connects it.
decision_made = Signal()


def _move(match: Match, to_status: str, by, **event_fields) -> Match:
    """Must run inside a transaction with ``match`` locked."""
    event = MatchEvent.objects.create(
        match=match, from_status=match.status, to_status=to_status, user=by, **event_fields
    )
    match.status = to_status
    match.status_changed_at = event.at
    match.save(update_fields=["status", "status_changed_at"])
    offering_id = match.offering_id
    transaction.on_commit(lambda: decision_made.send(sender=Match, offering_id=offering_id))
    return match


@transaction.atomic
def match_move(*, match: Match, to_status: str, by, note: str = "") -> Match:
    """The institution moves a match along its pipeline."""
    match = _locked(match)
    if to_status == S.INTRO_REQUESTED:
        raise IllegalMove(_("Request an introduction with a message instead."))
    if to_status == S.DECLINED:
        # Declining needs a reason (what learning and the programme office read).
        raise IllegalMove(_("Decline with a reason instead."))
    if to_status not in allowed_moves(match=match):
        raise IllegalMove(
            _("A match that is “%(status)s” cannot move to “%(target)s”.")
            % {"status": match.get_status_display(), "target": S(to_status).label}
        )
    from_status = match.status
    match = _move(match, to_status, by, note=note)
    if to_status == S.SHORTLISTED:
        notify_shortlisted(match)
        announce.match_decided(match)
    else:
        announce.match_moved(match, from_status)
    return match


@transaction.atomic
def match_decline(*, match: Match, reason: str, note: str = "", by) -> Match:
    """The institution declines, with a reason (what learning and the operator read)."""
    match = _locked(match)
    if S.DECLINED not in allowed_moves(match=match):
        raise IllegalMove(_("This match can no longer be declined."))
    if reason not in DeclineReason.values:
        raise ValidationError(_("Choose a reason."))
    problem = decline_note_problem(reason, note)
    if problem:
        raise ValidationError(problem)
    match = _move(match, S.DECLINED, by, reason=reason, note=note)
    announce.match_decided(match)
    return match


def undoable_event(*, match: Match, user) -> MatchEvent | None:
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
def match_undo(*, match: Match, by) -> Match:
    """Take back the institution's last move of today (marked undone, not deleted)."""
    match = _locked(match)
    event = undoable_event(match=match, user=by)
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


@transaction.atomic
def match_reopen(*, match: Match, note: str, by=None) -> Match:
    """A declined match back on the institution's list as new: what a "not now" decline
    does by itself when its condition is met (`dealroom.revisit`). Locked like every move."""
    match = _locked(match)
    if match.status != S.DECLINED:
        raise IllegalMove(_("Only a declined match can come back to the list."))
    return _move(match, S.NEW, by, note=note)
