"""A match explained criterion by criterion, in plain words, in the reader's language.

The engine stores each criterion's value; the words are written here from those values
and the facts of both sides, so a Chinese translation can follow.
"""

from dataclasses import dataclass

from django.utils.translation import gettext

from investors.models import Offering
from matchmaker.matching.encoding import (
    INSTRUMENT,
    LEAD,
    covering_enrolment,
    is_guarantee,
    needs_vector,
    offering_weight_shares,
    resolved_sweet_spots,
    safer_than_appetite,
    syndicate_role,
)
from matchmaker.matching.stacks import carry
from matchmaker.models import EngineSettings, Match
from matchmaker.money import language, listing, pinned_language, rmb, sentences
from matchmaker.vocabulary import (
    Collateral,
    Criterion,
    Exposure,
    FlightRecord,
    Instrument,
    OfferingRole,
    Province,
    RevenueStatus,
    RiskAppetite,
    RoundRole,
    Stage,
    labels,
)
from projects.models import Project

# A list page's explanations are worded from a few dozen sentences and labels, again and
# again (some 30 look-ups per match): each is read from the catalogue once per language
# and process, not once per use. The catalogue does not change while a process runs.
_WORDED: dict[tuple, str] = {}


def _(message: str) -> str:
    """`gettext`, remembered per language."""
    key = (language(), message)
    worded = _WORDED.get(key)
    if worded is None:
        worded = _WORDED[key] = gettext(message)
    return worded


def _label(member) -> str:
    """A vocabulary member's label in the active language, remembered per language (its
    class is part of the key: members of two vocabularies may share a code)."""
    key = (language(), type(member), member.value)
    worded = _WORDED.get(key)
    if worded is None:
        worded = _WORDED[key] = str(member.label)
    return worded


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


def _segment(project: Project, offering: Offering, value: float, _sweet: tuple, cover=None) -> str:
    if not offering.segments:
        return _("Open to every segment, %(segment)s included.") % {
            "segment": project.get_segment_display()
        }
    return _("%(segment)s is among the segments this offering targets.") % {
        "segment": project.get_segment_display()
    }


def _stage(project: Project, offering: Offering, value: float, sweet: tuple, cover=None) -> str:
    sweet, _trl, _ticket = sweet
    if project.stage == sweet:
        return _("At its preferred stage, %(stage)s.") % {"stage": _label(Stage(sweet))}
    return _("Prefers the %(sweet)s stage; this project is at %(stage)s (%(fit)s fit).") % {
        "sweet": _label(Stage(sweet)),
        "stage": project.get_stage_display(),
        "fit": _fit_word(value),
    }


def _trl(project: Project, offering: Offering, value: float, sweet: tuple, cover=None) -> str:
    _stage_code, sweet, _ticket = sweet
    if cover is not None and (cover.covered_trl_min or offering.trl_min) < offering.trl_min:
        return _(
            "Accepts TRL %(covered)s–%(high)s with %(tool)s (its own terms ask for TRL "
            "%(low)s–%(high)s); this project is at TRL %(trl)s."
        ) % {
            "covered": cover.covered_trl_min,
            "tool": cover.tool.name,
            "low": offering.trl_min,
            "high": offering.trl_max,
            "trl": project.trl,
        }
    if project.trl == sweet:
        return _("TRL %(trl)s: the offering's preferred TRL.") % {"trl": project.trl}
    return _("Prefers TRL %(sweet)s within %(low)s–%(high)s; this project is at TRL %(trl)s.") % {
        "sweet": sweet,
        "low": offering.trl_min,
        "high": offering.trl_max,
        "trl": project.trl,
    }


def _ticket(project: Project, offering: Offering, value: float, sweet: tuple, cover=None) -> str:
    needs = needs_vector(project)
    need = needs[INSTRUMENT[offering.instrument]]
    covered_max = covered_ticket(offering, cover)
    carried = min(carry(offering, needs, covered_max), need)
    share = round(100 * carried / need) if need else 0
    _stage_code, _trl, sweet = sweet
    words = _(
        "Can carry up to %(carry)s of the %(need)s sought (%(share)s%%); prefers "
        "tickets near %(sweet)s."
    ) % {
        "carry": rmb(carried),
        "need": rmb(need),
        "share": share,
        "sweet": rmb(round_amount(sweet)),
    }
    if covered_max:
        words = sentences(
            words,
            _("With %(tool)s it writes tickets up to %(covered)s (its own terms stop at %(own)s).")
            % {
                "tool": cover.tool.name,
                "covered": rmb(covered_max),
                "own": rmb(offering.ticket_max),
            },
        )
    if offering.instrument == Instrument.RISK_COVER and offering.line_share < 100:
        words = sentences(
            words,
            _("It takes a %(line)s%% line of a risk: a panel shares the rest.")
            % {"line": offering.line_share},
        )
    if need and carried < need:
        words = sentences(words, syndicate_words(offering, carried, need))
    if offering.instrument == Instrument.EQUITY:
        words = sentences(words, _round_role(project, offering))
    return words


@dataclass(frozen=True)
class SyndicatePart:
    """The part an offering can take of the project's need of its instrument (#25)."""

    role: str  # sole, lead or participant (engine.syndicate)
    amount: int  # the most it can put in, at most the need
    need: int


def syndicate_part(match: Match) -> SyndicatePart:
    offering = match.offering
    needs = needs_vector(match.project)
    need = needs[INSTRUMENT[offering.instrument]]
    amount = min(carry(offering, needs), need)
    return SyndicatePart(syndicate_role(offering, amount, need), amount, need)


def syndicate_words(offering: Offering, amount: int, need: int) -> str:
    """The part a financier can take of a need larger than its ticket: "Could lead with
    RMB 800,000,000 of the RMB 5,000,000,000 round." (#25)."""
    leads = syndicate_role(offering, amount, need) == LEAD
    sentences = {
        (Instrument.EQUITY, True): _("Could lead with %(amount)s of the %(need)s round."),
        (Instrument.EQUITY, False): _(
            "Could join the round as a co-investor with %(amount)s of the %(need)s."
        ),
        (Instrument.CREDIT, True): _(
            "Could arrange the loan, lending %(amount)s of the %(need)s itself."
        ),
        (Instrument.CREDIT, False): _(
            "Could join the lending syndicate with %(amount)s of the %(need)s."
        ),
        (Instrument.RISK_COVER, True): _(
            "Could lead the insurers' panel, taking %(amount)s of the %(need)s insured."
        ),
        (Instrument.RISK_COVER, False): _(
            "Could join the insurers' panel with %(amount)s of the %(need)s insured."
        ),
    }
    return sentences[(offering.instrument, leads)] % {"amount": rmb(amount), "need": rmb(need)}


def round_amount(amount: int) -> int:
    """Two significant figures: a default sweet spot (a geometric mean) reads as a round
    sum, RMB 2,200,000 rather than RMB 2,236,068."""
    if amount < 100:
        return amount
    scale = 10 ** (len(str(int(amount))) - 2)
    return round(amount / scale) * scale


def covered_ticket(offering: Offering, cover) -> int | None:
    """The larger ticket the deciding enrolment's covered terms allow, else None."""
    if cover is None or (cover.covered_ticket_max or 0) <= offering.ticket_max:
        return None
    return cover.covered_ticket_max


def _round_role(project: Project, offering: Offering) -> str:
    return _("%(role)s; the firm seeks %(sought)s.") % {
        "role": _label(OfferingRole(offering.round_role)),
        "sought": _label(RoundRole(project.round_role)).lower(),
    }


def _tenor(project: Project, offering: Offering, value: float, _sweet: tuple, cover=None) -> str:
    if offering.instrument == Instrument.RISK_COVER:
        return _("Cover runs up to %(months)s months per policy.") % {
            "months": offering.max_tenor_months
        }
    if project.months_to_break_even:
        needed, what = project.months_to_break_even, _("break-even")
    else:
        needed, what = project.months_to_revenue, _("first revenue")
    if value < 1 and offering.max_tenor_months > needed:
        return _(
            "A %(tenor)s-month horizon is far longer than the %(needed)s months to %(what)s: "
            "long-tenor money suits longer projects."
        ) % {"tenor": offering.max_tenor_months, "needed": needed, "what": what}
    if value >= 1 or offering.max_tenor_months >= needed:
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


def flight_words(project: Project) -> str:
    """ "has flown 3 times", "has not flown yet", … for reasons and explanations."""
    record = project.flight_record
    if record == FlightRecord.FLIGHT_PROVEN:
        return _("has %(count)s successful flights or units in orbit") % {
            "count": project.successful_flights
        }
    if record == FlightRecord.FIRST_FLIGHT:
        return _("has flown once")
    if record == FlightRecord.EARLIER_PRODUCTS:
        return _("has not flown yet, though the firm's earlier products have")
    return _("has not flown yet")


def _track_record(project: Project, offering: Offering, cover=None) -> str:
    words = _("This project %(flight)s and is %(revenue)s.") % {
        "flight": flight_words(project),
        "revenue": _label(RevenueStatus(project.revenue_status)).lower(),
    }
    needs = []
    if offering.min_flight_record != FlightRecord.NOT_FLOWN:
        needs.append(_label(FlightRecord(offering.min_flight_record)).lower())
    asks_revenue = offering.min_revenue_status != RevenueStatus.PRE_REVENUE
    pre_revenue_covered = asks_revenue and cover is not None and cover.covered_pre_revenue
    if asks_revenue and not pre_revenue_covered:
        needs.append(_label(RevenueStatus(offering.min_revenue_status)).lower())
    if needs:
        words = sentences(words, _("The offering asks for: %(needs)s.") % {"needs": listing(needs)})
    if pre_revenue_covered:
        words = sentences(
            words,
            _("With %(tool)s it accepts pre-revenue firms (its own terms ask for %(revenue)s).")
            % {
                "tool": cover.tool.name,
                "revenue": _label(RevenueStatus(offering.min_revenue_status)).lower(),
            },
        )
    return words


def _risk(
    project: Project, offering: Offering, value: float, _sweet: tuple, cover=None, safer=None
) -> str:
    track = _track_record(project, offering, cover)
    if offering.instrument == Instrument.RISK_COVER:
        if not offering.exposures_covered or not project.exposures:
            return sentences(_("No specific exposures to compare."), track)
        covered = sorted(set(project.exposures) & set(offering.exposures_covered))
        return sentences(
            _("Covers %(count)s of the project's %(total)s exposures: %(names)s.")
            % {
                "count": len(covered),
                "total": len(project.exposures),
                "names": listing(labels(Exposure, covered)) or "—",
            },
            _("Insurers prefer a demonstrated vehicle."),
            track,
        )
    appetite = _label(RiskAppetite(offering.risk_appetite))
    if value >= 1:
        words = _("The project's risk is within a %(appetite)s risk appetite.")
    elif (safer or safer_than_appetite)(project, offering):
        words = _(
            "The project is far safer than a %(appetite)s risk appetite seeks: such money "
            "prices for risk and goes to earlier firms."
        )
    else:
        words = _("The project's risk exceeds a %(appetite)s risk appetite.")
    return sentences(words % {"appetite": appetite}, track)


def _geography(
    project: Project, offering: Offering, value: float, _sweet: tuple, cover=None
) -> str:
    place = _label(Province(project.province))
    if offering.content:
        return _(
            "Finances work done in %(places)s (national content); it happens in %(place)s."
        ) % {
            "places": listing(labels(Province, offering.content)),
            "place": place,
        }
    if not offering.presence:
        return _("Asks for no local presence; the work happens in %(place)s.") % {"place": place}
    if project.province in offering.presence:
        return _("Asks for local presence: the work happens in %(place)s.") % {"place": place}
    return _("Asks for local presence: the firm is registered in %(place)s.") % {
        "place": _label(Province(project.registered_province))
    }


def _collateral(
    project: Project, offering: Offering, value: float, _sweet: tuple, cover=None
) -> str:
    if is_guarantee(offering):
        if value >= 1:
            return _("A guarantee stands in for collateral the project does not have.")
        return _(
            "A guarantee is for firms without collateral; this project lists collateral a "
            "bank can take."
        )
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


UNKNOWN = object()


def explain(
    match: Match, defaults: dict | None = None, cover=UNKNOWN, memo: dict | None = None
) -> list[Component]:
    """Every criterion of a match: value, share of the score, and the reason in words.

    A pair the engine judged on a programme tool's covered terms is explained on them
    (the TRL, revenue and ticket the enrolment accepts, and the tool's name); `cover`,
    that enrolment or None when the caller looked it up for a page of matches
    (`encoding.covering_enrolments`).

    `memo`, a dict the caller keeps for one page of matches: what depends only on the
    offering (its weights, its sweet spots under a cover) or on the project (its risk) is
    worked out once per page, not once per match (a list shows the same offerings and
    projects again and again)."""
    with pinned_language():  # some 27 reads of the language per match, one here
        return _explain(match, defaults, cover, memo)


def _explain(match: Match, defaults: dict | None, cover, memo: dict | None) -> list[Component]:
    defaults = defaults if defaults is not None else EngineSettings.current().weights
    memo = {} if memo is None else memo
    if cover is UNKNOWN:
        cover = covering_enrolment(match.project, match.offering)
    offering_key = ("offering", match.offering_id, getattr(cover, "pk", None))
    if offering_key not in memo:
        memo[offering_key] = (
            offering_weight_shares(match.offering, defaults),
            resolved_sweet_spots(match.offering, cover),
        )
    weights, sweet = memo[offering_key]
    heaviest = max(weights)
    labels_key = ("labels", language())
    if labels_key not in memo:
        memo[labels_key] = [str(criterion.label) for criterion in Criterion]

    def safer(project: Project, offering: Offering) -> bool:
        key = ("safer", project.pk, offering.risk_appetite)
        if key not in memo:
            memo[key] = safer_than_appetite(project, offering)
        return memo[key]

    project, offering = match.project, match.offering
    return [
        Component(
            criterion=criterion.value,
            label=label,
            value=value,
            weight=weight,
            reason=(
                _risk(project, offering, value, sweet, cover, safer)
                if criterion == Criterion.RISK
                else REASONS[criterion](project, offering, value, sweet, cover)
            ),
            heaviest_weight=heaviest,
        )
        for criterion, label, value, weight in zip(
            Criterion, memo[labels_key], match.components, weights, strict=True
        )
    ]


def deciding(components: list[Component]) -> str:
    """What decided the rank, in one line: the criterion that cost the most points, or,
    when nothing cost much, the one that earned the most."""
    if not components:
        return ""
    costly = max(components, key=lambda c: c.weight * (1 - c.value))
    if costly.weight * (1 - costly.value) >= 0.02:
        return _("Held back most by %(criterion)s: %(reason)s") % {
            "criterion": costly.label.lower(),
            "reason": costly.reason,
        }
    strongest = max(components, key=lambda c: c.points)
    return _("Ranked high above all for %(criterion)s: %(reason)s") % {
        "criterion": strongest.label.lower(),
        "reason": strongest.reason,
    }
