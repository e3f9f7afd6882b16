"""The budget ledger: the ONLY module that writes `LedgerEntry` rows or budget balances.

Entries are append-only and carry an idempotency key (unique in the database), so a
retried call never commits twice. `ToolBudget.committed` and `.paid` are a cache of the
entries, kept in the same transaction and recomputable by `rebuild_balances`; the
database refuses a committed total above the budget or a paid total above the committed.

Lock order, everywhere: the tool-year budget row first, then the firm's row. A caller
that needs both calls `lock_budget` then `lock_firm`.
"""

from django.db.models import F, Sum

from matchmaker.programme.models import LedgerEntry, Tool, ToolBudget
from projects.models import Firm


def budget_of(tool: Tool, year: int) -> ToolBudget:
    """The tool's budget row for a year, created at the tool's yearly budget."""
    budget, _created = ToolBudget.objects.get_or_create(
        tool=tool, year=year, defaults={"budget": tool.yearly_budget}
    )
    return budget


def lock_budget(tool: Tool, year: int) -> ToolBudget:
    """Lock (first) the tool-year budget row. Must run inside a transaction."""
    budget_of(tool, year)
    return ToolBudget.objects.select_for_update().get(tool=tool, year=year)


def lock_firm(firm_id: int) -> Firm:
    """Lock (second) the firm's row: its per-year caps are counted under this lock."""
    return Firm.objects.select_for_update().get(pk=firm_id)


def _append(budget: ToolBudget, kind: str, amount: int, key: str, by, **links) -> LedgerEntry:
    existing = LedgerEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    return LedgerEntry.objects.create(
        budget=budget, kind=kind, amount=amount, idempotency_key=key, by=by, **links
    )


def commit(budget: ToolBudget, amount: int, key: str, by, **links) -> int:
    """Commit up to `amount` of a locked budget: returns what was committed (the rest of
    the budget when less is left; 0 when nothing is)."""
    if LedgerEntry.objects.filter(idempotency_key=key).exists():
        return LedgerEntry.objects.get(idempotency_key=key).amount
    amount = min(amount, budget.budget - budget.committed)
    if amount <= 0:
        return 0
    _append(budget, LedgerEntry.Kind.COMMIT, amount, key, by, **links)
    ToolBudget.objects.filter(pk=budget.pk).update(committed=F("committed") + amount)
    budget.committed += amount
    return amount


def release(budget: ToolBudget, amount: int, key: str, by, **links) -> None:
    """Give back a commitment (a refused or expired entitlement)."""
    if amount <= 0 or LedgerEntry.objects.filter(idempotency_key=key).exists():
        return
    _append(budget, LedgerEntry.Kind.RELEASE, amount, key, by, **links)
    ToolBudget.objects.filter(pk=budget.pk).update(committed=F("committed") - amount)
    budget.committed -= amount


def pay(budget: ToolBudget, amount: int, key: str, by, **links) -> None:
    """Record a payment of committed money."""
    if amount <= 0 or LedgerEntry.objects.filter(idempotency_key=key).exists():
        return
    _append(budget, LedgerEntry.Kind.PAY, amount, key, by, **links)
    ToolBudget.objects.filter(pk=budget.pk).update(paid=F("paid") + amount)
    budget.paid += amount


def set_budget(budget: ToolBudget, amount: int) -> None:
    """Change a locked budget's total (the database refuses one below what is committed)."""
    ToolBudget.objects.filter(pk=budget.pk).update(budget=amount)
    budget.budget = amount


def balances(budget: ToolBudget) -> dict[str, int]:
    """Committed and paid as the entries say: commits minus releases, and payments."""
    totals = dict(
        LedgerEntry.objects.filter(budget=budget)
        .values("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    committed = totals.get(LedgerEntry.Kind.COMMIT, 0) - totals.get(LedgerEntry.Kind.RELEASE, 0)
    return {"committed": committed, "paid": totals.get(LedgerEntry.Kind.PAY, 0)}


def rebuild_balances(budget: ToolBudget) -> ToolBudget:
    """The one documented way to recompute a budget's cached balances from its entries
    (after a restore, or to audit): returns the budget with them written."""
    ToolBudget.objects.filter(pk=budget.pk).update(**balances(budget))
    budget.refresh_from_db()
    return budget
