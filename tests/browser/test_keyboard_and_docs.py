"""Keyboard users skip the header straight to the content and reach every decision on
the match list; Swagger UI loads without a single CSP error in the console."""

import pytest

from tests.browser.conftest import log_in
from tests.matchmaker.review.helpers import matched_pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_keyboard_skips_to_the_content_and_shortlists_from_the_list(
    page, live_server, screenshot
):
    pair = matched_pair(title="Ka-band terminal line")
    log_in(page, live_server, pair.institution_user.username)
    page.goto(f"{live_server.url}/institution/matches/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the page's content")
    assert skip.evaluate("link => link === document.activeElement")
    screenshot(page, "43-skip-link-focused")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    shortlist = page.get_by_role("button", name="Shortlist")
    for _ in range(40):  # tab through the filters to the first decision
        page.keyboard.press("Tab")
        if shortlist.evaluate("button => button === document.activeElement"):
            break
    page.keyboard.press("Enter")
    page.get_by_text("Shortlisted.").wait_for()
    pair.match.refresh_from_db()
    assert pair.match.status == "shortlisted"


def test_swagger_ui_runs_without_csp_errors(page, live_server):
    pair = matched_pair()
    errors = []
    page.on("console", lambda message: errors.append(message.text))
    log_in(page, live_server, pair.institution_user.username)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.get_by_text("/api/v1/matches/").first.wait_for()
    assert [e for e in errors if "Content Security Policy" in e] == []
