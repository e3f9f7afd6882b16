"""The whole day's work across both sides, in Chromium, with a real Celery worker:
a firm submits a project → the worker scores it → the insurer finds it, reads why,
asks for an introduction → the firm accepts → the insurer sees the contact and downloads
the pitch deck."""

import pytest

from matchmaker.models import AccessLog, Match
from projects.models import ProjectStatus
from tests.browser.conftest import log_in
from tests.celery_worker import broker_url_for_tests, real_worker, wait_for
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_score_introduce_accept_download(browser, live_server, screenshot, tmp_path):
    firm_member = FirmMemberFactory(firm__name="Lingang Launch Dynamics")
    insurer = InstitutionMemberFactory(
        institution__name="Orient Aerospace Insurance", institution__institution_type="insurer"
    )
    OfferingFactory(
        institution=insurer.institution,
        name="Launch and early-orbit cover",
        instrument="risk_cover",
        product_type="launch_insurance",
        exposures_covered=["launch_failure", "in_orbit_failure"],
        ticket_min=10_000_000,
        ticket_max=800_000_000,
        max_tenor_months=24,
    )
    project = ProjectFactory(
        firm=firm_member.firm,
        status=ProjectStatus.DRAFT,
        submitted_at=None,
        title="Methane reusable first stage",
        segment="launch",
        trl=7,
        exposures=["launch_failure", "third_party_liability"],
        needs={"equity": 300_000_000, "risk_cover": 600_000_000},
    )
    deck = tmp_path / "pitch-deck.pdf"
    deck.write_bytes(b"%PDF-1.4\n% Methane reusable first stage: pitch deck\n")
    firm_context = browser.new_context(viewport={"width": 1280, "height": 900})
    insurer_context = browser.new_context(viewport={"width": 1280, "height": 900})
    firm, insurance = firm_context.new_page(), insurer_context.new_page()
    try:
        with real_worker(broker_url_for_tests(tmp_path)):
            log_in(firm, live_server, firm_member.user.username)
            firm.goto(f"{live_server.url}/projects/{project.pk}/edit/documents/")
            firm.get_by_label("Kind").select_option("pitch_deck")
            firm.get_by_label("File").set_input_files(str(deck))
            firm.get_by_role("button", name="Upload").click()
            firm.get_by_role("button", name="Continue to review").click()
            firm.get_by_role("button", name="Submit for matching").click()
            screenshot(firm, "20-firm-submitted")
            assert wait_for(lambda: Match.objects.filter(project=project).exists())
            firm.locator("#project-matches table.matches tbody tr").first.wait_for()
            assert "Launch and early-orbit cover" in firm.locator("#project-matches").inner_text()
            screenshot(firm, "21-firm-sees-matches")

            log_in(insurance, live_server, insurer.user.username)
            insurance.get_by_role("link", name="Matches").click()
            insurance.get_by_role("link", name="Methane reusable first stage").click()
            insurance.get_by_text(
                "Covers 1 of the project's 2 exposures: Launch failure."
            ).wait_for()
            assert "Lingang Launch Dynamics" not in insurance.content()
            screenshot(insurance, "22-insurer-explanation")
            insurance.get_by_text("Request an introduction").click()
            insurance.get_by_label("Message to the firm").fill(
                "We write launch and early-orbit cover and would like to discuss your first flight."
            )
            insurance.get_by_role("button", name="Send request").click()
            insurance.get_by_text("Introduction requested. The firm decides").wait_for()
            screenshot(insurance, "23-insurer-requested")

            firm.goto(f"{live_server.url}/")
            firm.get_by_role("link", name="Introductions").click()
            firm.get_by_text("We write launch and early-orbit cover").wait_for()
            screenshot(firm, "24-firm-introduction")
            firm.get_by_role("button", name="Accept").click()
            firm.get_by_text("Accepted: you now see each other's contacts.").wait_for()
            assert insurer.institution.contact_email in firm.content()
            screenshot(firm, "25-firm-accepted")

            insurance.reload()
            insurance.locator("#firm-contact").wait_for()
            assert firm_member.firm.contact_email in insurance.locator("#firm-contact").inner_text()
            with insurance.expect_download() as download_info:
                insurance.get_by_role("link", name="pitch-deck.pdf").click()
            saved = tmp_path / "downloaded.pdf"
            download_info.value.save_as(saved)
            assert saved.read_bytes() == deck.read_bytes()
            screenshot(insurance, "26-insurer-contact-and-deck")
    finally:
        firm_context.close()
        insurer_context.close()
    assert list(AccessLog.objects.order_by("at").values_list("kind", flat=True))[-1] == "download"
