"""The rules a project must keep, written once for the web form and the API."""

from datetime import timedelta

from django.utils.translation import gettext as _

from matchmaker.vocabulary import (
    SHANGHAI_REGIONS,
    Collateral,
    FlightRecord,
    Instrument,
    Province,
    Region,
    RevenueStatus,
    rmb,
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


def country_problem(province: str | None, country: str | None) -> str | None:
    """#25: a country (ISO code) is said only for a place outside China; a Chinese
    province already says China."""
    if country and province is not None and province != Province.ABROAD:
        return _(
            "A country is given only outside China: choose “Outside China”, or leave it blank."
        )
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


PLACE_COUNTRIES = (("province", "country"), ("registered_province", "registered_country"))


def place_as_meant(sent: dict, current) -> dict:
    """Fill in the half of the place a client left out, from the half it sent.

    The API's first release knew only the district (``region``: a Shanghai district or
    ``other_china``); the province came later with Shanghai as its default. A client that
    still sends only the district means what it always meant: ``other_china`` is outside
    Shanghai (province "another province", as the migration that added the field read
    such projects, where the firm was registered too when it is new), a Shanghai district
    is in Shanghai. A client sending only a province outside Shanghai means "outside
    Shanghai" as its district. ``current`` is the stored project (or a new one)."""
    derived = {}
    if "region" in sent and "province" not in sent:
        region = sent["region"]
        if region in SHANGHAI_REGIONS and current.province != Province.SHANGHAI:
            derived["province"] = Province.SHANGHAI
        elif region not in SHANGHAI_REGIONS and current.province == Province.SHANGHAI:
            derived["province"] = Province.OTHER
            if current.pk is None and "registered_province" not in sent:
                derived["registered_province"] = Province.OTHER
    elif "province" in sent and "region" not in sent:
        outside = sent["province"] != Province.SHANGHAI
        if outside and current.region in SHANGHAI_REGIONS:
            derived["region"] = Region.OTHER_CHINA
    # #25: a client that knows no country and moves the place into China drops the
    # country it no longer applies to (a Chinese province says China)
    for province, country in (
        ("province", "country"),
        ("registered_province", "registered_country"),
    ):
        moved_home = province in derived or province in sent
        place = derived.get(province, sent.get(province))
        stale = country not in sent and getattr(current, country, "")
        if moved_home and place != Province.ABROAD and stale:
            derived[country] = ""
    return derived


# Above these an amount is possible but unusual enough to ask "a digit too many?".
# A start-up below TRL 7 has rarely raised more than RMB 10 billion before; a single need
# above RMB 20 billion would be one of the largest space financings ever.
PLAUSIBLE_PRIOR_FUNDING_BEFORE_TRL_7 = 10 * 10**9
PLAUSIBLE_NEED = 20 * 10**9


def implausible_amounts(*, trl=None, prior_funding=None, needs: dict | None = None) -> list[str]:
    """Warnings, not refusals: amounts a person should look at twice. The form shows them
    after saving; the same words serve wherever the amounts are entered."""
    warnings = []
    if trl and trl < 7 and (prior_funding or 0) > PLAUSIBLE_PRIOR_FUNDING_BEFORE_TRL_7:
        warnings.append(
            _(
                "Prior funding of %(amount)s is far more than projects at TRL %(trl)s usually "
                "raise: please check the number of digits."
            )
            % {"amount": rmb(prior_funding), "trl": trl}
        )
    for instrument, amount in (needs or {}).items():
        if (amount or 0) > PLAUSIBLE_NEED:
            warnings.append(
                _(
                    "Seeking %(amount)s in %(instrument)s would be one of the largest space "
                    "financings ever: please check the number of digits."
                )
                % {"amount": rmb(amount), "instrument": Instrument(instrument).label}
            )
    return warnings


STATUS_FIELDS = (
    "flight_record",
    "successful_flights",
    "revenue_status",
    "last_year_revenue",
    "province",
    "region",
    "registered_province",
    "country",
    "registered_country",
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
        "country": country_problem(values.get("province"), values.get("country")),
        "registered_country": country_problem(
            values.get("registered_province"), values.get("registered_country")
        ),
    }
    return {field: problem for field, problem in problems.items() if problem}
