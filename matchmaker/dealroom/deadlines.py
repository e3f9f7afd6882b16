"""Answers on time: the programme's response window for introduction requests, counted in
Chinese working days (`matchmaker.workdays`).

Who must answer: whoever received the request. When a firm asks (for instance a whole
package), the institution must answer within the window; that is the programme's rule for
financiers (Chongqing's credit platform: ten working days), so only those requests count in
an institution's response record and on the office's overdue list by default. When an
institution asks, the firm gets the same window and the same reminder, and the office's list
can show those too. Deal-room items have their own due dates, set by the financier.

Deadlines are computed, not stored: a request made on day D is due on D + N working days
and overdue from the day after. Because that date only grows with D, "overdue today" is
one cut-off date, so the list is one indexed query.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from investors.selectors import institution_members
from matchmaker.dealroom.models import ResponseWindow
from matchmaker.models import Introduction, IntroductionState, NotificationKind
from matchmaker.review.notifications import notify
from matchmaker.workdays import add_working_days, working_days_between
from projects.selectors import firm_members

ANSWERED = (IntroductionState.ACCEPTED, IntroductionState.REFUSED)


def window_days() -> int:
    return ResponseWindow.current().working_days


def respond_by(introduction: Introduction, days: int | None = None) -> dt.date:
    """The last day to answer: N working days after the day it was asked."""
    days = window_days() if days is None else days
    return add_working_days(timezone.localdate(introduction.requested_at), days)


def latest_request_day(today: dt.date, days: int, strictly_before: bool) -> dt.date:
    """The last day D whose deadline D + days working days is before today (or on or
    before it): requests made on D or earlier are past (or at) their deadline."""
    day = today
    while True:
        deadline = add_working_days(day, days)
        if deadline < today or (not strictly_before and deadline <= today):
            return day
        day -= dt.timedelta(days=1)


def _start_of_day_after(day: dt.date) -> dt.datetime:
    zone = timezone.get_current_timezone()
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), zone)


def waiting(institutions_answer: bool | None = True) -> QuerySet[Introduction]:
    """Requests still waiting for an answer; by default those institutions must answer."""
    requests = Introduction.objects.filter(state=IntroductionState.REQUESTED)
    if institutions_answer is True:
        requests = requests.filter(initiated_by=Introduction.Side.FIRM)
    elif institutions_answer is False:
        requests = requests.filter(initiated_by=Introduction.Side.INSTITUTION)
    return requests.select_related(
        "match__project__firm", "match__offering__institution", "requested_by"
    )


def overdue(
    today: dt.date | None = None, institutions_answer: bool | None = True
) -> QuerySet[Introduction]:
    """Unanswered requests whose deadline has passed (the office's overdue list)."""
    today = today or timezone.localdate()
    last = latest_request_day(today, window_days(), strictly_before=True)
    return waiting(institutions_answer).filter(requested_at__lt=_start_of_day_after(last))


def due_for_reminder(today: dt.date | None = None) -> QuerySet[Introduction]:
    """Unanswered requests, either side, within the reminder days before their deadline."""
    today = today or timezone.localdate()
    rule = ResponseWindow.current()
    remind_from = max(rule.working_days - rule.remind_days_before, 0)
    last = latest_request_day(today, remind_from, strictly_before=False)
    past = latest_request_day(today, rule.working_days, strictly_before=True)
    return waiting(None).filter(
        requested_at__lt=_start_of_day_after(last), requested_at__gte=_start_of_day_after(past)
    )


def send_reminders(today: dt.date | None = None) -> int:
    """Remind whoever must answer, once per request (the notification's dedupe key);
    running it twice the same day, or every day until the deadline, sends nothing more."""
    today = today or timezone.localdate()
    sent = 0
    for introduction in due_for_reminder(today):
        match = introduction.match
        if introduction.initiated_by == Introduction.Side.FIRM:
            recipients = institution_members(match.offering.institution)
            url = reverse("institution:match_detail", args=[match.pk])
        else:
            recipients = firm_members(match.project.firm)
            url = reverse("firm:introductions")
        for user in recipients:
            sent += bool(
                notify(
                    user,
                    NotificationKind.INTRO_REMINDER,
                    "intro_reminder",
                    {
                        "project": match.project.title,
                        "deadline": respond_by(introduction).isoformat(),
                        "days": window_days(),
                    },
                    url,
                    dedupe_key=f"intro-reminder-{introduction.pk}-"
                    f"{introduction.requested_at:%Y%m%d%H%M%S%f}",
                )
            )
    return sent


@dataclass
class Responsiveness:
    """How an institution answers the introduction requests firms send it."""

    institution_id: object
    name: str
    received: int
    answered: int
    answered_in_time: int
    overdue_open: int
    median_working_days: float | None

    @property
    def share_in_time(self) -> float | None:
        """Answered in time, of those answered or already past the deadline."""
        decided = self.answered + self.overdue_open
        return self.answered_in_time / decided if decided else None

    @property
    def percent_in_time(self) -> int | None:
        share = self.share_in_time
        return None if share is None else round(100 * share)


def responsiveness(institution_ids=None, today: dt.date | None = None) -> list[Responsiveness]:
    """Per institution: median working days to answer, and the share answered in time."""
    today = today or timezone.localdate()
    days = window_days()
    requests = Introduction.objects.filter(initiated_by=Introduction.Side.FIRM).exclude(
        state=IntroductionState.WITHDRAWN
    )
    if institution_ids is not None:
        requests = requests.filter(match__offering__institution_id__in=list(institution_ids))
    rows = requests.values_list(
        "match__offering__institution_id",
        "match__offering__institution__name",
        "state",
        "requested_at",
        "answered_at",
    )
    grouped: dict = {}
    for institution_id, name, state, requested_at, answered_at in rows:
        entry = grouped.setdefault(institution_id, {"name": name, "times": [], "in": 0, "late": 0})
        asked = timezone.localdate(requested_at)
        deadline = add_working_days(asked, days)
        entry.setdefault("received", 0)
        entry["received"] += 1
        if state in ANSWERED and answered_at is not None:
            answered = timezone.localdate(answered_at)
            entry["times"].append(working_days_between(asked, answered))
            entry["in"] += answered <= deadline
        elif state == IntroductionState.REQUESTED and deadline < today:
            entry["late"] += 1
    return sorted(
        (
            Responsiveness(
                institution_id=institution_id,
                name=entry["name"],
                received=entry["received"],
                answered=len(entry["times"]),
                answered_in_time=entry["in"],
                overdue_open=entry["late"],
                median_working_days=statistics.median(entry["times"]) if entry["times"] else None,
            )
            for institution_id, entry in grouped.items()
        ),
        key=lambda row: row.name,
    )


def responsiveness_of(institution) -> Responsiveness | None:
    """One institution's record, for a firm deciding whether to ask it."""
    found = responsiveness([institution.pk])
    return found[0] if found else None
