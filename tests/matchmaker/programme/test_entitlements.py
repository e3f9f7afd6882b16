"""Closed deals, entitlements without an application, the draft list and payment."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from matchmaker.matching import scoring
from matchmaker.models import Match, MatchStatus
from matchmaker.programme import ledger
from matchmaker.programme import services as programme
from matchmaker.programme.models import (
    Entitlement,
    LedgerEntry,
    ProgrammeEvent,
    ToolBudget,
)
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
    ToolFactory,
)
from tests.matchmaker.programme.helpers import to_term_sheet
from tests.matchmaker.review.helpers import Pair, matched_pair

pytestmark = pytest.mark.django_db

TERMS = {
    "amount": 20_000_000,
    "rate_bp": 420,
    "tenor_months": 36,
    "start_date": dt.date(2026, 3, 2),
    "end_date": dt.date(2029, 3, 1),
}


def credit_pair() -> Pair:
    firm_member, bank_member = FirmMemberFactory(), InstitutionMemberFactory()
    project = ProjectFactory(firm=firm_member.firm, needs={"credit": 20_000_000})
    offering = OfferingFactory(institution=bank_member.institution, instrument="credit")
    scoring.score_project(project.pk)
    match = Match.objects.get(project=project, offering=offering)
    return Pair(match, firm_member.user, bank_member.user)


def closed_deal(tool_fields=None, terms=None, on_list=True, tool=None):
    """A won deal on an offering enrolled in an interest subsidy, recorded by the bank."""
    pair = credit_pair()
    match = pair.match
    offering = match.offering
    tool = tool or ToolFactory(
        kind="interest_subsidy",
        loss_band_low_bp=None,
        loss_band_high_bp=None,
        **(tool_fields or {}),
    )
    from tests.factories import UserFactory

    office = UserFactory(is_staff=True)
    if on_list and tool.required_lists:
        membership = programme.membership_claim(
            firm=match.project.firm,
            programme_list=tool.required_lists[0],
            evidence="register",
            by=pair.firm_user,
        )
        programme.membership_decide(membership=membership, confirm=True, by=office)
    enrolment = programme.enrolment_request(offering=offering, tool=tool, by=pair.institution_user)
    programme.enrolment_decide(enrolment=enrolment, approve=True, by=office)
    to_term_sheet(match, pair.institution_user, pair.firm_user)
    deal = programme.deal_close(
        match=match, terms={**TERMS, **(terms or {})}, by=pair.institution_user
    )
    return deal, tool, pair, office


def test_closing_records_the_terms_and_moves_the_match_in_one_step():
    deal, _tool, pair, _office = closed_deal()
    deal.match.refresh_from_db()
    assert deal.match.status == MatchStatus.CLOSED_WON
    assert deal.amount == 20_000_000 and deal.state == "recorded"
    assert ProgrammeEvent.objects.filter(action="deal_record", deal=deal, by=pair.institution_user)


def test_bad_terms_are_refused_and_the_match_does_not_move():
    pair = matched_pair()
    with pytest.raises(ValidationError) as error:
        programme.deal_close(
            match=pair.match, terms={**TERMS, "rate_bp": 10_001}, by=pair.institution_user
        )
    assert "rate_bp" in error.value.message_dict
    pair.match.refresh_from_db()
    assert pair.match.status == MatchStatus.NEW


def test_the_firm_confirms_and_the_interest_subsidy_is_computed_without_application():
    deal, tool, pair, _office = closed_deal()
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    # a year's interest at 4.2 % on 20 M is 840,000; the programme pays half
    assert (entitlement.base, entitlement.amount, entitlement.state) == (420_000, 420_000, "draft")
    budget = ToolBudget.objects.get(tool=tool, year=2026)
    assert budget.committed == 420_000
    assert ledger.rebuild_balances(budget).committed == 420_000


def test_caps_per_deal_and_per_firm_year_bind():
    deal, _tool, pair, _office = closed_deal({"cap_per_deal": 300_000})
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    assert (entitlement.amount, entitlement.limited_by) == (300_000, "per_deal")
    deal, _tool, pair, _office = closed_deal({"cap_per_firm_year": 100_000})
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    assert (entitlement.amount, entitlement.limited_by) == (100_000, "per_firm_year")


def test_launch_insurance_is_capped_per_launch_or_satellite():
    deal, tool, pair, _office = closed_deal(
        {"cap_per_unit": 5_000_000, "cap_per_firm_year": 10_000_000},
        terms={"amount": 150_000_000, "rate_bp": 1800, "units": 1},
    )
    tool.kind = "launch_insurance_subsidy"
    tool.save()
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    # premium 18 % of 150 M = 27 M; half is 13.5 M; one launch caps it at 5 M
    assert (entitlement.base, entitlement.amount) == (13_500_000, 5_000_000)
    assert entitlement.limited_by == "per_unit"


def test_the_last_of_the_budget_is_cut_then_nothing_is_left():
    deal, tool, pair, _office = closed_deal({"yearly_budget": 500_000})
    [first] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    assert first.amount == 420_000
    second_deal, _t, second_pair, _o = closed_deal(tool=tool)
    [second] = programme.deal_confirm(
        deal=second_deal, by=second_pair.firm_user, today=dt.date(2026, 3, 5)
    )
    assert (second.amount, second.limited_by, second.state) == (80_000, "budget", "draft")
    assert ToolBudget.objects.get(tool=tool, year=2026).committed == 500_000
    third_deal, _t, third_pair, _o = closed_deal(tool=tool)
    [third] = programme.deal_confirm(
        deal=third_deal, by=third_pair.firm_user, today=dt.date(2026, 3, 5)
    )
    assert (third.amount, third.state, third.refusal) == (0, "refused", "budget")


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("bad_credit", "bad_credit"),
        ("policy_guarantee", "policy_guarantee"),
        ("not_on_list", "lists"),
        ("document", "document"),
        ("segment", "segment"),
        ("window", "window"),
    ],
)
def test_exclusions_refuse_the_entitlement_and_commit_nothing(setup, reason):
    tool_fields = {
        "exclusions": ["bad_credit", "policy_guarantee"],
        "required_lists": ["high_tech"],
    }
    if setup == "document":
        tool_fields["required_document"] = "premium_paid"
    if setup == "segment":  # the project is a components maker
        tool_fields["eligible_segments"] = ["launch"]
    if setup == "window":  # closed on 2 March, confirmed on the 5th: the window shut on the 4th
        tool_fields |= {"window_start": dt.date(2026, 1, 1), "window_end": dt.date(2026, 3, 4)}
    deal, _tool, pair, office = closed_deal(
        tool_fields,
        terms={"policy_guarantee": setup == "policy_guarantee"},
        on_list=setup != "not_on_list",
    )
    if setup == "bad_credit":
        programme.standing_set(firm=deal.match.project.firm, bad_credit=True, by=office)
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    assert (entitlement.state, entitlement.refusal, entitlement.amount) == ("refused", reason, 0)
    assert not LedgerEntry.objects.exists()


def test_draft_list_objection_window_in_working_days_then_confirm_and_pay():
    deal, tool, pair, office = closed_deal()
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 9, 30))
    # published on 30 Sep 2026: 1–7 Oct are the National Day holidays
    entitlement = programme.entitlement_publish(
        entitlement=entitlement, by=office, today=dt.date(2026, 9, 30)
    )
    assert entitlement.confirm_by > dt.date(2026, 10, 7)
    assert entitlement.objection_until > entitlement.confirm_by
    entitlement = programme.entitlement_confirm(
        entitlement=entitlement, by=pair.firm_user, today=entitlement.confirm_by
    )
    with pytest.raises(programme.ProgrammeConflict):
        programme.entitlement_pay(
            entitlement=entitlement, by=office, today=entitlement.objection_until
        )
    paid_day = entitlement.objection_until + dt.timedelta(days=1)
    entitlement = programme.entitlement_pay(entitlement=entitlement, by=office, today=paid_day)
    budget = ToolBudget.objects.get(tool=tool, year=2026)
    assert (budget.committed, budget.paid, entitlement.state) == (420_000, 420_000, "paid")
    # each movement of money names its entitlement and who made it
    entries = LedgerEntry.objects.order_by("id").values_list("kind", "amount", "entitlement", "by")
    assert list(entries) == [
        ("commit", 420_000, entitlement.pk, pair.firm_user.pk),
        ("pay", 420_000, entitlement.pk, office.pk),
    ]
    steps = list(ProgrammeEvent.objects.filter(entitlement=entitlement).values_list("action", "by"))
    assert steps == [
        ("entitlement_compute", pair.firm_user.pk),
        ("entitlement_publish", office.pk),
        ("entitlement_confirm", pair.firm_user.pk),
        ("entitlement_pay", office.pk),
    ]


def test_a_late_confirmation_is_refused_and_a_refusal_returns_the_money():
    deal, tool, pair, office = closed_deal()
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    entitlement = programme.entitlement_publish(
        entitlement=entitlement, by=office, today=dt.date(2026, 3, 5)
    )
    with pytest.raises(programme.ProgrammeConflict):
        programme.entitlement_confirm(
            entitlement=entitlement,
            by=pair.firm_user,
            today=entitlement.confirm_by + dt.timedelta(days=1),
        )
    programme.entitlement_refuse(entitlement=entitlement, reason="not confirmed", by=office)
    budget = ToolBudget.objects.get(tool=tool, year=2026)
    assert budget.committed == 0 == ledger.balances(budget)["committed"]
    assert Entitlement.objects.get(pk=entitlement.pk).state == "refused"
    release = LedgerEntry.objects.get(kind="release")
    assert (release.amount, release.entitlement, release.by) == (420_000, entitlement, office)
    # the audit trail says who refused which entitlement and why
    refusal = ProgrammeEvent.objects.get(action="entitlement_refuse")
    assert (refusal.by, refusal.entitlement, refusal.detail) == (
        office,
        entitlement,
        {"reason": "not confirmed"},
    )


def test_a_budget_below_what_is_committed_is_refused_and_nothing_changes():
    deal, tool, pair, office = closed_deal()
    programme.deal_confirm(deal=deal, by=pair.firm_user)
    with pytest.raises(ValidationError) as error:
        programme.tool_update(tool=tool, data={"yearly_budget": 100_000}, by=office)
    assert "yearly_budget" in error.value.message_dict
    tool.refresh_from_db()
    assert tool.yearly_budget == 100_000_000


@pytest.mark.parametrize(
    ("field", "value"),
    [("rate_bp", 10_001), ("cap_per_deal", -1), ("yearly_budget", -5)],
)
def test_a_tool_with_a_rate_over_100pc_or_a_negative_amount_is_refused(field, value):
    from matchmaker.programme.models import Tool

    data = {
        "code": "x",
        "name_en": "X",
        "name_zh": "某",
        "kind": "interest_subsidy",
        "rate_bp": 5000,
        "yearly_budget": 1,
        "window_start": dt.date(2026, 1, 1),
        "window_end": dt.date(2026, 12, 31),
        "legal_basis": "—",
        field: value,
    }
    with pytest.raises(ValidationError) as error:
        programme.tool_create(data=data, by=None)
    assert field in error.value.message_dict
    assert not Tool.objects.filter(code="x").exists()


@pytest.mark.parametrize(("field", "limit"), list(programme.OBJECTION_LIMITS.items()))
def test_an_objections_text_is_required_and_capped_at_its_limit(field, limit):
    text = {"name": "Li Wei", "contact": "li@example.com", "reason": "The firm has no satellite."}
    assert programme.objection_problems(**text) == {}

    missing = programme.objection_problems(**{**text, field: "  "})
    assert missing == {field: "This field is required."}

    at_limit = programme.objection_problems(**{**text, field: "x" * limit})
    assert at_limit == {}
    over = programme.objection_problems(**{**text, field: "x" * (limit + 1)})
    assert over == {field: f"At most {limit} characters."}


def test_an_objection_gives_a_reason_of_ten_characters_at_least():
    text = {"name": "Li Wei", "contact": "li@example.com"}
    too_short = {"reason": "Say what is wrong with this entry, in a sentence or more."}
    assert programme.objection_problems(**text, reason="No launch.") == {}  # exactly 10
    assert programme.objection_problems(**text, reason="No launch") == too_short
    assert programme.objection_problems(**text, reason="   No launch   ") == too_short


def test_a_tool_for_some_segments_pays_a_project_in_one_of_them():
    deal, tool, pair, _office = closed_deal({"eligible_segments": ["components", "launch"]})
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    assert (entitlement.state, entitlement.amount) == ("draft", 420_000)
    computed = ProgrammeEvent.objects.get(action="entitlement_compute")
    assert (computed.entitlement, computed.tool, computed.by) == (entitlement, tool, pair.firm_user)


def another_deal_of(deal, pair):
    """The same firm's next won deal, on the same enrolled offering."""
    project = ProjectFactory(firm=deal.match.project.firm, needs={"credit": 20_000_000})
    scoring.score_project(project.pk)
    match = Match.objects.get(project=project, offering=deal.match.offering)
    to_term_sheet(match, pair.institution_user, pair.firm_user)
    return programme.deal_close(match=match, terms=TERMS, by=pair.institution_user)


def test_a_firms_yearly_cap_counts_its_live_entitlements_and_refuses_beyond_it():
    deal, _tool, pair, office = closed_deal({"cap_per_firm_year": 500_000})
    day = dt.date(2026, 3, 5)
    [first] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=day)
    [second] = programme.deal_confirm(
        deal=another_deal_of(deal, pair), by=pair.firm_user, today=day
    )
    assert (first.amount, second.amount, second.limited_by) == (420_000, 80_000, "per_firm_year")

    [third] = programme.deal_confirm(deal=another_deal_of(deal, pair), by=pair.firm_user, today=day)
    assert (third.state, third.refusal, third.amount) == ("refused", "firm_cap", 0)

    # a refused entitlement no longer counts against the cap
    first = programme.entitlement_publish(entitlement=first, by=office, today=day)
    programme.entitlement_refuse(entitlement=first, reason="not confirmed", by=office)
    [fourth] = programme.deal_confirm(
        deal=another_deal_of(deal, pair), by=pair.firm_user, today=day
    )
    assert (fourth.amount, fourth.state) == (420_000, "draft")


def test_only_an_approved_enrolment_pays_an_entitlement():
    deal, tool, pair, _office = closed_deal()
    requested_only = ToolFactory(
        kind="interest_subsidy", loss_band_low_bp=None, loss_band_high_bp=None
    )
    programme.enrolment_request(
        offering=deal.match.offering, tool=requested_only, by=pair.institution_user
    )
    entitlements = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    assert [e.tool for e in entitlements] == [tool]


def enrol_in_another_tool(deal, office, **tool_fields):
    """The deal's offering is enrolled in a second interest subsidy too."""
    tool = ToolFactory(
        kind="interest_subsidy", loss_band_low_bp=None, loss_band_high_bp=None, **tool_fields
    )
    enrolment = programme.enrolment_request(
        offering=deal.match.offering, tool=tool, by=deal.recorded_by
    )
    programme.enrolment_decide(enrolment=enrolment, approve=True, by=office)
    return tool


def test_a_firms_yearly_cap_counts_only_that_tools_entitlements():
    deal, tool, pair, office = closed_deal({"cap_per_firm_year": 500_000})
    other_tool = enrol_in_another_tool(deal, office, cap_per_firm_year=500_000)
    entitlements = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    # each tool pays 420,000 under its own cap: the other tool's 420,000 is not this one's
    assert [(e.tool, e.amount, e.limited_by, e.state) for e in entitlements] == [
        (tool, 420_000, "", "draft"),
        (other_tool, 420_000, "", "draft"),
    ]


def test_a_firms_yearly_cap_counts_only_that_years_entitlements():
    window = {"window_start": dt.date(2025, 1, 1), "window_end": dt.date(2027, 12, 31)}
    deal, _tool, pair, _office = closed_deal(
        {"cap_per_firm_year": 500_000, **window},
        terms={"start_date": dt.date(2025, 12, 1), "end_date": dt.date(2028, 11, 30)},
    )
    [last_year] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2025, 12, 15))
    assert (last_year.year, last_year.amount) == (2025, 420_000)
    [this_year] = programme.deal_confirm(
        deal=another_deal_of(deal, pair), by=pair.firm_user, today=dt.date(2026, 3, 5)
    )
    # a new year, a new cap: last year's 420,000 does not count against it
    assert (this_year.year, this_year.amount, this_year.limited_by) == (2026, 420_000, "")


def test_an_interest_free_loan_is_refused_as_nothing_due_and_commits_nothing():
    deal, tool, pair, _office = closed_deal(terms={"rate_bp": 0})
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    entitlement.refresh_from_db()
    assert (entitlement.state, entitlement.refusal, entitlement.amount) == (
        "refused",
        "nothing_due",
        0,
    )
    computed = ProgrammeEvent.objects.get(action="entitlement_compute")
    assert (computed.entitlement, computed.tool, computed.by) == (entitlement, tool, pair.firm_user)
    assert not LedgerEntry.objects.exists()
    assert ToolBudget.objects.get(tool=tool, year=2026).committed == 0


def test_one_yuan_due_is_paid_not_refused():
    # a year's interest at 0.01 % on 20,000 is 2; the programme pays half
    deal, tool, pair, _office = closed_deal(terms={"amount": 20_000, "rate_bp": 1})
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    assert (entitlement.state, entitlement.refusal, entitlement.amount) == ("draft", "", 1)
    assert ToolBudget.objects.get(tool=tool, year=2026).committed == 1


def test_a_refusal_for_an_exclusion_keeps_its_reason_when_nothing_is_due_either():
    closed_window = {"window_start": dt.date(2026, 1, 1), "window_end": dt.date(2026, 3, 4)}
    deal, _tool, pair, _office = closed_deal(closed_window, terms={"rate_bp": 0})
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    assert (entitlement.state, entitlement.refusal) == ("refused", "window")
