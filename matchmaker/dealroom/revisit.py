""" "Not now" that comes back: a decline can say what would make the institution look again
(TRL reaching N, a first flight, revenue starting, or a date). When the project's facts meet
it, or the date comes, the match goes back to the institution's list as new, through the
review state machine's locked move, and the institution is told. The firm sees what the
institution is waiting for (the condition only; the decline's note stays private).

Checked where facts change (`project_changed`, in the same transaction as the change) and
once a day for dates (a beat task).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from investors.selectors import institution_members
from matchmaker.dealroom.conditions import (  # noqa: F401  (re-exported for callers)
    FACT_KINDS,
    condition_problem,
    describe,
    is_met,
    waiting_condition,
    waiting_conditions,
)
from matchmaker.dealroom.models import RevisitCondition, RevisitKind
from matchmaker.models import Match, MatchStatus, NotificationKind
from matchmaker.review import services as review
from matchmaker.review.notifications import notify


@transaction.atomic
def match_decline_not_now(
    *, match: Match, reason: str, note: str = "", kind: str = "", trl=None, on_date=None, by
) -> Match:
    """Decline, optionally "not now": with a condition that brings the match back."""
    match = review.match_decline(match=match, reason=reason, note=note, by=by)
    if kind:
        problem = condition_problem(kind, trl, on_date, match.project)
        if problem:
            raise ValidationError({"revisit_kind": problem})
        RevisitCondition.objects.create(
            match=match,
            kind=kind,
            trl=trl if kind == RevisitKind.TRL else None,
            on_date=on_date if kind == RevisitKind.DATE else None,
            created_by=by,
        )
    return match


@transaction.atomic
def condition_meet(*, condition: RevisitCondition, by=None) -> bool:
    """Bring the match back (if it is still declined) and tell the institution. A
    condition whose match moved on in the meantime (the decline undone) is cancelled."""
    condition = RevisitCondition.objects.select_for_update().get(pk=condition.pk)
    if not condition.waiting:
        return False
    match = Match.objects.select_related("project", "offering__institution").get(
        pk=condition.match_id
    )
    if match.status != MatchStatus.DECLINED:
        condition.cancelled_at = timezone.now()
        condition.save(update_fields=["cancelled_at"])
        return False
    words = describe(condition)
    review.match_reopen(
        match=match, note=_("Back on the list: %(condition)s") % {"condition": words}, by=by
    )
    condition.met_at = timezone.now()
    condition.save(update_fields=["met_at"])
    for user in institution_members(match.offering.institution):
        notify(
            user,
            NotificationKind.MATCH_REVISITED,
            "match_revisited",
            {
                "project": match.project.title,
                "when": {
                    "revisit_kind": condition.kind,
                    "trl": condition.trl,
                    "on_date": condition.on_date.isoformat() if condition.on_date else None,
                },
            },
            reverse("institution:match_detail", args=[match.pk]),
            dedupe_key=f"revisited-{condition.pk}",
        )
    return True


def project_revisit(*, project, by=None) -> int:
    """After the project's facts changed: bring back every match whose condition is met."""
    count = 0
    waiting = RevisitCondition.objects.filter(
        match__project=project,
        kind__in=FACT_KINDS,
        met_at__isnull=True,
        cancelled_at__isnull=True,
    )
    for condition in waiting:
        if is_met(condition, project):
            count += condition_meet(condition=condition, by=by)
    return count


def dates_revisit(today: dt.date | None = None) -> int:
    """Once a day: dates that have come, and (as a safety net) facts already met."""
    today = today or timezone.localdate()
    count = 0
    waiting = RevisitCondition.objects.filter(
        met_at__isnull=True, cancelled_at__isnull=True
    ).select_related("match__project")
    for condition in waiting:
        if is_met(condition, condition.match.project, today):
            count += condition_meet(condition=condition)
    return count
