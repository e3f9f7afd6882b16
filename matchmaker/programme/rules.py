"""The programme's rules shared by forms, serializers and services: what a valid tool,
enrolment, deal or claim looks like, and what each tool pays (pure integer arithmetic)."""

from django.utils.translation import gettext as _

from matchmaker.programme.models import BASIS_POINTS, ProgrammeList, ToolKind
from matchmaker.vocabulary import Segment

MONEY_FIELDS = ("cap_per_deal", "cap_per_unit", "cap_per_firm_year", "yearly_budget")
RATE_FIELDS = ("rate_bp", "rate_ceiling_bp", "loss_band_low_bp", "loss_band_high_bp")


def tool_problems(data: dict) -> dict[str, str]:
    """Field → message for every rule a tool's figures break (empty when valid)."""
    problems: dict[str, str] = {}
    for name in RATE_FIELDS:
        value = data.get(name)
        if value is not None and not 0 <= value <= BASIS_POINTS:
            problems[name] = _("A rate is between 0 and 10,000 basis points (0–100 %).")
    for name in MONEY_FIELDS:
        value = data.get(name)
        if value is not None and value < 0:
            problems[name] = _("An amount cannot be negative.")
    start, end = data.get("window_start"), data.get("window_end")
    if start and end and end < start:
        problems["window_end"] = _("The window closes after it opens.")
    low, high = data.get("loss_band_low_bp"), data.get("loss_band_high_bp")
    if low is not None and high is not None and high < low and "loss_band_high_bp" not in problems:
        problems["loss_band_high_bp"] = _("The band's top is above its bottom.")
    if data.get("kind") == ToolKind.RISK_POOL and (low is None or high is None):
        problems.setdefault("loss_band_high_bp", _("A risk pool needs its loss band."))
    unknown = set(data.get("eligible_segments") or []) - set(Segment.values)
    if unknown:
        problems["eligible_segments"] = _("Unknown segment.")
    if set(data.get("required_lists") or []) - set(ProgrammeList.values):
        problems["required_lists"] = _("Unknown list.")
    return problems


def budget_problem(new_budget: int, committed: int) -> str | None:
    if new_budget < committed:
        return _("The budget cannot fall below what is already committed (%(committed)s RMB).") % {
            "committed": f"{committed:,}"
        }
    return None


def deal_problems(data: dict) -> dict[str, str]:
    problems: dict[str, str] = {}
    if data.get("amount") is not None and data["amount"] <= 0:
        problems["amount"] = _("The amount must be above zero.")
    rate = data.get("rate_bp")
    if rate is not None and not 0 <= rate <= BASIS_POINTS:
        problems["rate_bp"] = _("A rate is between 0 and 10,000 basis points (0–100 %).")
    if data.get("tenor_months") is not None and data["tenor_months"] <= 0:
        problems["tenor_months"] = _("The tenor must be at least one month.")
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        problems["end_date"] = _("The end date comes after the start date.")
    return problems


def claim_problems(outstanding: int, recoveries: int) -> dict[str, str]:
    problems: dict[str, str] = {}
    if outstanding <= 0:
        problems["outstanding"] = _("The outstanding amount must be above zero.")
    if recoveries < 0:
        problems["recoveries"] = _("Recoveries cannot be negative.")
    elif recoveries > outstanding:
        problems["recoveries"] = _("Recoveries cannot exceed the outstanding amount.")
    return problems


def share(amount: int, rate_bp: int) -> int:
    """amount × rate in whole RMB, rounded down (the programme never pays a fraction up)."""
    return amount * rate_bp // BASIS_POINTS


def cost_base(tool, amount: int, rate_bp: int, tenor_months: int) -> int:
    """What the tool shares in, before its own rate: a year's interest on a loan (at most
    the tenor), or the premium or fee; first-of-kind counts the rate at most its ceiling
    and for at most `years_max` years."""
    if tool.rate_ceiling_bp is not None:
        rate_bp = min(rate_bp, tool.rate_ceiling_bp)
    if tool.kind == ToolKind.INTEREST_SUBSIDY:
        return amount * rate_bp * min(tenor_months, 12) // (12 * BASIS_POINTS)
    premium = share(amount, rate_bp)
    if tool.kind == ToolKind.FIRST_OF_KIND_INSURANCE and tool.years_max:
        years = min(tool.years_max, max(1, -(-tenor_months // 12)))
        return premium * years
    return premium


def entitlement_before_budget(tool, deal, firm_year_so_far: int) -> tuple[int, int, str]:
    """(base, amount under the tool's caps, which cap bound or "") for one deal."""
    base = share(cost_base(tool, deal.amount, deal.rate_bp, deal.tenor_months), tool.rate_bp)
    amount, limited_by = base, ""
    caps = (
        ("per_deal", tool.cap_per_deal),
        ("per_unit", None if tool.cap_per_unit is None else tool.cap_per_unit * deal.units),
        (
            "per_firm_year",
            None
            if tool.cap_per_firm_year is None
            else max(0, tool.cap_per_firm_year - firm_year_so_far),
        ),
    )
    for name, cap in caps:
        if cap is not None and cap < amount:
            amount, limited_by = cap, name
    return base, amount, limited_by


def net_rate_bp(tool, rate_bp: int) -> int:
    """The rate a firm bears once the tool pays its share (4.2 % → 2.1 % at 50 %)."""
    counted = rate_bp if tool.rate_ceiling_bp is None else min(rate_bp, tool.rate_ceiling_bp)
    return rate_bp - share(counted, tool.rate_bp)


def pool_compensation(tool, portfolio: int, earlier_losses: int, loss: int) -> int:
    """The pool's share of the part of this loss that falls inside the band of the
    enrolled portfolio's losses (e.g. 50 % of what lies between 3 % and 5 %), counting
    the losses already claimed first."""
    low = share(portfolio, tool.loss_band_low_bp or 0)
    high = share(portfolio, tool.loss_band_high_bp or 0)
    start, end = earlier_losses, earlier_losses + loss
    inside = max(0, min(end, high) - max(start, low))
    return share(inside, tool.rate_bp)
