"""The rules a project must keep, written once for the web form and the API."""

from datetime import timedelta

from django.utils.translation import gettext as _

from matchmaker.vocabulary import Collateral

# A project marked as funded by mistake can be put back up for matching this long after.
FUNDED_UNDO_WINDOW = timedelta(days=1)


def break_even_problem(
    months_to_revenue: int | None, months_to_break_even: int | None
) -> str | None:
    if (
        months_to_revenue is not None
        and months_to_break_even
        and months_to_break_even < months_to_revenue
    ):
        return _("Break-even cannot come before first revenue (%(months)s months).") % {
            "months": months_to_revenue
        }
    return None


def milestone_date_problem(due_date, today) -> str | None:
    """Milestones are plans: a date already past is almost always a typo (2020 for 2028)."""
    if due_date is not None and due_date < today:
        return _("A milestone is a plan: choose a date from today on.")
    return None


def collateral_problem(codes: list[str]) -> str | None:
    if Collateral.NONE in codes and len(codes) > 1:
        return _("Choose “None” alone, or the collateral you have.")
    return None
