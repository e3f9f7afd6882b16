"""Suggestions drawn from an institution's own decisions, accepted or dismissed in one
click: "You declined 5 of 6 projects below TRL 7 as too early: require TRL 7 on this
offering?", "You shortlisted 4 projects with flight heritage and declined 5 of 5 without:
prefer flight heritage?"

A suggestion appears only with enough evidence (`MIN_EVIDENCE` decisions below the
threshold, `AGREEMENT` of them declined for that reason). The threshold is the lowest
value the institution itself went further with (shortlisted or asked to meet); before any
such decision, declines alone set it just above every value declined, when they agree.
Each institution's suggestions come from its own decisions alone. Accepting one edits the
offering through its service, so the engine re-scores it; an answer is remembered.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from investors import services as offering_services
from investors.models import Offering
from matchmaker.models import (
    DeclineReason,
    Match,
    MatchEvent,
    MatchStatus,
    SuggestionAnswer,
    SuggestionKind,
)
from matchmaker.money import rmb
from matchmaker.review.selectors import LIST_CACHE_SECONDS
from matchmaker.vocabulary import FlightRecord, StateConflict

MIN_EVIDENCE = 5
AGREEMENT = 0.8
POSITIVE = {
    MatchStatus.SHORTLISTED,
    MatchStatus.INTRO_REQUESTED,
    MatchStatus.IN_TALKS,
    MatchStatus.TERM_SHEET,
    MatchStatus.CLOSED_WON,
}


@dataclass(frozen=True)
class Decision:
    trl: int
    need: int  # what the project seeks of the offering's instrument
    positive: bool
    reason: str  # the decline reason, "" for a positive decision
    flight: int = 0  # the project's flight record, as its position in FlightRecord


FLIGHT_HERITAGE = FlightRecord.values.index(FlightRecord.FIRST_FLIGHT)
# A project without flight heritage is declined as too early or as too risky.
UNFLOWN_REASONS = {DeclineReason.STAGE_TOO_EARLY, DeclineReason.RISK_TOO_HIGH}


@dataclass(frozen=True)
class Suggestion:
    offering: Offering
    kind: str
    value: int
    agreeing: int  # decisions below the threshold declined for the matching reason
    decided: int  # decisions below the threshold
    supporting: int = 0  # positive decisions at or above the threshold

    @property
    def text(self) -> str:
        if self.kind == SuggestionKind.REQUIRE_FLIGHT_RECORD and not self.supporting:
            return _(
                "You declined %(agreeing)s of %(decided)s projects without flight heritage: "
                "ask for “%(record)s” at least on “%(offering)s”?"
            ) % {**self._numbers(), "record": FlightRecord(FlightRecord.values[self.value]).label}
        if self.kind == SuggestionKind.REQUIRE_FLIGHT_RECORD:
            return _(
                "You shortlisted %(supporting)s projects with flight heritage and declined "
                "%(agreeing)s of %(decided)s without it: prefer flight heritage, so that "
                "“%(offering)s” asks for “%(record)s” at least?"
            ) % {
                **self._numbers(),
                "supporting": self.supporting,
                "record": FlightRecord(FlightRecord.values[self.value]).label,
            }
        if self.kind == SuggestionKind.REQUIRE_TRL:
            return _(
                "You declined %(agreeing)s of %(decided)s projects below TRL %(value)s as too "
                "early: require TRL %(value)s on “%(offering)s”?"
            ) % {**self._numbers(), "value": self.value}
        return _(
            "You declined %(agreeing)s of %(decided)s projects seeking less than %(value)s "
            "as a ticket too small: raise the smallest ticket of “%(offering)s” to %(value)s?"
        ) % {**self._numbers(), "value": rmb(self.value)}

    def _numbers(self) -> dict:
        return {"agreeing": self.agreeing, "decided": self.decided, "offering": self.offering}

    @property
    def change(self) -> dict:
        """The offering fields accepting it sets."""
        if self.kind == SuggestionKind.REQUIRE_FLIGHT_RECORD:
            return {"min_flight_record": FlightRecord.values[self.value]}
        field = "trl_min" if self.kind == SuggestionKind.REQUIRE_TRL else "ticket_min"
        return {field: self.value}


def _decisions(offerings) -> tuple[dict[int, list[Decision]], dict[int, Offering]]:
    """Each offering's decisions, and the offerings that have any (read with them)."""
    matches = list(
        Match.objects.filter(offering__in=offerings, status__in=[*POSITIVE, MatchStatus.DECLINED])
        .select_related("project", "offering")
        .prefetch_related("project__needs")
    )
    # the declines' reasons, sought by match (asked by offering, they were looked for
    # under every match of the institution: thousands of probes at national scale)
    declined = [match.pk for match in matches if match.status == MatchStatus.DECLINED]
    reasons = dict(
        MatchEvent.objects.filter(
            match_id__in=declined, to_status=MatchStatus.DECLINED, undone=False
        )
        .order_by("at")
        .values_list("match_id", "reason")
    )
    decided = defaultdict(list)
    deciding = {}
    for match in matches:
        deciding[match.offering_id] = match.offering
        need = next(
            (
                n.amount
                for n in match.project.needs.all()
                if n.instrument == match.offering.instrument
            ),
            0,
        )
        positive = match.status in POSITIVE
        decided[match.offering_id].append(
            Decision(
                match.project.trl,
                need,
                positive,
                "" if positive else reasons.get(match.id, ""),
                FlightRecord.values.index(match.project.flight_record),
            )
        )
    return decided, deciding


def _threshold_rule(decisions, value_of, reasons, current, kind, offering, ceiling, above):
    """The lowest value the institution went further with, as a new floor, when enough
    decisions below it were declined for one of `reasons`. With no positive decision
    yet, declines alone suffice when they agree: the floor is then just above every
    declined value (``above`` gives it: the next TRL, a round amount)."""
    positives = [value_of(d) for d in decisions if d.positive]
    if positives:
        threshold = min(positives)
    elif decisions:
        threshold = above(max(value_of(d) for d in decisions))
    else:
        return None
    if threshold <= current or threshold > ceiling:
        return None
    below = [d for d in decisions if value_of(d) < threshold]
    agreeing = [d for d in below if not d.positive and d.reason in reasons]
    if len(below) < MIN_EVIDENCE or len(agreeing) < AGREEMENT * len(below):
        return None
    return Suggestion(offering, kind, threshold, len(agreeing), len(below), len(positives))


def _next(value: int) -> int:
    return value + 1


def _round_amount_above(amount: int) -> int:
    """A round amount above ``amount``, as a person would set a floor: the next step of its
    two leading digits (RMB 48 M → 49 M, 1,234 → 1,300, 99 → 100)."""
    step = 10 ** max(len(str(amount)) - 2, 0)
    return (amount // step + 1) * step


def suggestions_for(offerings: list[Offering]) -> list[Suggestion]:
    """Open suggestions for these offerings (one institution's), unanswered ones only.

    Only offerings with decisions can have one: they are read with their decisions, and
    the others not at all (an institution's list page asked for every offering, JSON
    columns and all, to find nothing)."""
    decided, deciding = _decisions(offerings)
    if not decided:
        return []
    answered = set(
        SuggestionAnswer.objects.filter(offering__in=list(deciding)).values_list(
            "offering_id", "kind", "value"
        )
    )
    order = (
        [offering.pk for offering in offerings]
        if isinstance(offerings, list | tuple)
        else list(offerings.values_list("pk", flat=True))
    )
    found = []
    for offering in (deciding[pk] for pk in order if pk in deciding):
        decisions = decided[offering.pk]
        candidates = [
            _threshold_rule(
                decisions,
                lambda d: d.trl,
                {DeclineReason.STAGE_TOO_EARLY},
                offering.trl_min,
                SuggestionKind.REQUIRE_TRL,
                offering,
                offering.trl_max,
                _next,
            ),
            _threshold_rule(
                decisions,
                lambda d: d.need,
                {DeclineReason.TICKET_TOO_SMALL},
                offering.ticket_min,
                SuggestionKind.RAISE_TICKET_MIN,
                offering,
                offering.ticket_max,
                _round_amount_above,
            ),
            _threshold_rule(
                decisions,
                lambda d: min(d.flight, FLIGHT_HERITAGE),
                UNFLOWN_REASONS,
                FlightRecord.values.index(offering.min_flight_record),
                SuggestionKind.REQUIRE_FLIGHT_RECORD,
                offering,
                FLIGHT_HERITAGE,
                lambda _value: FLIGHT_HERITAGE,
            ),
        ]
        candidates = [s for s in candidates if s]
        if any(s.kind == SuggestionKind.REQUIRE_TRL for s in candidates):
            # The same early declines read as "too early" first; flight heritage is
            # suggested from declines alone only when the TRL says nothing.
            candidates = [
                s
                for s in candidates
                if s.kind != SuggestionKind.REQUIRE_FLIGHT_RECORD or s.supporting
            ]
        found += [s for s in candidates if (offering.pk, s.kind, s.value) not in answered]
    return found


def suggestions_of_list(offerings, version: str) -> list[Suggestion]:
    """`suggestions_for` the institution's match list page, cached under the list's
    fingerprint of all but the last scoring (`review.selectors.match_list_versions`), which
    changes with everything they are drawn from: its decisions, offerings and projects, and
    its answers to suggestions; a re-score leaves them cached.
    Read on every page, they asked for the institution's decisions each time (a fifth of a
    cached page)."""
    key = f"match-list-suggestions:{version}"
    found = cache.get(key)
    if found is None:
        found = suggestions_for(offerings)
        cache.set(key, found, LIST_CACHE_SECONDS)
    return found


def _find(offerings, offering_id, kind: str, value: int) -> Suggestion:
    for suggestion in suggestions_for(offerings.filter(pk=offering_id)):
        if (suggestion.kind, suggestion.value) == (kind, value):
            return suggestion
    raise StateConflict(_("This suggestion is no longer open."))


@transaction.atomic
def suggestion_accept(*, offerings, offering_id, kind: str, value: int, by) -> Offering:
    """Apply the suggestion to the offering (re-scored after commit) and remember it."""
    suggestion = _find(offerings, offering_id, kind, value)
    offering = offering_services.offering_update(
        offering=suggestion.offering, by=by, fields=suggestion.change
    )
    SuggestionAnswer.objects.create(
        offering=offering,
        kind=kind,
        value=value,
        state=SuggestionAnswer.State.ACCEPTED,
        answered_by=by,
    )
    return offering


@transaction.atomic
def suggestion_dismiss(*, offerings, offering_id, kind: str, value: int, by) -> None:
    suggestion = _find(offerings, offering_id, kind, value)
    SuggestionAnswer.objects.create(
        offering=suggestion.offering,
        kind=kind,
        value=value,
        state=SuggestionAnswer.State.DISMISSED,
        answered_by=by,
    )
