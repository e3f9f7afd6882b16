"""The rules and reads of a "not now" decline: whether a condition can be kept, whether
it is met, its words, and the condition a match waits for. No writes here, and nothing of
the review's state machine, so the API's serializers can use it (`revisit.py` holds the
writes, which move matches)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaker.dealroom.models import RevisitCondition, RevisitKind
from matchmaker.dealroom.words import revisit_words
from matchmaker.models import Match, MatchStatus
from matchmaker.vocabulary import FlightRecord, RevenueStatus

FLOWN = {FlightRecord.FIRST_FLIGHT, FlightRecord.FLIGHT_PROVEN}
EARNING = {RevenueStatus.REVENUE, RevenueStatus.PROFITABLE}
FACT_KINDS = (RevisitKind.TRL, RevisitKind.FIRST_FLIGHT, RevisitKind.REVENUE)


def condition_problem(kind: str, trl, on_date, project, today: dt.date | None = None) -> str | None:
    """Why a condition cannot be kept (missing value, or already met): for forms, the API
    and the service alike."""
    today = today or timezone.localdate()
    if kind not in RevisitKind.values:
        return _("Choose when to look again.")
    if kind == RevisitKind.TRL and trl is None:
        return _("Say which TRL the project should reach.")
    if kind == RevisitKind.DATE and on_date is None:
        return _("Say after which date to look again.")
    if kind == RevisitKind.DATE and on_date <= today:
        return _("The date to look again must be in the future.")
    probe = RevisitCondition(kind=kind, trl=trl if kind == RevisitKind.TRL else None)
    if project is not None and kind in FACT_KINDS and is_met(probe, project, today):
        return _("The project already meets this; decline without a condition, or choose another.")
    return None


def is_met(condition: RevisitCondition, project, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if condition.kind == RevisitKind.TRL:
        return project.trl >= condition.trl
    if condition.kind == RevisitKind.FIRST_FLIGHT:
        return project.flight_record in FLOWN
    if condition.kind == RevisitKind.REVENUE:
        return project.revenue_status in EARNING
    return condition.on_date is not None and today >= condition.on_date


def describe(condition: RevisitCondition) -> str:
    """What the institution is waiting for, in the reader's language (never the note)."""
    return revisit_words(condition.kind, condition.trl, condition.on_date)


def waiting_condition(match: Match) -> RevisitCondition | None:
    """The condition the firm is told about: only while the match is still declined."""
    if match.status != MatchStatus.DECLINED:
        return None
    return RevisitCondition.objects.filter(
        match=match, met_at__isnull=True, cancelled_at__isnull=True
    ).first()


def waiting_conditions(matches) -> dict[int, RevisitCondition]:
    """Match id → its waiting condition, for a list of declined matches (one query)."""
    ids = [m.pk for m in matches if m.status == MatchStatus.DECLINED]
    conditions = RevisitCondition.objects.filter(
        match_id__in=ids, met_at__isnull=True, cancelled_at__isnull=True
    )
    return {condition.match_id: condition for condition in conditions}
