"""The programme through /api/v1/programme/: a whole path with amounts of our own, caps,
budgets and exclusions; bad input a 400 that writes nothing; a third tenant sees none."""

import datetime as dt

import pytest

from matchmaker.matching import scoring
from matchmaker.models import Match
from matchmaker.programme import services
from matchmaker.programme.models import (
    Claim,
    DealTerms,
    Enrolment,
    Entitlement,
    ProgrammeEvent,
    Tool,
    ToolBudget,
)
from tests.api.conftest import api_client_for
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
    UserFactory,
)
from tests.matchmaker.programme.helpers import put_on_list, scene, to_term_sheet

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year
TOOL = {
    "code": "interest-2026",
    "name_en": "Interest subsidy",
    "name_zh": "贷款贴息",
    "kind": "interest_subsidy",
    "rate_bp": 5000,
    "cap_per_deal": 300_000,
    "yearly_budget": 1_000_000,
    "window_start": f"{YEAR}-01-01",
    "window_end": f"{YEAR}-12-31",
    "required_lists": ["programme"],
    "exclusions": ["bad_credit"],
    "legal_basis": "Shanghai measures 2025",
}


def close_through_api(s, bank):
    """Introduction accepted, term sheet, then closed as won with terms through the API."""
    match = Match.objects.get(project=s.project, offering=s.loan)
    to_term_sheet(match, s.bank_user, s.firm_user)
    response = bank.post(
        "/api/v1/programme/deals/",
        {
            "match": match.pk,
            "amount": 20_000_000,
            "rate_bp": 420,
            "tenor_months": 24,
            "start_date": f"{YEAR}-03-02",
            "end_date": f"{YEAR + 2}-03-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def enrolled_scene():
    """The firm on the list, the loan enrolled with covered TRL 6, the project scored."""
    s = scene()
    put_on_list(s)
    services.enrolment_decide(
        enrolment=services.enrolment_request(
            offering=s.loan, tool=s.tool, covered_trl_min=6, by=s.bank_user
        ),
        approve=True,
        by=s.office,
    )
    scoring.score_project(s.project.pk)
    return s


def test_the_whole_path_through_the_api(monkeypatch):
    s = scene()
    office, bank, firm = (api_client_for(u) for u in (s.office, s.bank_user, s.firm_user))
    response = office.post("/api/v1/programme/tools/", TOOL, format="json")
    assert response.status_code == 201, response.json()
    tool_id = response.json()["id"]
    # the firm claims the programme list, the office confirms
    claim = firm.post(
        "/api/v1/programme/memberships/",
        {"programme_list": "programme", "evidence": "Notice 12"},
        format="json",
    )
    assert claim.status_code == 201
    office.post(
        f"/api/v1/programme/memberships/{claim.json()['id']}/decide/",
        {"approve": True},
        format="json",
    )
    # the bank enrols its TRL-7 loan with covered TRL 6; the office approves
    enrolment = bank.post(
        "/api/v1/programme/enrolments/",
        {"offering": s.loan.pk, "tool": tool_id, "covered_trl_min": 6, "indicative_rate_bp": 420},
        format="json",
    )
    assert enrolment.status_code == 201, enrolment.json()
    decided = office.post(
        f"/api/v1/programme/enrolments/{enrolment.json()['id']}/decide/",
        {"approve": True},
        format="json",
    )
    assert decided.json()["state"] == "approved"
    scoring.score_project(s.project.pk)  # the task the approval asked for
    deal_id = close_through_api(s, bank)
    confirmed = firm.post(f"/api/v1/programme/deals/{deal_id}/confirm/")
    [entitlement] = confirmed.json()
    # a year's interest at 4.2 % on 20 M is 840,000; half is 420,000; capped per deal
    assert (entitlement["base"], entitlement["amount"]) == (420_000, 300_000)
    assert entitlement["limited_by"] == "per_deal"
    published = office.post(f"/api/v1/programme/entitlements/{entitlement['id']}/publish/")
    assert published.json()["state"] == "published"
    assert (
        firm.post(f"/api/v1/programme/entitlements/{entitlement['id']}/confirm/").json()["state"]
        == "confirmed"
    )
    early = office.post(f"/api/v1/programme/entitlements/{entitlement['id']}/pay/")
    assert early.status_code == 409  # objections are still open
    later = dt.date.fromisoformat(published.json()["objection_until"]) + dt.timedelta(days=1)
    monkeypatch.setattr(services.timezone, "localdate", lambda: later)
    paid = office.post(f"/api/v1/programme/entitlements/{entitlement['id']}/pay/")
    assert paid.json()["state"] == "paid"
    figures = office.get(f"/api/v1/programme/tools/{tool_id}/figures/?year={YEAR}").json()
    assert (figures["committed"], figures["paid"], figures["left"]) == (300_000, 300_000, 700_000)
    assert figures["financing"] == 20_000_000


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rate_bp": 10_001}, "rate_bp"),
        ({"cap_per_deal": -1}, "cap_per_deal"),
        ({"yearly_budget": -1}, "yearly_budget"),
        ({"window_end": f"{YEAR - 1}-01-01"}, "window_end"),
    ],
)
def test_a_bad_tool_is_a_400_that_writes_nothing(change, field):
    s = scene()
    before = Tool.objects.count()
    response = api_client_for(s.office).post(
        "/api/v1/programme/tools/", {**TOOL, **change}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Tool.objects.count() == before


def test_a_budget_below_what_is_committed_is_a_400_that_changes_nothing():
    s = scene(kind="interest_subsidy", loss_band_low_bp=None, loss_band_high_bp=None)
    budget = ToolBudget.objects.create(tool=s.tool, year=YEAR, budget=100_000_000)
    ToolBudget.objects.filter(pk=budget.pk).update(committed=5_000_000)
    response = api_client_for(s.office).patch(
        f"/api/v1/programme/tools/{s.tool.pk}/", {"yearly_budget": 1_000_000}, format="json"
    )
    assert response.status_code == 400
    assert "yearly_budget" in response.json()
    s.tool.refresh_from_db()
    assert s.tool.yearly_budget == 100_000_000
    assert not ProgrammeEvent.objects.filter(action="tool_update").exists()


def test_a_claim_on_a_loan_not_enrolled_is_a_400_that_writes_nothing():
    s = scene()
    put_on_list(s)
    enrolment = services.enrolment_request(
        offering=s.loan, tool=s.tool, covered_trl_min=6, by=s.bank_user
    )
    services.enrolment_decide(enrolment=enrolment, approve=True, by=s.office)
    scoring.score_project(s.project.pk)
    bank = api_client_for(s.bank_user)
    deal_id = close_through_api(s, bank)
    services.enrolment_withdraw(enrolment=Enrolment.objects.get(pk=enrolment.pk), by=s.bank_user)
    api_client_for(s.firm_user).post(f"/api/v1/programme/deals/{deal_id}/confirm/")
    response = bank.post(
        "/api/v1/programme/claims/",
        {"deal": deal_id, "outstanding": 5_000_000, "recoveries": 0},
        format="json",
    )
    assert response.status_code == 400
    assert "deal" in response.json()
    assert not Claim.objects.exists()


def test_a_rate_over_100pc_on_closing_is_a_400_and_the_match_stays():
    s = enrolled_scene()
    match = Match.objects.get(project=s.project, offering=s.loan)
    response = api_client_for(s.bank_user).post(
        "/api/v1/programme/deals/",
        {
            "match": match.pk,
            "amount": 1,
            "rate_bp": 20_000,
            "tenor_months": 12,
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        },
        format="json",
    )
    assert response.status_code == 400 and "rate_bp" in response.json()
    assert not DealTerms.objects.exists()


def test_roles_are_checked_and_a_third_tenant_sees_none_of_it():
    s = scene()
    put_on_list(s)
    enrolment = services.enrolment_request(
        offering=s.loan, tool=s.tool, covered_trl_min=6, by=s.bank_user
    )
    services.enrolment_decide(enrolment=enrolment, approve=True, by=s.office)
    firm = api_client_for(s.firm_user)
    assert firm.post("/api/v1/programme/tools/", TOOL, format="json").status_code == 403
    assert firm.post(f"/api/v1/programme/enrolments/{enrolment.pk}/decide/", {}).status_code == 403
    other_bank = api_client_for(InstitutionMemberFactory().user)
    other_firm = api_client_for(FirmMemberFactory().user)
    assert other_bank.get(f"/api/v1/programme/enrolments/{enrolment.pk}/").status_code == 404
    assert (
        other_bank.post(f"/api/v1/programme/enrolments/{enrolment.pk}/withdraw/").status_code == 404
    )
    assert other_bank.get("/api/v1/programme/enrolments/").json()["count"] == 0
    assert other_firm.get("/api/v1/programme/memberships/").json()["count"] == 0
    assert other_firm.get("/api/v1/programme/entitlements/").json()["count"] == 0
    assert Entitlement.objects.count() == 0


def test_one_match_in_the_api_says_which_tool_decided_it_and_lists_say_nothing():
    s = enrolled_scene()
    match = Match.objects.get(project=s.project, offering=s.loan)
    bank = api_client_for(s.bank_user)
    one = bank.get(f"/api/v1/matches/{match.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "accepts TRL 6 with it" in one["programme"]["cover"]
    assert one["programme"]["costs"][0].startswith("Your covered loss: the pool carries 50 %")
    listed = bank.get("/api/v1/matches/").json()["results"]
    assert [row["programme"] for row in listed] == [None]


def test_only_the_office_records_a_bad_credit_record_through_the_api():
    from matchmaker.programme.models import FirmStanding

    s = scene()
    body = {"firm": str(s.project.firm.pk), "bad_credit": True, "note": "court list"}
    firm = api_client_for(s.firm_user)
    assert firm.post("/api/v1/programme/standing/", body, format="json").status_code == 403
    assert not FirmStanding.objects.exists()
    office = api_client_for(s.office)
    assert office.post("/api/v1/programme/standing/", body, format="json").status_code == 200
    assert FirmStanding.objects.get(firm=s.project.firm).bad_credit


def test_caps_budget_and_exclusions_with_amounts_of_our_own():
    """A 700,000 budget, a 500,000 cap per firm and year, bad credit and a policy
    guarantee excluded: five deals at 4.2 % over two years, each a year's interest."""
    office = api_client_for(UserFactory(is_staff=True))
    tool = office.post(
        "/api/v1/programme/tools/",
        {
            **TOOL,
            "code": "interest-caps",
            "cap_per_deal": None,
            "cap_per_firm_year": 500_000,
            "yearly_budget": 700_000,
            "required_lists": [],
            "exclusions": ["bad_credit", "policy_guarantee"],
        },
        format="json",
    )
    assert tool.status_code == 201, tool.json()
    tool_id = tool.json()["id"]
    bank_member = InstitutionMemberFactory()
    bank = api_client_for(bank_member.user)
    loans = [
        OfferingFactory(
            institution=bank_member.institution, instrument="credit", trl_min=1, trl_max=9
        )
        for _ in range(2)
    ]
    for loan in loans:
        enrolment = bank.post(
            "/api/v1/programme/enrolments/", {"offering": loan.pk, "tool": tool_id}, format="json"
        )
        office.post(
            f"/api/v1/programme/enrolments/{enrolment.json()['id']}/decide/",
            {"approve": True},
            format="json",
        )
    firms = {name: FirmMemberFactory() for name in ("a", "b", "c")}
    projects = {
        name: ProjectFactory(firm=member.firm, needs={"credit": 20_000_000})
        for name, member in firms.items()
    }
    for project in projects.values():
        scoring.score_project(project.pk)
    office.post(
        "/api/v1/programme/standing/",
        {"firm": str(firms["c"].firm.pk), "bad_credit": True, "note": "court list"},
        format="json",
    )

    def close_and_confirm(name, loan, amount, policy_guarantee=False):
        match = Match.objects.get(project=projects[name], offering=loan)
        to_term_sheet(match, bank_member.user, firms[name].user)
        deal = bank.post(
            "/api/v1/programme/deals/",
            {
                "match": match.pk,
                "amount": amount,
                "rate_bp": 420,
                "tenor_months": 24,
                "start_date": f"{YEAR}-03-02",
                "end_date": f"{YEAR + 2}-03-01",
                "policy_guarantee": policy_guarantee,
            },
            format="json",
        )
        assert deal.status_code == 201, deal.json()
        confirmed = api_client_for(firms[name].user).post(
            f"/api/v1/programme/deals/{deal.json()['id']}/confirm/"
        )
        [entitlement] = confirmed.json()
        return (
            entitlement["base"],
            entitlement["amount"],
            entitlement["limited_by"],
            entitlement["state"],
            entitlement["refusal"],
        )

    # 20 M at 4.2 %: a year's interest 840,000, half of it 420,000, under every cap
    assert close_and_confirm("a", loans[0], 20_000_000) == (420_000, 420_000, "", "draft", "")
    # 10 M more for the same firm: 210,000 due, 80,000 left under its 500,000 a year
    assert close_and_confirm("a", loans[1], 10_000_000) == (
        210_000,
        80_000,
        "per_firm_year",
        "draft",
        "",
    )
    # a loan with a policy guarantee: excluded, nothing committed
    assert close_and_confirm("b", loans[1], 20_000_000, policy_guarantee=True) == (
        420_000,
        0,
        "",
        "refused",
        "policy_guarantee",
    )
    # another firm's 420,000 meets the 200,000 left of the budget
    assert close_and_confirm("b", loans[0], 20_000_000) == (
        420_000,
        200_000,
        "budget",
        "draft",
        "",
    )
    # a firm with a serious bad-credit record: excluded, whatever is left
    assert close_and_confirm("c", loans[0], 20_000_000) == (
        420_000,
        0,
        "",
        "refused",
        "bad_credit",
    )
    figures = office.get(f"/api/v1/programme/tools/{tool_id}/figures/?year={YEAR}").json()
    assert (figures["budget"], figures["committed"], figures["left"]) == (700_000, 700_000, 0)
    # the budget cannot fall below the 700,000 committed; it can rise
    lower = office.patch(
        f"/api/v1/programme/tools/{tool_id}/", {"yearly_budget": 699_999}, format="json"
    )
    assert lower.status_code == 400 and "yearly_budget" in lower.json()
    assert ToolBudget.objects.get(tool_id=tool_id, year=YEAR).budget == 700_000
    raised = office.patch(
        f"/api/v1/programme/tools/{tool_id}/", {"yearly_budget": 900_000}, format="json"
    )
    assert raised.status_code == 200
    figures = office.get(f"/api/v1/programme/tools/{tool_id}/figures/?year={YEAR}").json()
    assert (figures["committed"], figures["left"]) == (700_000, 200_000)


def _writes() -> tuple:
    return (
        Tool.objects.count(),
        Enrolment.objects.count(),
        DealTerms.objects.count(),
        Claim.objects.count(),
        ProgrammeEvent.objects.count(),
        list(ToolBudget.objects.values_list("budget", "committed")),
    )


@pytest.mark.parametrize(
    ("who", "path", "body", "field"),
    [
        ("office", "tools", {**TOOL, "kind": "lottery"}, "kind"),
        ("office", "tools", {**TOOL, "rate_bp": "half"}, "rate_bp"),
        ("office", "tools", {**TOOL, "cap_per_firm_year": -15_000_000}, "cap_per_firm_year"),
        ("office", "tools", {**TOOL, "cap_per_unit": -1}, "cap_per_unit"),
        ("office", "tools", {**TOOL, "rate_ceiling_bp": 10_001}, "rate_ceiling_bp"),
        ("office", "tools", {**TOOL, "exclusions": ["nobody"]}, "exclusions"),
        ("bank", "enrolments", {"indicative_rate_bp": 10_001}, "indicative_rate_bp"),
        ("bank", "enrolments", {"covered_ticket_max": -1}, "covered_ticket_max"),
        ("bank", "enrolments", {"covered_trl_min": 10}, "covered_trl_min"),
        ("bank", "deals", {"amount": 0}, "amount"),
        ("bank", "deals", {"tenor_months": 0}, "tenor_months"),
        ("bank", "deals", {"end_date": f"{YEAR - 1}-01-01"}, "end_date"),
        ("bank", "claims", {"outstanding": -5}, "outstanding"),
        ("bank", "claims", {"outstanding": 100, "recoveries": 200}, "recoveries"),
    ],
)
def test_bad_input_anywhere_is_a_400_naming_the_field_and_writes_nothing(who, path, body, field):
    s = enrolled_scene()
    match = Match.objects.get(project=s.project, offering=s.loan)
    defaults = {
        "enrolments": {"offering": s.loan.pk, "tool": s.tool.pk},
        "deals": {
            "match": match.pk,
            "amount": 20_000_000,
            "rate_bp": 420,
            "tenor_months": 24,
            "start_date": f"{YEAR}-03-02",
            "end_date": f"{YEAR + 2}-03-01",
        },
        "claims": {"deal": 1, "outstanding": 100, "recoveries": 0},
        "tools": {},
    }[path]
    client = api_client_for(s.office if who == "office" else s.bank_user)
    before = _writes()
    response = client.post(f"/api/v1/programme/{path}/", {**defaults, **body}, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert _writes() == before
