"""The programme's pages on a phone (390×844), in Chinese and in English: the office's
page with its queues and the draft list, the tool form, a tool's year (the city's budget
page, with its charts), the firm's support page, the financier's enrolments,
entitlements and claims, and the deal-closing form. Each fits the screen's width and
passes axe-core's WCAG 2.1 AA check. Screenshots in test-artifacts/programme-phone-*.png."""

import datetime as dt

import pytest
from django.utils import timezone

from matchmaker.matching import scoring
from matchmaker.models import Match
from matchmaker.programme import demo
from matchmaker.programme import services as programme
from matchmaker.programme.models import Entitlement, Tool
from tests.factories import (
    PASSWORD,
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
)
from tests.matchmaker.programme.helpers import to_term_sheet
from tests.matchmaker.programme.test_entitlements import closed_deal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
CLIPPED = """[...document.querySelectorAll('.chart-label, .table-wrap')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.className + ': ' + e.textContent.trim().slice(0, 40))"""


@pytest.fixture(params=["zh-CN", "en-GB"])
def language(request):
    return request.param


@pytest.fixture
def phone_as(browser, live_server, language):
    """A phone signed in as a user, in a browser that asks for `language`."""
    contexts = []

    def sign_in(username: str):
        context = browser.new_context(viewport=PHONE, is_mobile=True, locale=language)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form.stacked button[type=submit]").click()
        page.locator("form[action='/accounts/logout/']").wait_for()
        return page

    yield sign_in
    for context in contexts:
        context.close()


def programme_world():
    """The five demo tools; a firm's loan closed under the interest subsidy and enrolled
    in the pool, its entitlement paid and a second one on the draft list; a claim on
    the pool; a list claim and an enrolment waiting for the office; a third match at
    the term-sheet stage, ready to close."""
    demo.seed_tools()
    interest = Tool.objects.get(code="sh-interest-subsidy")
    pool = Tool.objects.get(code="sh-risk-pool")
    deal, _tool, pair, office = closed_deal(
        tool=interest, terms={"amount": 120_000_000, "start_date": timezone.localdate()}
    )
    firm = deal.match.project.firm
    for name in ("programme", "high_tech"):
        membership = programme.membership_claim(
            firm=firm, programme_list=name, evidence="沪科〔2025〕12号 名单", by=pair.firm_user
        )
        if name == "programme":
            programme.membership_decide(membership=membership, confirm=True, by=office)
    enrolment = programme.enrolment_request(
        offering=deal.match.offering,
        tool=pool,
        covered_trl_min=6,
        covered_pre_revenue=True,
        covered_ticket_max=150_000_000,
        indicative_rate_bp=420,
        by=pair.institution_user,
    )
    programme.enrolment_decide(enrolment=enrolment, approve=True, by=office)
    programme.deal_confirm(deal=deal, by=pair.firm_user)
    paid = Entitlement.objects.get(deal=deal, tool=interest)
    programme.entitlement_publish(entitlement=paid, by=office)
    programme.entitlement_confirm(entitlement=paid, by=pair.firm_user)
    Entitlement.objects.filter(pk=paid.pk).update(
        objection_until=timezone.localdate() - dt.timedelta(days=1)
    )
    programme.entitlement_pay(entitlement=paid, by=office)
    programme.claim_report(
        deal=deal, outstanding=9_000_000, recoveries=1_500_000, by=pair.institution_user
    )
    second, _tool, second_pair, _office = closed_deal(
        tool=interest, terms={"start_date": timezone.localdate()}
    )
    programme.deal_confirm(deal=second, by=second_pair.firm_user)
    second_entitlement = programme.entitlement_publish(
        entitlement=Entitlement.objects.get(deal=second, tool=interest), by=office
    )
    programme.objection_lodge(  # an objection from the public draft list, open
        entitlement=second_entitlement,
        name="王敏",
        contact="138 0000 0000",
        reason="该笔贷款在补贴期开始前已提前还清，不应享受贴息。",
    )
    waiting = OfferingFactory(
        institution=deal.match.offering.institution, instrument="credit", name="Launch loan"
    )
    programme.enrolment_request(
        offering=waiting, tool=interest, indicative_rate_bp=450, by=pair.institution_user
    )
    # a third pair at the term-sheet stage, for the closing form
    firm_member, bank_member = FirmMemberFactory(), InstitutionMemberFactory()
    project = ProjectFactory(firm=firm_member.firm, needs={"credit": 20_000_000})
    offering = OfferingFactory(institution=bank_member.institution, instrument="credit")
    scoring.score_project(project.pk)
    closing = to_term_sheet(
        Match.objects.get(project=project, offering=offering),
        bank_member.user,
        firm_member.user,
    )
    return {
        "office": office.username,
        "firm": pair.firm_user.username,
        "objecting_firm": second_pair.firm_user.username,
        "bank": pair.institution_user.username,
        "closing_bank": bank_member.user.username,
        "closing_match": closing.pk,
        "tool": interest.pk,
        "pool": pool.pk,
    }


def test_the_programmes_pages_fit_a_phone(phone_as, live_server, language, screenshot):
    tag = "zh" if language.startswith("zh") else "en"
    world = programme_world()
    year = timezone.localdate().year
    pages = {
        "office": (world["office"], "/programme/office/"),
        "tool-new": (world["office"], "/programme/office/tools/new/"),
        "tool-edit": (world["office"], f"/programme/office/tools/{world['pool']}/"),
        "tool-year": (world["office"], f"/programme/office/tools/{world['tool']}/{year}/"),
        "firm": (world["firm"], "/programme/firm/"),
        "objecting-firm": (world["objecting_firm"], "/programme/firm/"),
        "financier": (world["bank"], "/programme/institution/"),
        "deal-close": (
            world["closing_bank"],
            f"/programme/institution/matches/{world['closing_match']}/close/",
        ),
    }
    signed_in = {}
    too_wide = {}
    for name, (username, url) in pages.items():
        page = signed_in.get(username) or signed_in.setdefault(username, phone_as(username))
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, (name, response.status)
        screenshot(page, f"programme-phone-{tag}-{name}")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        if width > PHONE["width"] or width > inner:
            too_wide[name] = (width, inner)
        # no chart label cut short, no table that has to be scrolled sideways
        clipped = page.evaluate(CLIPPED)
        if clipped:
            too_wide[f"{name} (clipped)"] = clipped
    assert not too_wide, too_wide
