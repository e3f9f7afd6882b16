"""A match explained criterion by criterion, in plain words, in the reader's language.

The engine stores each criterion's value; the words are written here from those values
and the facts of both sides, so a Chinese translation can follow.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from investors.models import Offering
from matchmaker.matching.encoding import offering_weight_shares
from matchmaker.models import EngineSettings, Match
from matchmaker.money import listing, rmb
from matchmaker.vocabulary import (
    Collateral,
    Criterion,
    Exposure,
    Instrument,
    Region,
    RiskAppetite,
    labels,
)
from projects.models import Project


@dataclass(frozen=True)
class Component:
    criterion: str
    label: str
    value: float
    weight: float  # share of the score, 0–1
    reason: str
    heaviest_weight: float  # of all criteria, so bars share one scale

    @property
    def points(self) -> float:
        """What this criterion adds to the 0–100 score."""
        return 100 * self.weight * self.value

    @property
    def bar_max(self) -> float:
        """Bar length (0–100) of the points this criterion could add at most."""
        return 100 * self.weight / self.heaviest_weight if self.heaviest_weight else 0.0

    @property
    def bar_value(self) -> float:
        return self.bar_max * self.value


def _fit_word(value: float) -> str:
    if value >= 0.85:
        return _("strong")
    if value >= 0.5:
        return _("partial")
    return _("weak")


def _segment(project: Project, offering: Offering, value: float) -> str:
    if not offering.segments:
        return _("Open to every segment, so no sharp focus on %(segment)s.") % {
            "segment": project.get_segment_display()
        }
    if len(offering.segments) == 1:
        return _("%(segment)s is the one segment this offering targets.") % {
            "segment": project.get_segment_display()
        }
    return _("%(segment)s is one of the %(count)s segments this offering targets.") % {
        "segment": project.get_segment_display(),
        "count": len(offering.segments),
    }


def _stage(project: Project, offering: Offering, value: float) -> str:
    if offering.stages:
        return _("Targets the %(stage)s stage.") % {"stage": project.get_stage_display()}
    return _("No stage list; %(instrument)s is a %(fit)s fit for the %(stage)s stage.") % {
        "instrument": offering.get_instrument_display().lower(),
        "fit": _fit_word(value),
        "stage": project.get_stage_display(),
    }


def _trl(project: Project, offering: Offering, value: float) -> str:
    return _("TRL %(trl)s lies in the offering's range %(low)s–%(high)s.") % {
        "trl": project.trl,
        "low": offering.trl_min,
        "high": offering.trl_max,
    }


def _ticket(project: Project, offering: Offering, value: float) -> str:
    need = next((n.amount for n in project.needs.all() if n.instrument == offering.instrument), 0)
    carry = min(offering.ticket_max, offering.capacity_left, need) if need else 0
    share = round(100 * carry / need) if need else 0
    return _("Can carry up to %(carry)s of the %(need)s sought (%(share)s%%).") % {
        "carry": rmb(carry),
        "need": rmb(need),
        "share": share,
    }


def _tenor(project: Project, offering: Offering, value: float) -> str:
    if offering.instrument == Instrument.RISK_COVER:
        return _("Cover runs up to %(months)s months per policy.") % {
            "months": offering.max_tenor_months
        }
    if project.months_to_break_even:
        needed, what = project.months_to_break_even, _("break-even")
    else:
        needed, what = project.months_to_revenue, _("first revenue")
    if value >= 1:
        return _("A %(tenor)s-month horizon outlasts the %(needed)s months to %(what)s.") % {
            "tenor": offering.max_tenor_months,
            "needed": needed,
            "what": what,
        }
    return _("A %(tenor)s-month horizon is shorter than the %(needed)s months to %(what)s.") % {
        "tenor": offering.max_tenor_months,
        "needed": needed,
        "what": what,
    }


def _risk(project: Project, offering: Offering, value: float) -> str:
    if offering.instrument == Instrument.RISK_COVER:
        if not offering.exposures_covered or not project.exposures:
            return _("No specific exposures to compare.")
        covered = sorted(set(project.exposures) & set(offering.exposures_covered))
        return _("Covers %(count)s of the project's %(total)s exposures: %(names)s.") % {
            "count": len(covered),
            "total": len(project.exposures),
            "names": listing(labels(Exposure, covered)) or "—",
        }
    appetite = RiskAppetite(offering.risk_appetite).label
    if value >= 1:
        return _("The project's risk is within a %(appetite)s risk appetite.") % {
            "appetite": appetite
        }
    return _("The project's risk exceeds a %(appetite)s risk appetite.") % {"appetite": appetite}


def _geography(project: Project, offering: Offering, value: float) -> str:
    region = Region(project.region).label
    if offering.regions:
        return _("%(region)s is among the regions this offering serves.") % {"region": region}
    return _("Open everywhere; %(region)s has a %(fit)s cluster priority.") % {
        "region": region,
        "fit": _fit_word(value),
    }


def _collateral(project: Project, offering: Offering, value: float) -> str:
    if offering.instrument != Instrument.CREDIT or not offering.collateral_required:
        return _("No collateral required.")
    if value >= 1:
        return _("Accepts collateral the project has.")
    return _("Wants %(wanted)s, which the project did not list.") % {
        "wanted": listing(labels(Collateral, offering.collateral_required))
    }


REASONS = {
    Criterion.SEGMENT: _segment,
    Criterion.STAGE: _stage,
    Criterion.TRL: _trl,
    Criterion.TICKET: _ticket,
    Criterion.TENOR: _tenor,
    Criterion.RISK: _risk,
    Criterion.GEOGRAPHY: _geography,
    Criterion.COLLATERAL: _collateral,
}


def explain(match: Match, defaults: dict | None = None) -> list[Component]:
    """Every criterion of a match: value, share of the score, and the reason in words."""
    defaults = defaults if defaults is not None else EngineSettings.current().weights
    weights = offering_weight_shares(match.offering, defaults)
    return [
        Component(
            criterion=criterion.value,
            label=str(criterion.label),
            value=value,
            weight=weight,
            reason=REASONS[criterion](match.project, match.offering, value),
            heaviest_weight=max(weights),
        )
        for criterion, value, weight in zip(Criterion, match.components, weights, strict=True)
    ]
