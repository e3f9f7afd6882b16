"""Why a need found no match: which of the engine's screens excluded each live offering
of its instrument, said in words from the offerings themselves ("every bank offering
requires TRL 7 or more; this project is at TRL 5"), never a canned sentence.

The screens are the engine's own hard rules (`encoding.failed_screens`), so these words
cannot drift from what the engine does.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from investors.models import Offering
from matchmaker.matching.encoding import (
    SYNDICATE_MIN_SHARE_PERCENT,
    failed_screens,
    offerings_for_engine,
)
from matchmaker.money import listing, rmb
from matchmaker.vocabulary import (
    CHINA,
    Country,
    Exposure,
    FlightRecord,
    Instrument,
    Province,
    Region,
    RevenueStatus,
    Segment,
    Stage,
    labels,
)
from projects.models import Project


@dataclass(frozen=True)
class UnmatchedNeed:
    instrument: str
    amount: int
    summary: str
    reasons: list[str]

    @property
    def instrument_label(self) -> str:
        return str(Instrument(self.instrument).label)


def _ticket(project: Project, amount: int, offerings: list[Offering]) -> str:
    smallest = min(offering.ticket_min for offering in offerings)
    return ngettext(
        "%(count)s starts at %(smallest)s or more; the need is %(amount)s.",
        "%(count)s start at %(smallest)s or more; the need is %(amount)s.",
        len(offerings),
    ) % {"count": len(offerings), "smallest": rmb(smallest), "amount": rmb(amount)}


def _share(project: Project, amount: int, offerings: list[Offering]) -> str:
    largest = max(min(offering.ticket_max, offering.capacity_left) for offering in offerings)
    return ngettext(
        "%(count)s could put in at most %(largest)s, less than %(minimum)s%% of the "
        "%(amount)s sought: too small a share to join a syndicate.",
        "%(count)s could put in at most %(largest)s, less than %(minimum)s%% of the "
        "%(amount)s sought: too small a share to join a syndicate.",
        len(offerings),
    ) % {
        "count": len(offerings),
        "largest": rmb(largest),
        "minimum": SYNDICATE_MIN_SHARE_PERCENT,
        "amount": rmb(amount),
    }


def _capacity(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s has no capacity left this period.",
        "%(count)s have no capacity left this period.",
        len(offerings),
    ) % {"count": len(offerings)}


def _trl(project: Project, amount: int, offerings: list[Offering]) -> str:
    too_early = [o for o in offerings if project.trl < o.trl_min]
    if len(too_early) == len(offerings):
        return ngettext(
            "%(count)s requires TRL %(trl)s or more; this project is at TRL %(project_trl)s.",
            "%(count)s require TRL %(trl)s or more; this project is at TRL %(project_trl)s.",
            len(offerings),
        ) % {
            "count": len(offerings),
            "trl": min(o.trl_min for o in offerings),
            "project_trl": project.trl,
        }
    return ngettext(
        "%(count)s takes other TRLs only; this project is at TRL %(project_trl)s.",
        "%(count)s take other TRLs only; this project is at TRL %(project_trl)s.",
        len(offerings),
    ) % {"count": len(offerings), "project_trl": project.trl}


def _codes(offerings: list[Offering], field: str) -> list[str]:
    return sorted({code for offering in offerings for code in getattr(offering, field)})


def _segment(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s finances other segments only (%(segments)s).",
        "%(count)s finance other segments only (%(segments)s).",
        len(offerings),
    ) % {
        "count": len(offerings),
        "segments": listing(labels(Segment, _codes(offerings, "segments"))),
    }


def _stage(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s takes other stages only (%(stages)s); this project is at %(stage)s.",
        "%(count)s take other stages only (%(stages)s); this project is at %(stage)s.",
        len(offerings),
    ) % {
        "count": len(offerings),
        "stages": listing(labels(Stage, _codes(offerings, "stages"))),
        "stage": project.get_stage_display(),
    }


def _region(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s is limited to other districts (%(regions)s).",
        "%(count)s are limited to other districts (%(regions)s).",
        len(offerings),
    ) % {
        "count": len(offerings),
        "regions": listing(labels(Region, _codes(offerings, "regions"))),
    }


def _exposures(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s covers other risks only (%(risks)s).",
        "%(count)s cover other risks only (%(risks)s).",
        len(offerings),
    ) % {
        "count": len(offerings),
        "risks": listing(labels(Exposure, _codes(offerings, "exposures_covered"))),
    }


def _minimums(offerings: list[Offering], field: str, levels) -> str:
    """The distinct minimum levels these offerings ask for, lowest first, as words."""
    wanted = sorted({getattr(o, field) for o in offerings}, key=levels.values.index)
    return listing(labels(levels, wanted))


def _flight_record(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s asks for a flight record (%(records)s); this project: %(project)s.",
        "%(count)s ask for a flight record (%(records)s); this project: %(project)s.",
        len(offerings),
    ) % {
        "count": len(offerings),
        "records": _minimums(offerings, "min_flight_record", FlightRecord),
        "project": project.get_flight_record_display(),
    }


def _revenue(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s lends only with revenue (%(statuses)s); this project: %(project)s.",
        "%(count)s lend only with revenue (%(statuses)s); this project: %(project)s.",
        len(offerings),
    ) % {
        "count": len(offerings),
        "statuses": _minimums(offerings, "min_revenue_status", RevenueStatus),
        "project": project.get_revenue_status_display(),
    }


def _presence(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s asks for local presence (%(places)s): neither the firm's registration "
        "nor the project's work is there.",
        "%(count)s ask for local presence (%(places)s): neither the firm's registration "
        "nor the project's work is there.",
        len(offerings),
    ) % {
        "count": len(offerings),
        "places": listing(labels(Province, _codes(offerings, "presence"))),
    }


def _content(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s finances work done in %(places)s only (national content); this project's "
        "work happens in %(place)s.",
        "%(count)s finance work done in %(places)s only (national content); this project's "
        "work happens in %(place)s.",
        len(offerings),
    ) % {
        "count": len(offerings),
        "places": listing(labels(Province, _codes(offerings, "content"))),
        "place": Province(project.province).label,
    }


def _country(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s lends to or invests in firms of %(countries)s only; this firm is "
        "registered in %(country)s.",
        "%(count)s lend to or invest in firms of %(countries)s only; this firm is "
        "registered in %(country)s.",
        len(offerings),
    ) % {
        "count": len(offerings),
        "countries": listing(labels(Country, _codes(offerings, "countries"))),
        "country": Country(project.registered_country or CHINA).label,
    }


def _home_country(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s lends for work done in %(countries)s only (domestic jobs and spending); "
        "this project's work happens in %(country)s.",
        "%(count)s lend for work done in %(countries)s only (domestic jobs and spending); "
        "this project's work happens in %(country)s.",
        len(offerings),
    ) % {
        "count": len(offerings),
        "countries": listing(labels(Country, _codes(offerings, "countries"))),
        "country": _country_name(project.country),
    }


def _country_name(code: str) -> str:
    return str(Country(code).label) if code else "—"


def _content_country(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s finances only what is built in %(countries)s for a buyer from another "
        "country (its exporters' foreign buyers); this firm is registered in %(registered)s "
        "and the work happens in %(country)s.",
        "%(count)s finance only what is built in %(countries)s for a buyer from another "
        "country (their exporters' foreign buyers); this firm is registered in "
        "%(registered)s and the work happens in %(country)s.",
        len(offerings),
    ) % {
        "count": len(offerings),
        "countries": listing(labels(Country, _codes(offerings, "content_countries"))),
        "registered": _country_name(project.registered_country),
        "country": _country_name(project.country),
    }


def _programme(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s accepts this only with a programme tool that does not apply to the firm.",
        "%(count)s accept this only with a programme tool that does not apply to the firm.",
        len(offerings),
    ) % {"count": len(offerings)}


def _full_list(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s would fit, but keeps only its best-scoring projects and has better ones.",
        "%(count)s would fit, but keep only their best-scoring projects and have better ones.",
        len(offerings),
    ) % {"count": len(offerings)}


def _declined(project: Project, amount: int, offerings: list[Offering]) -> str:
    return ngettext(
        "%(count)s was matched, and its institution has declined.",
        "%(count)s were matched, and their institutions have declined.",
        len(offerings),
    ) % {"count": len(offerings)}


FITS_BUT_NOT_KEPT = "kept"
DECLINED = "declined"
# In the engine's order of the screens, so ties read the same way every time.
SCREEN_WORDS = {
    "ticket": _ticket,
    "share": _share,
    "capacity": _capacity,
    "trl": _trl,
    "segment": _segment,
    "stage": _stage,
    "region": _region,
    "exposures": _exposures,
    "flight_record": _flight_record,
    "revenue": _revenue,
    "presence": _presence,
    "content": _content,
    "country": _country,
    "home_country": _home_country,
    "content_country": _content_country,
    "programme": _programme,
    FITS_BUT_NOT_KEPT: _full_list,
    DECLINED: _declined,
}
SCREEN_ORDER = list(SCREEN_WORDS)


def unmatched_needs(
    project: Project, matched_instruments: set[str], closed_offerings: frozenset[int] = frozenset()
) -> list[UnmatchedNeed]:
    """Each need of the project without any open match, with the screens that excluded
    every live offering of its instrument (most excluding first); offerings whose
    institution declined the project count as declined, not as "would fit"."""
    open_needs = [n for n in project.needs.all() if n.instrument not in matched_instruments]
    if not open_needs:
        return []
    offerings = list(
        offerings_for_engine().filter(instrument__in=[need.instrument for need in open_needs])
    )
    screens = failed_screens(project, offerings)
    result = []
    for need in open_needs:
        excluded = defaultdict(list)
        for offering, screen in zip(offerings, screens, strict=True):
            if offering.instrument == need.instrument:
                if offering.pk in closed_offerings:
                    screen = DECLINED
                excluded[screen or FITS_BUT_NOT_KEPT].append(offering)
        total = sum(len(group) for group in excluded.values())
        summary = (
            ngettext(
                "Of %(count)s live offering of this kind:",
                "Of %(count)s live offerings of this kind:",
                total,
            )
            % {"count": total}
            if total
            else _("No institution offers this on the platform yet.")
        )
        reasons = [
            SCREEN_WORDS[screen](project, need.amount, group)
            for screen, group in sorted(
                excluded.items(), key=lambda item: (-len(item[1]), SCREEN_ORDER.index(item[0]))
            )
        ]
        result.append(UnmatchedNeed(need.instrument, need.amount, summary, reasons))
    return result


@dataclass(frozen=True)
class PackageGap:
    instrument: str
    amount: int
    reason: str

    @property
    def instrument_label(self) -> str:
        return str(Instrument(self.instrument).label)


def explain_package_gaps(project: Project, packages, matches) -> None:
    """Give each package its `gaps`: every share of a need it leaves uncovered, and why."""
    needs = {need.instrument: need.amount for need in project.needs.all()}
    matches = list(matches.select_related(None).select_related("offering"))
    for package in packages:
        package.gaps = [
            PackageGap(
                instrument, amount, uncovered_reason(instrument, amount, needs[instrument], matches)
            )
            for instrument, amount in package.uncovered.items()
            if amount and instrument in needs
        ]


def uncovered_reason(instrument: str, uncovered: int, need: int, matches) -> str:
    """Why a package leaves part of a need open: what the matched offerings of that
    instrument could carry together (one offering per institution, each within its ticket
    and the capacity it has left)."""
    best_per_institution = defaultdict(int)
    for match in matches:
        offering = match.offering
        if offering.instrument == instrument:
            carry = min(offering.ticket_max, offering.capacity_left, need)
            institution = offering.institution_id
            best_per_institution[institution] = max(best_per_institution[institution], carry)
    carry = sum(best_per_institution.values())
    if carry < need:
        return _(
            "The matched offerings can carry at most %(carry)s of the %(need)s together "
            "(their ticket limits and the capacity they have left)."
        ) % {"carry": rmb(carry), "need": rmb(need)}
    return _(
        "Institutions that could carry the rest are already in this package for another "
        "need, and a package takes one offering per institution."
    )
