"""Daily use at 1280 and 390 px in Chinese: the match list's filters fold on a phone and
suggestions sit above the list, a decline's confirmation carries its undo, and the
office's landing page and tables fit the phone."""

import pytest
from django.contrib.auth import get_user_model

from matchmaker.matching import scoring
from matchmaker.models import Match
from matchmaker.review import services as review
from tests.browser.test_chinese_journeys import WIDTHS, chinese_page, log_in  # noqa: F401
from tests.factories import InstitutionMemberFactory, OfferingFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_width(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    rights = page.evaluate(
        "[...document.querySelectorAll('.card, .table-wrap')]"
        ".map(e => e.getBoundingClientRect().right)"
    )
    assert all(right <= width + 0.5 for right in rights), rights


def test_match_list_filters_suggestions_and_undo(chinese_page, live_server, screenshot):  # noqa: F811
    page = chinese_page
    member = InstitutionMemberFactory(user=UserFactory(username="wang"))
    offering = OfferingFactory(institution=member.institution, name="种子轮股权", trl_min=3)
    for trl in (4, 5, 5, 6, 6):
        project = ProjectFactory(trl=trl)
        scoring.score_project(project.pk)
        review.match_decline(
            match=Match.objects.get(project=project, offering=offering),
            reason="stage_too_early",
            by=member.user,
        )
    waiting = ProjectFactory(trl=8, title="星载激光通信终端")
    scoring.score_project(waiting.pk)
    log_in(page, live_server, "wang")
    page.goto(f"{live_server.url}/institution/matches/")
    page.get_by_role("heading", name="根据贵机构决策提出的建议").wait_for()
    filters = page.locator("details.filters-fold form")
    if page.width_name == "phone":
        assert not filters.is_visible()  # folded: the list starts on the first screen
        page.locator("details.filters-fold > summary").click()
    assert filters.is_visible()
    _fits_the_width(page)
    screenshot(page, f"60-match-list-suggestions-{page.width_name}")

    match = Match.objects.get(project=waiting, offering=offering)
    page.goto(f"{live_server.url}/institution/matches/{match.pk}/")
    page.locator("summary", has_text="婉拒").last.click()
    page.get_by_label("原因").select_option("risk_too_high")
    page.locator("form[action$='/decline/'] button[type=submit]").click()
    undo = page.locator(".messages button", has_text="撤销婉拒")
    undo.wait_for()
    box = undo.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"]  # in sight, not at the foot
    screenshot(page, f"61-decline-confirmation-{page.width_name}")
    undo.click()
    page.locator(".messages").wait_for()
    match.refresh_from_db()
    assert match.status == "new"


def test_the_office_landing_page_and_tables_fit(chinese_page, live_server, screenshot):  # noqa: F811
    page = chinese_page
    get_user_model().objects.create_user("office", password="office-pass-1", is_staff=True)
    bank = InstitutionMemberFactory()
    offering = OfferingFactory(institution=bank.institution, segments=["components", "launch"])
    for segment, trl in [("components", 6), ("launch", 7), ("earth_observation", 5)]:
        scoring.score_project(ProjectFactory(segment=segment, trl=trl).pk)
    for match in Match.objects.filter(offering=offering, eligible=True):
        review.match_decline(match=match, reason="stage_too_early", by=bank.user)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill("office-pass-1")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="审核", exact=True).wait_for()
    for label in ("审核", "市场概况", "默认权重", "婉拒原因", "全量重新评分"):
        assert page.locator("main .office-pages").get_by_role("link", name=label).count() == 1
    _fits_the_width(page)
    screenshot(page, f"62-office-landing-{page.width_name}")
    for path, name in [
        ("/operator/", "63-office-market"),
        ("/operator/declines/", "64-office-declines"),
    ]:
        page.goto(live_server.url + path)
        page.locator("main h1").wait_for()
        assert page.locator(".table-wrap").count() >= 1
        _fits_the_width(page)
        first_columns = page.evaluate(
            "[...document.querySelectorAll('.table-wrap table:not(.stack) tbody tr')]"
            ".map(row => row.cells[0].getBoundingClientRect().width)"
        )
        assert first_columns and min(first_columns) >= 100, first_columns  # not squeezed
        screenshot(page, f"{name}-{page.width_name}")
