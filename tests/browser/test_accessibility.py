"""Every page of every role, at 1280 px and on a 390 px phone, passes axe-core's WCAG 2.1
AA rules with no serious or critical violation and never scrolls sideways as a whole
(wide tables scroll inside their own focusable region); a screenshot of each is kept."""

import pytest

from tests.browser.conftest import ARTIFACTS, blocking_violations, log_in
from tests.factories import PASSWORD
from tests.pages import pages, world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
ROLES = {
    "anonymous": "vc_fund",
    "firm": "vc_fund",
    "fund": "vc_fund",
    "guidance_fund": "guidance_fund",
    "bank": "bank",
    "insurer": "insurer",
    "guarantor": "guarantor",
    "operator": "vc_fund",
}
PAGE_LIST_OF_ROLE = {role: role for role in ("anonymous", "firm", "operator")}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_the_role_passes_axe_core(role, width, browser, live_server):
    firm_member, institution_member, operator, project, offering, match = world(
        chinese=False, institution_type=ROLES[role]
    )
    user = {"firm": firm_member.user, "operator": operator}.get(role, institution_member.user)
    context = browser.new_context(viewport=WIDTHS[width], is_mobile=width == "phone")
    page = context.new_page()
    if role != "anonymous":
        log_in(page, live_server, user.get_username(), "pw" if role == "operator" else PASSWORD)
    found = {}
    urls = pages(project, offering, match)[PAGE_LIST_OF_ROLE.get(role, "institution")]
    for number, url in enumerate(urls):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        page.screenshot(
            path=str(ARTIFACTS / f"axe-{role}-{width}-{number:02d}.png"), full_page=True
        )
        violations = blocking_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth") - WIDTHS[width]["width"]
        if overflow > 0:
            violations.append(f"the page is {overflow}px wider than the screen")
        if violations:
            found[url] = violations
    context.close()
    assert not found, "\n".join(f"{url}: {v}" for url, v in found.items())
