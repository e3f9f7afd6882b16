"""The operator opens the market dashboard: a chart and its table render, laptop and phone."""

import pytest
from django.contrib.auth import get_user_model

from matchmaker.matching import scoring, stacks
from tests.factories import OfferingFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_shows_charts_with_their_tables(page, phone_page, live_server, screenshot):
    get_user_model().objects.create_user("operator", password="operator-pass-1", is_staff=True)
    OfferingFactory(segments=["components", "launch"])
    for segment, trl in [
        ("components", 6),
        ("launch", 7),
        ("earth_observation", 5),
        ("components", 2),
    ]:
        project = ProjectFactory(segment=segment, trl=trl)
        scoring.score_project(project.pk)
        stacks.rebuild_packages(project.pk)
    for browser_page, name in [
        (page, "30-operator-market"),
        (phone_page, "31-operator-market-phone"),
    ]:
        browser_page.goto(f"{live_server.url}/admin/login/?next=/operator/")
        browser_page.get_by_label("Username").fill("operator")
        browser_page.get_by_label("Password").fill("operator-pass-1")
        browser_page.get_by_role("button", name="Log in").click()
        browser_page.get_by_role("heading", name="The market").wait_for()
        assert browser_page.locator("#funnel-chart rect").count() >= 6
        assert browser_page.locator("#funnel-table tbody tr").count() >= 1
        assert browser_page.locator("#capacity-chart svg").count() == 3
        assert "Earth observation" in browser_page.locator("#gap-table").inner_text()
        screenshot(browser_page, name)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
