"""A verified firm submits a project and reads its ranked, explained matches."""

import pytest

from projects.models import ProjectStatus
from tests.browser.conftest import log_in
from tests.factories import FirmMemberFactory, OfferingFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submitting_shows_an_explained_ranked_match_list(page, live_server, screenshot):
    member = FirmMemberFactory()
    project = ProjectFactory(
        firm=member.firm, status=ProjectStatus.DRAFT, title="Hall thruster family"
    )
    OfferingFactory(
        name="Seed equity",
        ticket_min=1_000_000,
        ticket_max=5_000_000,
        institution__name="Nebula Ventures",
    )
    OfferingFactory(name="Growth equity", institution__name="Perigee Growth")
    log_in(page, live_server, member.user.username)
    page.goto(f"{live_server.url}/projects/{project.pk}/edit/review/")
    page.get_by_role("button", name="Submit for matching").click()
    page.get_by_role("heading", name="Matched offerings").wait_for()
    rows = page.locator("#project-matches table.matches tbody tr")
    assert rows.count() == 2
    assert "Growth equity" in rows.nth(0).inner_text()
    screenshot(page, "10-project-matches")
    rows.nth(1).get_by_role("link", name="Why?").click()
    page.get_by_role("cell", name="Can carry up to RMB 5,000,000").wait_for()
    assert page.locator("p.deciding").inner_text().startswith(("Held back most by", "Ranked"))
    assert page.locator("rect.bar-value").count() == 8
    screenshot(page, "11-match-explained")
