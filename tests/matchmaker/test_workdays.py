"""Deadlines count Chinese working days: holidays off, make-up weekend days on."""

import datetime as dt

import pytest

from matchmaker.workdays import (
    add_working_days,
    is_official,
    is_working_day,
    working_days_between,
)


def test_national_day_holiday_is_not_a_working_day():
    assert not is_working_day(dt.date(2026, 10, 1))


def test_a_make_up_saturday_is_a_working_day():
    # 2026-10-10 is a Saturday that the State Council made a working day.
    assert dt.date(2026, 10, 10).weekday() == 5
    assert is_working_day(dt.date(2026, 10, 10))


def test_ten_working_days_across_the_national_day_holiday():
    # From Tue 29 Sep 2026: 30 Sep (1), holiday 1–7 Oct, 8, 9 (Fri), 10 (make-up Sat),
    # 12, 13, 14, 15, 16 (Fri) = 9, then Mon 19 Oct = 10.
    assert add_working_days(dt.date(2026, 9, 29), 10) == dt.date(2026, 10, 19)


def test_ten_working_days_in_an_ordinary_fortnight():
    assert add_working_days(dt.date(2026, 11, 2), 10) == dt.date(2026, 11, 16)


def test_zero_days_is_the_start_and_negative_is_refused():
    assert add_working_days(dt.date(2026, 11, 2), 0) == dt.date(2026, 11, 2)
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 11, 2), -1)


def test_between_counts_the_same_days_add_walks():
    start = dt.date(2026, 9, 29)
    assert working_days_between(start, add_working_days(start, 10)) == 10
    assert working_days_between(start, start) == 0
    assert working_days_between(start, start - dt.timedelta(days=3)) == 0


def test_a_year_without_data_falls_back_to_weekdays_and_says_so():
    day = dt.date(2099, 6, 1)  # a Monday
    assert not is_official(day)
    assert is_working_day(day)
    assert not is_working_day(dt.date(2099, 6, 6))  # Saturday
    assert is_official(dt.date(2026, 6, 1))
