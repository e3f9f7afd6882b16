"""A new firm signs up and submits a project through the multi-step form, in Chromium."""

import pytest

from projects.models import Project, ProjectStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_firm_signs_up_and_submits_a_project(page, live_server, screenshot, tmp_path):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Space firm").check()
    page.get_by_label("Organisation name").fill("Sheshan Optical Links")
    page.get_by_label("Your name").fill("Chen Yu")
    page.get_by_label("Work e-mail").fill("chen@sheshan.test")
    page.get_by_label("Username").fill("chenyu")
    page.locator("#id_password1").fill("orbital-crosslink-2031")
    page.locator("#id_password2").fill("orbital-crosslink-2031")
    screenshot(page, "01-signup")
    page.get_by_role("button", name="Create account").click()
    page.get_by_text("Awaiting verification").wait_for()

    page.get_by_role("link", name="New project").first.click()
    page.get_by_label("Title").fill("Laser crosslink terminal batch production")
    page.get_by_label("Summary").fill("Optical inter-satellite links for broadband LEO shells.")
    page.get_by_label("Segment").select_option("components")
    page.get_by_label("Stage").select_option("qualification")
    page.get_by_label("Technology readiness level").fill("12")
    page.get_by_label("Months to first revenue").fill("36")
    page.get_by_label("Months to break-even").fill("72")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.get_by_role("alert")
    summary.get_by_role("link", name="Technology readiness level: Ensure this value").wait_for()
    summary.get_by_role("link", name="District / region: This field is required.").click()
    assert page.evaluate("document.activeElement.id") == "id_region"  # the link leads there
    assert page.get_by_label("Title").input_value() == "Laser crosslink terminal batch production"
    screenshot(page, "02-basics-error-kept-input")
    page.get_by_label("Technology readiness level").fill("6")
    page.get_by_label("District / region").select_option("minhang")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("Equity sought (RMB)").fill("120000000")
    page.get_by_label("Risk cover sought (insured value, RMB)").fill("300000000")
    screenshot(page, "03-needs")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("Launch failure").check()
    page.get_by_label("In-orbit failure").check()
    page.get_by_label("Equipment").check()
    page.locator("#id_milestones-0-title").fill("Qualification unit delivered")
    page.locator("#id_milestones-0-due_date").fill("2027-09-30")
    screenshot(page, "04-risks")
    page.get_by_role("button", name="Save and continue").click()

    deck = tmp_path / "pitch-deck.pdf"
    deck.write_bytes(b"%PDF-1.4\n% demo pitch deck\n")
    page.get_by_label("Kind").select_option("pitch_deck")
    page.get_by_label("File").set_input_files(str(deck))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("link", name="pitch-deck.pdf").wait_for()
    screenshot(page, "05-documents")
    page.get_by_role("button", name="Continue to review").click()

    screenshot(page, "06-review")
    page.get_by_role("button", name="Submit for matching").click()
    # a new firm is not verified yet: it is told so, never "matches appear shortly"
    page.get_by_text("Nothing is matched until the programme office verifies your firm;").wait_for()
    assert page.get_by_text("matching engine is scoring").count() == 0
    screenshot(page, "07-submitted")

    project = Project.objects.get()
    assert project.status == ProjectStatus.SUBMITTED
    assert dict(project.needs.values_list("instrument", "amount")) == {
        "equity": 120_000_000,
        "risk_cover": 300_000_000,
    }
    assert project.exposures == ["launch_failure", "in_orbit_failure"]
    assert project.documents.get().original_name == "pitch-deck.pdf"


def test_the_project_form_works_on_a_phone(phone_page, live_server, screenshot, django_user_model):
    from tests.factories import PASSWORD, FirmMemberFactory

    member = FirmMemberFactory()
    phone_page.goto(f"{live_server.url}/accounts/login/")
    phone_page.get_by_label("Username").fill(member.user.username)
    phone_page.get_by_label("Password").fill(PASSWORD)
    phone_page.get_by_role("button", name="Log in").click()
    phone_page.goto(f"{live_server.url}/projects/new/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    screenshot(phone_page, "08-phone-new-project")
    assert width <= 390
