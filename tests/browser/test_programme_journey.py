"""The programme walked in a real browser, in Chinese and in English: the office sets up
a tool, a bank enrols its TRL-7 loan with covered TRL 6, the TRL-6 project now matches it
with the reason said, the deal closes with its terms, the firm confirms, the entitlement
goes on the draft list, the firm confirms it, the payment is recorded and the city's page
shows the budget moved. Screenshots in test-artifacts/programme-*.png."""

import datetime as dt

import pytest

from matchmaker.models import Match
from matchmaker.programme import services as programme
from matchmaker.programme.models import Entitlement, Tool
from tests.factories import (
    PASSWORD,
    FirmMemberFactory,
    InstitutionFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
    UserFactory,
)
from tests.matchmaker.programme.helpers import to_term_sheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "zh-CN": {
        "cover": "据此浦东科创银行接受技术成熟度 6 级",
        "trl": "适用贷款贴息时接受 6–9 级（自身条件为 7–9 级）；本项目为 6 级。",
        "cost": "您的成本：4.2 % → 享受贷款贴息后为 2.1 %",
        "closed": "已标记为已成交",
        "applies": "贷款贴息：适用",
        "paid": "已拨付",
        "committed": "42万元",
        "left": "958万元",
    },
    "en-GB": {
        "cover": "Pudong Innovation Bank accepts TRL 6 with it",
        "trl": "Accepts TRL 6–9 with Interest subsidy (its own terms ask for TRL 7–9); "
        "this project is at TRL 6.",
        "cost": "Your cost: 4.2 % → 2.1 % after Interest subsidy",
        "closed": "Closed as won",
        "applies": "Interest subsidy: Applies",
        "paid": "Paid",
        "committed": "RMB 420,000",
        "left": "RMB 9,580,000",
    },
}


@pytest.fixture(params=list(WORDS))
def language(request):
    return request.param


@pytest.fixture
def open_as(browser, live_server, language):
    """A page signed in as a user, in a browser that asks for `language`."""
    contexts = []

    def sign_in(username: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=language)
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


def test_the_programme_from_tool_to_payment(open_as, live_server, language, screenshot):
    tag = "zh" if language.startswith("zh") else "en"
    words = WORDS[language]
    UserFactory(username="office", is_staff=True)
    firm_user = FirmMemberFactory(user=UserFactory(username="lina")).user
    bank = InstitutionFactory(name="浦东科创银行" if tag == "zh" else "Pudong Innovation Bank")
    bank.institution_type = "bank"
    bank.save()
    bank_user = InstitutionMemberFactory(
        user=UserFactory(username="wangwei"), institution=bank
    ).user
    project = ProjectFactory(
        firm=firm_user.firm_membership.firm,
        title="相控阵天线生产线" if tag == "zh" else "Phased-array antenna line",
        summary="相控阵天线。" if tag == "zh" else "Phased-array antennas.",
        trl=6,
        needs={"credit": 20_000_000},
    )
    loan = OfferingFactory(
        institution=bank,
        name="科技贷" if tag == "zh" else "Technology loan",
        instrument="credit",
        product_type="term_loan",
        ticket_min=5_000_000,
        ticket_max=50_000_000,
        trl_min=7,
        trl_max=9,
    )
    from matchmaker.matching import scoring

    scoring.score_project(project.pk)
    assert not Match.objects.filter(project=project, offering=loan).exists()

    # 1. the office sets up the interest subsidy
    office = open_as("office")
    office.goto(f"{live_server.url}/programme/office/tools/new/")
    year = dt.date.today().year
    for name, value in {
        "code": "interest",
        "name_en": "Interest subsidy",
        "name_zh": "贷款贴息",
        "rate_bp": "5000",
        "cap_per_firm_year": "15000000",
        "yearly_budget": "10000000",
        "window_start": f"{year}-01-01",
        "window_end": f"{year}-12-31",
        "legal_basis": "上海市商业航天措施（2025）" if tag == "zh" else "Shanghai measures (2025)",
    }.items():
        office.locator(f"[name={name}]").fill(value)
    office.locator("[name=kind]").select_option("interest_subsidy")
    office.locator("input[name=required_lists][value=programme]").check()
    screenshot(office, f"programme-{tag}-01-tool-form")
    office.locator("form.card button[type=submit]").click()
    office.locator("#tool-figures").wait_for()
    tool = Tool.objects.get(code="interest")

    # the firm is on the programme list (claimed and confirmed through the services)
    membership = programme.membership_claim(
        firm=project.firm, programme_list="programme", evidence="2025/12", by=firm_user
    )
    programme.membership_decide(membership=membership, confirm=True, by=tool.events.first().by)

    # 2. the bank enrols its loan with covered TRL 6; the office approves
    bank_page = open_as("wangwei")
    bank_page.goto(f"{live_server.url}/programme/institution/")
    bank_page.locator("[name=offering]").select_option(str(loan.pk))
    bank_page.locator("[name=tool]").select_option(str(tool.pk))
    bank_page.locator("[name=covered_trl_min]").fill("6")
    bank_page.locator("[name=indicative_rate_bp]").fill("420")
    screenshot(bank_page, f"programme-{tag}-02-enrol")
    bank_page.locator("form[action$='/enrol/'] button[type=submit]").click()
    office.goto(f"{live_server.url}/programme/office/")
    office.locator("#enrolments button[name=approve]").click()
    office.locator("#enrolments").get_by_text(loan.name).wait_for(state="detached")

    # 3. the TRL-6 project now matches the TRL-7 loan, with the reason said
    match = Match.objects.get(project=project, offering=loan)
    bank_page.goto(f"{live_server.url}/institution/matches/{match.pk}/")
    bank_page.get_by_text(words["cover"], exact=False).wait_for()
    bank_page.locator("table.explain").get_by_text(words["trl"], exact=True).wait_for()
    screenshot(bank_page, f"programme-{tag}-03-covered-match")
    firm_page = open_as("lina")
    firm_page.goto(f"{live_server.url}/firm/matches/{match.pk}/")
    firm_page.get_by_text(words["cost"], exact=False).wait_for()
    firm_page.locator("table.explain").get_by_text(words["trl"], exact=True).wait_for()

    # 4. talks and a term sheet, then the bank closes it as won with its terms
    to_term_sheet(match, bank_user, firm_user)
    bank_page.goto(f"{live_server.url}/institution/matches/{match.pk}/")
    bank_page.locator("input[name=status][value=closed_won] + button").click()
    for name, value in {
        "amount": "20000000",
        "rate_bp": "420",
        "tenor_months": "36",
        "start_date": f"{year}-03-02",
        "end_date": f"{year + 3}-03-01",
    }.items():
        bank_page.locator(f"[name={name}]").fill(value)
    screenshot(bank_page, f"programme-{tag}-04-close")
    bank_page.locator("form.card button[type=submit]").click()
    bank_page.get_by_text(words["closed"], exact=False).first.wait_for()

    # 5. the firm confirms the terms; the entitlement is computed without an application
    firm_page.goto(f"{live_server.url}/programme/firm/")
    firm_page.get_by_text(words["applies"], exact=False).first.wait_for()
    firm_page.locator("#deals button[type=submit]").click()
    firm_page.locator("#entitlements").get_by_text(
        "42万元" if tag == "zh" else "RMB 420,000"
    ).wait_for()

    # 6. the office publishes it on the draft list; the firm confirms within its window
    office.goto(f"{live_server.url}/programme/office/")
    office.locator("form[action$='/publish/'] button").click()
    office.locator("#published").get_by_text(project.firm.name, exact=False).wait_for()
    screenshot(office, f"programme-{tag}-05-draft-list")
    firm_page.goto(f"{live_server.url}/programme/firm/")
    firm_page.locator("#entitlements button[type=submit]").click()
    screenshot(firm_page, f"programme-{tag}-06-firm-confirmed")
    entitlement = Entitlement.objects.get(tool=tool)
    assert entitlement.state == "confirmed"

    # 7. once objections have closed, the office records the payment
    Entitlement.objects.filter(pk=entitlement.pk).update(
        objection_until=dt.date.today() - dt.timedelta(days=1)
    )  # the objection window's working days have passed
    office.goto(f"{live_server.url}/programme/office/")
    office.locator("form[action$='/pay/'] button").click()
    office.goto(f"{live_server.url}/programme/office/tools/{tool.pk}/{year}/")
    figures = office.locator("#tool-figures")
    figures.get_by_text(words["committed"], exact=True).first.wait_for()
    figures.get_by_text(words["left"], exact=True).wait_for()
    screenshot(office, f"programme-{tag}-07-city-page")
    entitlement.refresh_from_db()
    assert entitlement.state == "paid" and entitlement.amount == 420_000
