"""The programme's pages: the office sets up a tool and works its queues; the firm and
the financier each see their own; bad input is a 400 that writes nothing."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from matchmaker.models import MatchStatus
from matchmaker.programme import services
from matchmaker.programme.models import DealTerms, Enrolment, Entitlement, Tool
from tests.factories import ToolFactory, UserFactory
from tests.matchmaker.programme.helpers import enrol, put_on_list, scene
from tests.matchmaker.programme.test_entitlements import TERMS, closed_deal

pytestmark = pytest.mark.django_db

TOOL_POST = {
    "code": "pool-2026",
    "name_en": "City pool",
    "name_zh": "市级资金池",
    "kind": "risk_pool",
    "rate_bp": "5000",
    "yearly_budget": "300000000",
    "window_start": "2026-01-01",
    "window_end": "2026-12-31",
    "required_lists": ["programme"],
    "exclusions": ["policy_guarantee"],
    "legal_basis": "Measures 2025",
    "loss_band_low_bp": "300",
    "loss_band_high_bp": "500",
    "objection_working_days": "5",
    "confirm_working_days": "3",
}


def client_of(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_office_sets_up_a_tool_and_sees_it_on_its_page():
    office = client_of(UserFactory(is_staff=True))
    response = office.post(reverse("programme:tool_new"), TOOL_POST)
    assert response.status_code == 302
    tool = Tool.objects.get(code="pool-2026")
    assert (tool.rate_bp, tool.required_lists) == (5000, ["programme"])
    page = office.get(reverse("programme:office")).content.decode()
    assert "City pool" in page and "RMB 300,000,000" in page
    page = client_of(office_user := UserFactory(is_staff=True), "zh-hans").get(
        reverse("programme:office")
    )
    assert "市级资金池" in page.content.decode() and "3亿元" in page.content.decode()
    assert office_user.is_staff


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rate_bp", "10001", "A rate is between 0 and 10,000 basis points (0–100 %)."),
        ("yearly_budget", "-1", "An amount cannot be negative."),
        ("cap_per_deal", "-1", "An amount cannot be negative."),
        ("cap_per_firm_year", "-500000", "An amount cannot be negative."),
        ("loss_band_high_bp", "200", "The band&#x27;s top is above its bottom."),
    ],
)
def test_a_bad_tool_is_a_400_that_keeps_what_was_typed_and_writes_nothing(field, value, message):
    office = client_of(UserFactory(is_staff=True))
    response = office.post(reverse("programme:tool_new"), {**TOOL_POST, field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{value}"' in page
    assert message in page
    assert not Tool.objects.exists()


def test_a_budget_below_what_is_committed_is_a_400_on_the_tool_page():
    deal, tool, pair, office_user = closed_deal()

    services.deal_confirm(deal=deal, by=pair.firm_user)
    post = {
        **{k: v for k, v in TOOL_POST.items() if k not in ("code", "kind")},
        "code": tool.code,
        "kind": tool.kind,
        "required_lists": [],
        "loss_band_low_bp": "",
        "loss_band_high_bp": "",
        "yearly_budget": "1000",
    }
    response = client_of(office_user).post(reverse("programme:tool_edit", args=[tool.pk]), post)
    assert response.status_code == 400
    assert "below what is already committed" in response.content.decode()
    tool.refresh_from_db()
    assert tool.yearly_budget == 100_000_000


def test_a_bank_enrols_with_covered_terms_and_the_office_approves_on_its_page():
    s = scene()
    bank = client_of(s.bank_user)
    response = bank.post(
        reverse("programme:enrol"),
        {
            "offering": s.loan.pk,
            "tool": s.tool.pk,
            "covered_trl_min": "6",
            "covered_pre_revenue": "on",
            "covered_ticket_max": "150000000",
        },
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(offering=s.loan)
    office = client_of(s.office)
    terms = "accepts with the tool: TRL 6, pre-revenue firms, tickets up to RMB 150,000,000"
    page = office.get(reverse("programme:office")).content.decode()
    assert s.loan.name in page and terms in page
    office.post(reverse("programme:enrolment_decide", args=[enrolment.pk]), {"approve": "on"})
    enrolment.refresh_from_db()
    assert enrolment.state == "approved"
    assert terms in bank.get(reverse("programme:financier")).content.decode()
    chinese = client_of(s.bank_user, "zh-hans").get(reverse("programme:financier"))
    assert "政策支持下接受技术成熟度 6 级、尚无收入的企业、单笔金额最高 1.5亿元" in (
        chinese.content.decode()
    )


def test_a_covered_trl_out_of_range_is_a_400_and_writes_nothing():
    s = scene()
    response = client_of(s.bank_user).post(
        reverse("programme:enrol"),
        {"offering": s.loan.pk, "tool": s.tool.pk, "covered_trl_min": "12"},
    )
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_moving_a_match_to_closed_won_asks_for_the_terms_first():
    deal, _tool, pair, _office = closed_deal()
    match = deal.match
    # a second match at the term-sheet stage, closed through the pages
    DealTerms.objects.filter(pk=deal.pk).delete()
    match.status = MatchStatus.TERM_SHEET
    match.save()
    bank = client_of(pair.institution_user)
    response = bank.post(
        reverse("institution:move", args=[match.pk]), {"status": MatchStatus.CLOSED_WON}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("programme:deal_close", args=[match.pk])
    match.refresh_from_db()
    assert match.status == MatchStatus.TERM_SHEET
    bad = {**{k: str(v) for k, v in TERMS.items()}, "rate_bp": "20000", "units": "1"}
    response = bank.post(reverse("programme:deal_close", args=[match.pk]), bad)
    assert response.status_code == 400
    match.refresh_from_db()
    assert match.status == MatchStatus.TERM_SHEET
    good = {**bad, "rate_bp": "420"}
    response = bank.post(reverse("programme:deal_close", args=[match.pk]), good)
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.CLOSED_WON
    assert DealTerms.objects.get(match=match).rate_bp == 420


def test_the_firm_confirms_terms_then_its_entitlement_on_its_page():
    deal, _tool, pair, office_user = closed_deal()
    firm = client_of(pair.firm_user)
    firm.post(reverse("programme:deal_confirm", args=[deal.pk]))
    entitlement = Entitlement.objects.get(deal=deal)
    client_of(office_user).post(reverse("programme:entitlement_publish", args=[entitlement.pk]))
    page = firm.get(reverse("programme:firm")).content.decode()
    assert "RMB 420,000" in page and "On the draft list" in page
    assert "RMB 20,000,000 · 4.2\u00a0%, 36 months" in page  # the rate as a rate, not bp
    firm.post(reverse("programme:entitlement_confirm", args=[entitlement.pk]))
    entitlement.refresh_from_db()
    assert entitlement.state == "confirmed"


def test_the_firm_sees_which_tools_apply_to_its_projects_and_why_not():
    s = scene()
    firm = client_of(s.firm_user)
    page = firm.get(reverse("programme:firm")).content.decode()
    assert "The firm is not on a list this tool requires" in page
    put_on_list(s)
    page = firm.get(reverse("programme:firm")).content.decode()
    assert f'<li class="applies">{s.tool.name_en}: Applies</li>' in page


def test_the_city_page_and_csv_show_the_budget_moved():
    deal, tool, pair, office_user = closed_deal()

    services.deal_confirm(deal=deal, by=pair.firm_user)
    year = dt.date.today().year
    office = client_of(office_user)
    page = office.get(reverse("programme:tool_year", args=[tool.pk, year])).content.decode()
    assert "RMB 420,000" in page and "RMB 99,580,000" in page
    # the chart's legend says each bar's amount: a small commitment is read, not guessed
    assert '<span class="key series-0"></span>Committed RMB 420,000</span>' in page
    budgets = office.get(reverse("programme:office")).content.decode()
    assert '<th class="num">Published</th>' in budgets
    assert 'data-label="Published">RMB 0</td>' in budgets  # computed, not yet published
    csv = office.get(reverse("programme:tool_year_csv", args=[tool.pk, year])).content.decode()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("Tool,Year,Budget,Committed")
    assert ",100000000,420000,0,0,99580000,20000000,47.6" in lines[1]


def test_a_firm_or_bank_cannot_open_the_office_pages():
    s = scene()
    assert client_of(s.firm_user).get(reverse("programme:office")).status_code == 403
    assert client_of(s.bank_user).get(reverse("programme:office")).status_code == 403


def test_enrol_helper_used_by_pages_keeps_one_open_enrolment_per_tool():
    s = scene()
    enrol(s, covered_trl_min=6)
    response = client_of(s.bank_user).post(
        reverse("programme:enrol"), {"offering": s.loan.pk, "tool": s.tool.pk}
    )
    assert response.status_code == 400
    assert Enrolment.objects.count() == 1


def test_the_office_records_bad_credit_and_the_tool_stops_applying():
    from matchmaker.matching import scoring
    from matchmaker.models import Match

    s = scene(exclusions=["bad_credit"])
    put_on_list(s)
    enrol(s, covered_trl_min=6)
    scoring.score_project(s.project.pk)
    assert Match.objects.filter(project=s.project, offering=s.loan).exists()
    office = client_of(s.office)
    office.post(
        reverse("programme:standing_set"),
        {"firm": s.project.firm.pk, "bad_credit": "on", "note": "court list"},
    )
    assert s.project.firm.name in office.get(reverse("programme:office")).content.decode()
    scoring.score_project(s.project.pk)  # the re-score the change asked for
    assert not Match.objects.filter(project=s.project, offering=s.loan).exists()


def test_the_office_confirms_a_list_claim_and_a_bank_reports_a_default_on_its_pages():
    from matchmaker.programme.models import Claim, FirmListMembership
    from tests.matchmaker.programme.test_claims import pool_loan

    s = scene()
    client_of(s.firm_user).post(
        reverse("programme:membership_claim"),
        {"programme_list": "high_tech", "evidence": "Register 2025"},
    )
    membership = FirmListMembership.objects.get(firm=s.project.firm)
    client_of(s.office).post(
        reverse("programme:membership_decide", args=[membership.pk]), {"approve": "on"}
    )
    membership.refresh_from_db()
    assert membership.state == "confirmed"
    deal, _pool, pair, office_user = pool_loan()
    bank = client_of(pair.institution_user)
    response = bank.post(
        reverse("programme:claim_report"),
        {"deal": deal.pk, "outstanding": "6000000", "recoveries": "7000000"},
    )
    assert response.status_code == 400 and not Claim.objects.exists()
    bank.post(
        reverse("programme:claim_report"),
        {"deal": deal.pk, "outstanding": "6000000", "recoveries": "2000000"},
    )
    claim = Claim.objects.get()
    client_of(office_user).post(
        reverse("programme:claim_decide", args=[claim.pk]), {"approve": "on", "reason": "ok"}
    )
    claim.refresh_from_db()
    assert (claim.state, claim.compensation) == ("approved", 500_000)


@pytest.mark.parametrize(
    ("url", "body", "message"),
    [
        (
            "enrol",
            {"indicative_rate_bp": "10001"},
            "A rate is between 0 and 10,000 basis points (0–100 %).",
        ),
        (
            "enrol",
            {"covered_ticket_max": "-1"},
            "The covered ticket is at least the product&#x27;s minimum.",
        ),
        ("claim", {"outstanding": "-5"}, "greater than or equal to 1"),
        ("claim", {"outstanding": "5000000", "recoveries": "x"}, "Enter a whole number"),
        ("claim_not_enrolled", {}, "This loan is not enrolled in a risk-compensation pool."),
    ],
)
def test_a_banks_bad_input_on_its_page_is_a_400_saying_why_and_writes_nothing(url, body, message):
    from matchmaker.programme.models import Claim, ProgrammeEvent

    deal, _tool, pair, _office = closed_deal()  # an interest subsidy: no pool
    services.deal_confirm(deal=deal, by=pair.firm_user)
    bank = client_of(pair.institution_user)
    before = (Enrolment.objects.count(), Claim.objects.count(), ProgrammeEvent.objects.count())
    if url == "enrol":
        other = ToolFactory()
        path = reverse("programme:enrol")
        data = {"offering": deal.match.offering_id, "tool": other.pk, **body}
    else:
        path = reverse("programme:claim_report")
        data = {"deal": deal.pk, "outstanding": "5000000", "recoveries": "0", **body}
    response = bank.post(path, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    after = (Enrolment.objects.count(), Claim.objects.count(), ProgrammeEvent.objects.count())
    assert after == before
