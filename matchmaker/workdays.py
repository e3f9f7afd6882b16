"""Chinese working days: the calendar every deadline of the programme is counted in.

Response windows (ten working days for an introduction request) and objection windows
(a draft subsidy list is open for objection for N working days) are counted the way a
Chinese office counts them: public holidays are off, and the weekend days that the State
Council declares make-up working days (调休) are on. The holiday data comes from the
maintained ``chinese-calendar`` package, which is updated each year when the State
Council publishes the next year's schedule (usually in November).

For a year the installed package has no data for yet, the count falls back to Monday to
Friday and ``is_official(day)`` says so, so a page can say the deadline is provisional
rather than pretend. Upgrading the package is the whole fix.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

__all__ = ["add_working_days", "is_official", "is_working_day", "working_days_between"]


def is_official(day: dt.date) -> bool:
    """Whether the installed calendar knows ``day``'s year (else weekdays are assumed)."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_working_day(day: dt.date) -> bool:
    """A working day in mainland China: holidays off, make-up weekend days on."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted).

    ``add_working_days(friday, 1)`` is the next working Monday; with ``days=0`` the
    answer is ``start``. A negative count is refused: deadlines only run forward.
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    day = start
    left = days
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
