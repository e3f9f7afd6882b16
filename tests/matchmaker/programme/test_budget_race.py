"""Two deals confirmed at the same moment race for the last of a tool's budget: the
budget row lock serialises them, the total committed is the budget exactly, and one
entitlement is cut (real threads, each with its own database connection)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from matchmaker.programme import ledger
from matchmaker.programme import services as programme
from matchmaker.programme.models import Entitlement, LedgerEntry, ToolBudget
from tests.matchmaker.programme.test_entitlements import closed_deal

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_deals_racing_for_the_last_of_the_budget_never_overspend_it():
    first, tool, first_pair, _office = closed_deal({"yearly_budget": 600_000})
    second, _tool, second_pair, _office = closed_deal(tool=tool)
    barrier = threading.Barrier(2)
    errors = []

    def confirm(deal, user):
        barrier.wait()
        try:
            programme.deal_confirm(deal=deal, by=user, today=dt.date(2026, 3, 5))
        except Exception as error:  # reported below: the test fails on any
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=(first, first_pair.firm_user)),
        threading.Thread(target=confirm, args=(second, second_pair.firm_user)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    amounts = sorted(Entitlement.objects.filter(tool=tool).values_list("amount", "limited_by"))
    assert amounts == [(180_000, "budget"), (420_000, "")]
    budget = ToolBudget.objects.get(tool=tool, year=2026)
    assert budget.committed == 600_000 == budget.budget
    assert ledger.balances(budget)["committed"] == 600_000
    assert LedgerEntry.objects.filter(budget=budget).count() == 2


def test_a_retried_commit_with_the_same_key_commits_once():
    deal, tool, pair, _office = closed_deal()
    [entitlement] = programme.deal_confirm(deal=deal, by=pair.firm_user, today=dt.date(2026, 3, 5))
    budget = ToolBudget.objects.get(tool=tool, year=2026)
    again = ledger.commit(budget, 999, f"entitlement:{entitlement.pk}:commit", pair.firm_user)
    assert again == entitlement.amount
    assert ledger.rebuild_balances(budget).committed == entitlement.amount
