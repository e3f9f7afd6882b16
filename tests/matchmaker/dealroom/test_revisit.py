""" "Not now" that comes back: each kind of condition brings the declined match back to the
institution's list by itself, with a notification, and the firm sees only the condition."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from matchmaker import tasks
from matchmaker.dealroom import revisit
from matchmaker.dealroom.models import RevisitCondition
from matchmaker.models import MatchEvent, MatchStatus, Notification
from matchmaker.review.services import match_undo
from projects import services as project_services
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db
PRIVATE = "Their CFO seemed evasive"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def not_now(kind: str, trl=None, on_date=None, **project_fields):
    pair = matched_pair(**project_fields)
    revisit.match_decline_not_now(
        match=pair.match,
        reason="stage_too_early",
        note=PRIVATE,
        kind=kind,
        trl=trl,
        on_date=on_date,
        by=pair.institution_user,
    )
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.DECLINED
    return pair


def update(pair, **fields):
    project_services.project_update(project=pair.match.project, by=pair.firm_user, fields=fields)
    pair.match.refresh_from_db()


def came_back(pair) -> bool:
    return (
        pair.match.status == MatchStatus.NEW
        and Notification.objects.filter(user=pair.institution_user, kind="match_revisited").exists()
    )


def test_trl_condition_comes_back_when_the_trl_is_reached_not_before():
    pair = not_now("trl", trl=8)
    update(pair, trl=7)
    assert pair.match.status == MatchStatus.DECLINED
    update(pair, trl=8)
    assert came_back(pair)
    event = MatchEvent.objects.filter(match=pair.match).first()
    assert (event.from_status, event.to_status) == (MatchStatus.DECLINED, MatchStatus.NEW)
    assert RevisitCondition.objects.get().met_at is not None


def test_first_flight_condition_comes_back_when_the_firm_records_its_first_flight():
    pair = not_now("first_flight")
    update(pair, flight_record="earlier_products")
    assert pair.match.status == MatchStatus.DECLINED
    update(pair, flight_record="first_flight", successful_flights=1)
    assert came_back(pair)
    page = client_of(pair.institution_user).get(reverse("institution:match_list"))
    assert pair.match.project.title in page.content.decode()


def test_revenue_condition_comes_back_when_revenue_starts():
    pair = not_now("revenue")
    update(pair, revenue_status="revenue", last_year_revenue=3_000_000)
    assert came_back(pair)


def test_date_condition_comes_back_with_the_daily_task_on_the_day_not_before():
    today = dt.date.today()
    pair = not_now("date", on_date=today + dt.timedelta(days=3))
    assert revisit.dates_revisit(today=today + dt.timedelta(days=2)) == 0
    assert revisit.dates_revisit(today=today + dt.timedelta(days=3)) == 1
    pair.match.refresh_from_db()
    assert came_back(pair)
    assert revisit.dates_revisit(today=today + dt.timedelta(days=4)) == 0  # once
    assert tasks.revisit_declined_matches.delay().get() == 0


def test_a_condition_already_met_or_without_its_value_is_refused():
    pair = matched_pair(trl=7)
    with pytest.raises(ValidationError):
        revisit.match_decline_not_now(
            match=pair.match, reason="other", note="x", kind="trl", trl=6, by=pair.institution_user
        )
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.NEW  # nothing half-done
    with pytest.raises(ValidationError):
        revisit.match_decline_not_now(
            match=pair.match, reason="other", note="x", kind="date", by=pair.institution_user
        )


def test_an_undone_decline_cancels_its_condition():
    pair = not_now("revenue")
    match_undo(match=pair.match, by=pair.institution_user)
    update(pair, revenue_status="revenue", last_year_revenue=1)
    assert pair.match.status == MatchStatus.NEW
    assert RevisitCondition.objects.get().cancelled_at is not None
    assert not Notification.objects.filter(kind="match_revisited").exists()


def test_the_institution_declines_not_now_on_the_match_page():
    pair = matched_pair()
    bank = client_of(pair.institution_user)
    page = bank.get(reverse("institution:match_detail", args=[pair.match.pk])).content.decode()
    assert 'name="revisit_kind"' in page
    response = bank.post(
        reverse("institution:decline", args=[pair.match.pk]),
        {"reason": "stage_too_early", "note": PRIVATE, "revisit_kind": "trl", "revisit_trl": ""},
    )
    assert response.status_code == 400
    assert PRIVATE in response.content.decode()  # what was typed is kept
    response = bank.post(
        reverse("institution:decline", args=[pair.match.pk]),
        {"reason": "stage_too_early", "note": PRIVATE, "revisit_kind": "trl", "revisit_trl": "8"},
    )
    assert response.status_code == 302
    assert RevisitCondition.objects.get(match=pair.match).trl == 8


def test_the_firm_sees_the_condition_and_never_the_private_note():
    pair = not_now("first_flight")
    firm = client_of(pair.firm_user)
    for url in (
        reverse("firm:match_detail", args=[pair.match.pk]),
        reverse("firm:project_matches", args=[pair.match.project_id]),
        reverse("projects:detail", args=[pair.match.project_id]),
    ):
        page = firm.get(url).content.decode()
        assert PRIVATE not in page, url
    detail = firm.get(reverse("firm:match_detail", args=[pair.match.pk])).content.decode()
    assert "when a first flight is recorded" in detail
    matches = firm.get(reverse("firm:project_matches", args=[pair.match.project_id]))
    assert "when a first flight is recorded" in matches.content.decode()


def test_the_institution_sees_what_brings_the_match_back_with_its_note():
    pair = not_now("trl", trl=8)
    page = client_of(pair.institution_user).get(
        reverse("institution:match_detail", args=[pair.match.pk])
    )
    text = page.content.decode()
    assert "comes back to your list by itself when the project reaches TRL 8" in text
