"""Answers on time: the programme's window in Chinese working days, one reminder before the
deadline, the office's overdue list after it, and each institution's response record."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from matchmaker import tasks
from matchmaker.dealroom import deadlines
from matchmaker.dealroom.models import ResponseWindow
from matchmaker.matching import scoring, stacks
from matchmaker.models import Introduction, Notification
from matchmaker.review.introductions import (
    introduction_answer,
    introduction_request,
    introduction_request_from_firm,
)
from tests.factories import OfferingFactory
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def asked_by_firm(on: dt.datetime) -> Introduction:
    """A firm asks an institution (as for a package); the institution must answer."""
    pair = matched_pair()
    introduction = introduction_request_from_firm(
        match=pair.match, by=pair.firm_user, message="Hello"
    )
    Introduction.objects.filter(pk=introduction.pk).update(requested_at=on)
    introduction.refresh_from_db()
    introduction.pair = pair
    return introduction


def at(year, month, day, hour=10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def test_a_request_is_overdue_after_ten_working_days_across_national_day_not_before():
    # Asked Monday 28 September 2026. National Day: 1-7 October off, Saturday 10 October a
    # make-up working day. Ten working days: 29, 30 Sep; 8, 9, 10, 12, 13, 14, 15, 16 Oct.
    introduction = asked_by_firm(at(2026, 9, 28))
    assert deadlines.respond_by(introduction) == dt.date(2026, 10, 16)
    for day in (dt.date(2026, 10, 9), dt.date(2026, 10, 12), dt.date(2026, 10, 16)):
        assert introduction not in deadlines.overdue(today=day), day
    assert list(deadlines.overdue(today=dt.date(2026, 10, 17))) == [introduction]


def test_an_answered_request_never_lands_on_the_overdue_list():
    introduction = asked_by_firm(at(2026, 9, 28))
    introduction_answer(
        introduction=introduction, by=introduction.pair.institution_user, accept=False
    )
    assert not deadlines.overdue(today=dt.date(2026, 11, 30)).exists()


def test_the_office_can_change_the_window():
    introduction = asked_by_firm(at(2026, 9, 28))
    ResponseWindow.objects.update_or_create(pk=1, defaults={"working_days": 2})
    assert deadlines.respond_by(introduction) == dt.date(2026, 9, 30)
    assert list(deadlines.overdue(today=dt.date(2026, 10, 1))) == [introduction]


def test_a_reminder_goes_out_once_before_the_deadline():
    introduction = asked_by_firm(at(2026, 9, 28))
    user = introduction.pair.institution_user
    # Reminders start two working days before the deadline (16 Oct): on 14 October.
    assert deadlines.send_reminders(today=dt.date(2026, 10, 13)) == 0
    assert deadlines.send_reminders(today=dt.date(2026, 10, 14)) == 1
    assert deadlines.send_reminders(today=dt.date(2026, 10, 14)) == 0
    assert deadlines.send_reminders(today=dt.date(2026, 10, 15)) == 0
    assert deadlines.send_reminders(today=dt.date(2026, 10, 17)) == 0  # past: the office's list
    reminder = Notification.objects.get(user=user, kind="intro_reminder")
    assert "2026-10-16" in reminder.text


def test_the_firm_gets_the_reminder_when_the_institution_asked():
    pair = matched_pair()
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    Introduction.objects.filter(pk=introduction.pk).update(requested_at=at(2026, 9, 28))
    deadlines.send_reminders(today=dt.date(2026, 10, 15))
    assert Notification.objects.filter(user=pair.firm_user, kind="intro_reminder").count() == 1
    assert not deadlines.overdue(today=dt.date(2026, 10, 19)).exists()  # institutions' list
    assert deadlines.overdue(today=dt.date(2026, 10, 19), institutions_answer=None).count() == 1


def test_the_beat_task_is_thin_and_safe_twice():
    introduction = asked_by_firm(at(2026, 9, 28))
    Introduction.objects.filter(pk=introduction.pk).update(
        requested_at=dt.datetime.now(SHANGHAI) - dt.timedelta(days=12)
    )
    first = tasks.remind_introduction_requests.delay().get()
    second = tasks.remind_introduction_requests.delay().get()
    assert second == 0
    assert Notification.objects.filter(kind="intro_reminder").count() == first


def test_each_institutions_median_and_share_in_time():
    early = asked_by_firm(at(2026, 9, 28))
    institution = early.pair.match.offering.institution
    second = OfferingFactory(institution=institution, name="Second")
    scoring.score_project(early.pair.match.project_id)
    other = early.pair.match.project.matches.get(offering=second)
    late = introduction_request_from_firm(match=other, by=early.pair.firm_user, message="Hi")
    Introduction.objects.filter(pk=late.pk).update(requested_at=at(2026, 9, 28))
    Introduction.objects.filter(pk=early.pk).update(
        state="accepted", answered_at=at(2026, 9, 30)
    )  # 2 working days
    Introduction.objects.filter(pk=late.pk).update(
        state="refused", answered_at=at(2026, 10, 20)
    )  # 12 working days: late
    (record,) = deadlines.responsiveness(today=dt.date(2026, 11, 2))
    assert record.median_working_days == 7
    assert (record.answered, record.answered_in_time, record.percent_in_time) == (2, 1, 50)


def test_the_office_sees_the_overdue_list_and_the_records(operator_client):
    introduction = asked_by_firm(at(2020, 3, 2))
    page = operator_client.get(reverse("operator:answers")).content.decode()
    assert introduction.match.project.title in page
    assert introduction.match.offering.institution.name in page
    assert Client().get(reverse("operator:answers")).status_code == 302


def test_a_firm_sees_how_quickly_an_institution_answers_before_asking_it():
    introduction = asked_by_firm(at(2026, 9, 28))
    Introduction.objects.filter(pk=introduction.pk).update(
        state="refused", answered_at=at(2026, 9, 30)
    )
    pair = introduction.pair
    stacks.rebuild_packages(pair.match.project_id)
    client = Client()
    client.force_login(pair.firm_user)
    page = client.get(reverse("firm:project_matches", args=[pair.match.project_id]))
    assert "Usually answers introduction requests in 2 working days; 100% in time." in (
        page.content.decode()
    )


def test_reminders_are_mailed_to_whoever_wants_e_mails(
    django_capture_on_commit_callbacks, mailoutbox
):
    introduction = asked_by_firm(at(2026, 9, 28))
    with django_capture_on_commit_callbacks(execute=True):
        deadlines.send_reminders(today=dt.date(2026, 10, 14))
    assert [mail.to for mail in mailoutbox] == [[introduction.pair.institution_user.email]]
    assert "2026-10-16" in mailoutbox[0].body
