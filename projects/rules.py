"""The rules a project must keep, written once for the web form and the API."""

from datetime import timedelta

from django.utils.translation import gettext as _

from matchmaker.vocabulary import (
    SHANGHAI_REGIONS,
    Collateral,
    FlightRecord,
    Province,
    RevenueStatus,
)

# A project marked as funded by mistake can be put back up for matching this long after.
FUNDED_UNDO_WINDOW = timedelta(days=1)

MAX_FLIGHTS = 10_000  # successful flights or units in orbit: a constellation's size at most

MAX_MILESTONES = 30  # the web form and the API keep the same number


def flight_record_problem(flight_record: str | None, successful_flights: int | None) -> str | None:
    """The count must say what the record says: none before a first flight, one after it,
    two or more once proven. (The form fills in the 1 for a first flight by itself.)"""
    if flight_record is None or successful_flights is None:
        return None
    if flight_record in (FlightRecord.NOT_FLOWN, FlightRecord.EARLIER_PRODUCTS):
        if successful_flights:
            return _(
                "You counted %(count)s successful flights: choose “First flight done” or "
                "“Several successful flights”."
            ) % {"count": successful_flights}
    elif flight_record == FlightRecord.FIRST_FLIGHT and successful_flights != 1:
        return _("A first flight is one successful flight: enter 1, or choose another record.")
    elif flight_record == FlightRecord.FLIGHT_PROVEN and successful_flights < 2:
        return _("Enter how many successful flights or units in orbit: at least 2.")
    return None


def flights_for(flight_record: str | None, successful_flights: int | None) -> int | None:
    """What to store when the firm left the count at its default: 1 for a first flight."""
    if flight_record == FlightRecord.FIRST_FLIGHT and not successful_flights:
        return 1
    return successful_flights


def revenue_problem(revenue_status: str | None, last_year_revenue: int | None) -> str | None:
    if revenue_status == RevenueStatus.PRE_REVENUE and last_year_revenue:
        return _("A pre-revenue firm has no revenue yet: choose “Earning revenue”, or enter 0.")
    return None


def place_problem(province: str | None, region: str | None) -> str | None:
    """The Shanghai district and the province must agree."""
    if province is None or region is None:
        return None
    if province == Province.SHANGHAI and region not in SHANGHAI_REGIONS:
        return _("The work happens in Shanghai: choose its district.")
    if province != Province.SHANGHAI and region in SHANGHAI_REGIONS:
        return _("The work happens outside Shanghai: choose “Outside Shanghai” as the district.")
    return None


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


def milestone_count_problem(count: int) -> str | None:
    """Thirty dated steps is more than any real plan; more is a paste gone wrong."""
    if count > MAX_MILESTONES:
        return _("A project keeps at most %(limit)d milestones; you gave %(count)d.") % {
            "limit": MAX_MILESTONES,
            "count": count,
        }
    return None


def collateral_problem(codes: list[str]) -> str | None:
    if Collateral.NONE in codes and len(codes) > 1:
        return _("Choose “None” alone, or the collateral you have.")
    return None


STATUS_FIELDS = (
    "flight_record",
    "successful_flights",
    "revenue_status",
    "last_year_revenue",
    "province",
    "region",
)


def status_problems(values: dict) -> dict[str, str]:
    """Field → problem for the facts that must agree with each other: the flight count with
    the flight record, revenue with the revenue status, the district with the province."""
    problems = {
        "successful_flights": flight_record_problem(
            values.get("flight_record"), values.get("successful_flights")
        ),
        "last_year_revenue": revenue_problem(
            values.get("revenue_status"), values.get("last_year_revenue")
        ),
        "region": place_problem(values.get("province"), values.get("region")),
    }
    return {field: problem for field, problem in problems.items() if problem}
