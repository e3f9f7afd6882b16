"""The ledger's and the tools' rules at their edges: a release given back once and by
whom, balances recomputed from the entries (also from none), every figure of a tool at
the limit and one step past it, the pool's band at its ends, the rate ceiling."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from matchmaker.programme import ledger, rules
from matchmaker.programme import services as programme
from matchmaker.programme.models import LedgerEntry, ToolBudget
from tests.factories import ToolFactory, UserFactory

pytestmark = pytest.mark.django_db

RATE_MESSAGE = "A rate is between 0 and 10,000 basis points (0–100 %)."
NEGATIVE_MESSAGE = "An amount cannot be negative."


@pytest.fixture
def office():
    return UserFactory(is_staff=True)


@pytest.fixture
def budget():
    return ledger.budget_of(ToolFactory(yearly_budget=1_000), 2026)


def test_a_release_gives_back_once_what_was_committed_and_records_who(budget, office):
    assert ledger.commit(budget, 1_000, "commit", office) == 1_000
    ledger.release(budget, 1, "release", office)
    ledger.release(budget, 1, "release", office)  # a retried call: nothing twice
    assert budget.committed == 999
    assert ToolBudget.objects.get(pk=budget.pk).committed == 999
    entry = LedgerEntry.objects.get(idempotency_key="release")
    assert (entry.kind, entry.amount, entry.by) == (LedgerEntry.Kind.RELEASE, 1, office)
    # what was given back may be committed again, on the same locked budget
    ledger.release(budget, 400, "release-more", office)
    assert ledger.commit(budget, 500, "commit-again", office) == 401


def test_commits_take_what_is_left_on_the_same_locked_budget_and_then_nothing(budget, office):
    assert ledger.commit(budget, 1, "one", office) == 1
    assert ledger.commit(budget, 299, "more", office) == 299
    assert ledger.commit(budget, 500, "half", office) == 500
    assert ledger.commit(budget, 500, "too much", office) == 200  # the rest
    assert ledger.commit(budget, 500, "none left", office) == 0
    assert ledger.commit(budget, 0, "nothing", office) == 0
    assert budget.committed == 1_000 == ToolBudget.objects.get(pk=budget.pk).committed
    assert not LedgerEntry.objects.filter(idempotency_key__in=["none left", "nothing"]).exists()
    assert set(LedgerEntry.objects.values_list("by", flat=True)) == {office.pk}


def test_payments_are_recorded_once_each_on_the_same_locked_budget(budget, office):
    ledger.commit(budget, 1_000, "commit", office)
    ledger.pay(budget, 1, "pay-1", office)
    ledger.pay(budget, 1, "pay-1", office)  # a retried call
    ledger.pay(budget, 300, "pay-2", office)
    assert budget.paid == 301 == ToolBudget.objects.get(pk=budget.pk).paid
    assert LedgerEntry.objects.get(idempotency_key="pay-1").by == office


def test_a_budget_set_on_a_locked_row_is_what_the_next_commit_sees(budget, office):
    ledger.set_budget(budget, 2_000)
    assert ledger.commit(budget, 1_500, "commit", office) == 1_500
    assert ToolBudget.objects.get(pk=budget.pk).budget == 2_000


@pytest.mark.parametrize("amount", [0, -5])
def test_nothing_or_less_is_neither_released_nor_paid(budget, office, amount):
    ledger.commit(budget, 600, "commit", office)
    ledger.release(budget, amount, "release", office)
    ledger.pay(budget, amount, "pay", office)
    assert not LedgerEntry.objects.filter(idempotency_key__in=["release", "pay"]).exists()
    budget.refresh_from_db()
    assert (budget.committed, budget.paid) == (600, 0)


def test_balances_are_what_the_entries_say_from_none_at_all(budget, office):
    assert ledger.balances(budget) == {"committed": 0, "paid": 0}
    ledger.release(budget, 0, "nothing", office)
    assert ledger.balances(budget) == {"committed": 0, "paid": 0}
    ledger.commit(budget, 700, "commit", office)
    assert ledger.balances(budget) == {"committed": 700, "paid": 0}
    ledger.release(budget, 200, "release", office)
    ledger.pay(budget, 300, "pay", office)
    assert ledger.balances(budget) == {"committed": 500, "paid": 300}


def test_rebuilding_writes_the_balances_the_entries_say(budget, office):
    ledger.commit(budget, 700, "commit", office)
    ledger.pay(budget, 300, "pay", office)
    ToolBudget.objects.filter(pk=budget.pk).update(committed=900, paid=400)  # a bad restore
    rebuilt = ledger.rebuild_balances(budget)
    assert (rebuilt.committed, rebuilt.paid) == (700, 300)
    stored = ToolBudget.objects.get(pk=budget.pk)
    assert (stored.committed, stored.paid) == (700, 300)


VALID_TOOL = {
    "kind": "interest_subsidy",
    "rate_bp": 5000,
    "yearly_budget": 1,
    "window_start": dt.date(2026, 1, 1),
    "window_end": dt.date(2026, 12, 31),
}


@pytest.mark.parametrize(
    "field", ["rate_bp", "rate_ceiling_bp", "loss_band_low_bp", "loss_band_high_bp"]
)
def test_a_rate_may_be_0_or_100pc_and_nothing_past_either(field):
    pool = {**VALID_TOOL, "kind": "risk_pool", "loss_band_low_bp": 0, "loss_band_high_bp": 10_000}
    for edge in (0, 10_000):
        assert rules.tool_problems({**pool, field: edge}) == {}, (field, edge)
    for past in (-1, 10_001):
        assert rules.tool_problems({**pool, field: past})[field] == RATE_MESSAGE


@pytest.mark.parametrize("field", rules.MONEY_FIELDS)
def test_an_amount_may_be_zero_and_not_below(field):
    assert rules.tool_problems({**VALID_TOOL, field: 0}) == {}
    assert rules.tool_problems({**VALID_TOOL, field: -1}) == {field: NEGATIVE_MESSAGE}


def test_a_window_may_open_and_close_on_one_day_not_close_before_it_opens():
    day = dt.date(2026, 6, 1)
    assert rules.tool_problems({**VALID_TOOL, "window_start": day, "window_end": day}) == {}
    assert rules.tool_problems(
        {**VALID_TOOL, "window_start": day, "window_end": day - dt.timedelta(days=1)}
    ) == {"window_end": "The window closes after it opens."}


def test_a_pools_band_may_be_one_point_wide_and_needs_both_ends():
    pool = {**VALID_TOOL, "kind": "risk_pool"}
    assert rules.tool_problems({**pool, "loss_band_low_bp": 300, "loss_band_high_bp": 300}) == {}
    assert rules.tool_problems({**pool, "loss_band_low_bp": 300, "loss_band_high_bp": 299}) == {
        "loss_band_high_bp": "The band's top is above its bottom."
    }
    needs = {"loss_band_high_bp": "A risk pool needs its loss band."}
    assert rules.tool_problems({**pool, "loss_band_low_bp": 300}) == needs
    assert rules.tool_problems({**pool, "loss_band_high_bp": 500}) == needs
    # a rate out of range says so, not that the band is upside down
    assert rules.tool_problems({**pool, "loss_band_low_bp": 300, "loss_band_high_bp": -1}) == {
        "loss_band_high_bp": RATE_MESSAGE
    }
    # only a pool needs a band
    assert rules.tool_problems(VALID_TOOL) == {}


def test_unknown_segments_and_lists_are_named():
    assert rules.tool_problems(
        {**VALID_TOOL, "eligible_segments": ["launch", "moon-cheese"], "required_lists": ["x"]}
    ) == {"eligible_segments": "Unknown segment.", "required_lists": "Unknown list."}


def test_a_budget_may_fall_to_what_is_committed_and_no_lower():
    assert rules.budget_problem(1_000, 1_000) is None
    assert rules.budget_problem(999, 1_000) == (
        "The budget cannot fall below what is already committed (1,000 RMB)."
    )


def test_the_rate_a_firm_bears_counts_the_tools_share_up_to_the_ceiling():
    tool = ToolFactory.build(kind="interest_subsidy", rate_bp=5000, rate_ceiling_bp=None)
    assert rules.net_rate_bp(tool, 420) == 210
    tool.rate_ceiling_bp = 300  # the tool shares in 3 % at most
    assert rules.net_rate_bp(tool, 420) == 420 - 150
    assert rules.net_rate_bp(tool, 200) == 100


def test_a_loans_interest_is_counted_at_most_at_the_ceiling_and_for_a_year():
    tool = ToolFactory.build(kind="interest_subsidy", rate_bp=5000, rate_ceiling_bp=300)
    assert rules.cost_base(tool, 1_000_000, 500, 24) == 30_000
    tool.rate_ceiling_bp = None
    assert rules.cost_base(tool, 1_000_000, 500, 6) == 25_000


def test_a_premium_is_shared_once_and_first_of_kind_for_each_year_up_to_its_limit():
    premium = ToolFactory.build(kind="premium_subsidy", rate_ceiling_bp=300)
    assert rules.cost_base(premium, 1_000_000, 500, 48) == 30_000  # 3 % at most, once
    first = ToolFactory.build(kind="first_of_kind_insurance", rate_ceiling_bp=None, years_max=3)
    by_tenor = {
        months: rules.cost_base(first, 1_000_000, 200, months) for months in (1, 12, 13, 48)
    }
    assert by_tenor == {1: 20_000, 12: 20_000, 13: 40_000, 48: 60_000}
    first.years_max = None
    assert rules.cost_base(first, 1_000_000, 200, 48) == 20_000


def test_each_cap_binds_from_its_edge_and_a_spent_yearly_cap_leaves_nothing():
    tool = ToolFactory.build(kind="premium_subsidy", rate_bp=5000, rate_ceiling_bp=None)
    deal = SimpleNamespace(amount=1_000_000, rate_bp=1000, tenor_months=12, units=3)
    assert rules.entitlement_before_budget(tool, deal, 0) == (50_000, 50_000, "")
    tool.cap_per_deal = 50_000  # exactly the amount: it does not bind
    assert rules.entitlement_before_budget(tool, deal, 0) == (50_000, 50_000, "")
    tool.cap_per_unit = 10_000  # three satellites
    assert rules.entitlement_before_budget(tool, deal, 0) == (50_000, 30_000, "per_unit")
    tool.cap_per_unit, tool.cap_per_firm_year = None, 80_000
    assert rules.entitlement_before_budget(tool, deal, 60_000) == (50_000, 20_000, "per_firm_year")
    assert rules.entitlement_before_budget(tool, deal, 80_000) == (50_000, 0, "per_firm_year")
    assert rules.entitlement_before_budget(tool, deal, 90_000) == (50_000, 0, "per_firm_year")


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        ({"amount": 1, "rate_bp": 0, "tenor_months": 1}, {}),
        ({"rate_bp": 10_000}, {}),
        ({"amount": 0}, {"amount": "The amount must be above zero."}),
        ({"rate_bp": -1}, {"rate_bp": RATE_MESSAGE}),
        ({"rate_bp": 10_001}, {"rate_bp": RATE_MESSAGE}),
        ({"tenor_months": 0}, {"tenor_months": "The tenor must be at least one month."}),
        ({"start_date": dt.date(2026, 3, 2), "end_date": dt.date(2026, 3, 2)}, {}),
        (
            {"start_date": dt.date(2026, 3, 2), "end_date": dt.date(2026, 3, 1)},
            {"end_date": "The end date comes after the start date."},
        ),
    ],
)
def test_a_deals_terms_at_their_edges(data, problems):
    assert rules.deal_problems(data) == problems


def test_locking_a_budget_takes_that_years_row(office):
    tool = ToolFactory()
    ledger.budget_of(tool, 2026)
    assert ledger.lock_budget(tool, 2027).year == 2027


def test_the_pool_pays_only_inside_its_band_from_its_bottom_edge():
    portfolio = 10_000_000
    whole = ToolFactory.build(rate_bp=10_000, loss_band_low_bp=0, loss_band_high_bp=500)
    # a band from 0 %: the first yuan lost is inside it
    assert rules.pool_compensation(whole, portfolio, 0, 100_000) == 100_000
    # past the band's top nothing, not even one yuan
    assert rules.pool_compensation(whole, portfolio, 500_000, 100_000) == 0
    narrow = ToolFactory.build(rate_bp=10_000, loss_band_low_bp=0, loss_band_high_bp=0)
    assert rules.pool_compensation(narrow, portfolio, 0, 100_000) == 0
    below = ToolFactory.build(rate_bp=10_000, loss_band_low_bp=300, loss_band_high_bp=500)
    assert rules.pool_compensation(below, portfolio, 0, 100_000) == 0  # below the band


def test_a_claim_is_above_zero_and_recovers_between_nothing_and_all_of_it():
    assert rules.claim_problems(1, 0) == {}
    assert rules.claim_problems(1, 1) == {}
    assert rules.claim_problems(0, 0) == {
        "outstanding": "The outstanding amount must be above zero."
    }
    assert rules.claim_problems(100, -1) == {"recoveries": "Recoveries cannot be negative."}
    assert rules.claim_problems(100, 101) == {
        "recoveries": "Recoveries cannot exceed the outstanding amount."
    }


def test_a_new_yearly_budget_applies_to_this_years_budget(office):
    tool = ToolFactory(yearly_budget=1_000)
    this_year = ledger.budget_of(tool, timezone.localdate().year)
    programme.tool_update(tool=tool, data={"yearly_budget": 2_500}, by=office)
    assert ToolBudget.objects.get(pk=this_year.pk).budget == 2_500


def test_shares_are_whole_yuan_rounded_down():
    assert rules.share(999, 5000) == 499 and type(rules.share(999, 5000)) is int
    loan = ToolFactory.build(kind="interest_subsidy", rate_bp=5000, rate_ceiling_bp=None)
    interest = rules.cost_base(loan, 1_000_001, 500, 12)
    assert interest == 50_000 and type(interest) is int
