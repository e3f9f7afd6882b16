"""The operator's picture of the market: the funnel, need against capacity, the gaps.

Read queries only; each returns plain rows that the page shows as a chart and a table,
and the CSV export writes as they are.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from investors.models import Institution
from investors.selectors import live_offerings
from matchmaker.matching import scoring
from matchmaker.matching.encoding import matchable_projects, offerings_for_engine
from matchmaker.models import (
    Introduction,
    IntroductionState,
    Match,
    MatchEvent,
    MatchStatus,
    Package,
    ScoringRun,
)
from matchmaker.vocabulary import Instrument, Segment
from projects.models import Firm, FundingNeed, Project


class FunnelStage(models.TextChoices):
    """How far a submitted project got; each stage counts the projects that reached it."""

    SUBMITTED = "submitted", _("Submitted")
    MATCHED = "matched", _("Matched")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INTRODUCTIONS = "introductions", _("Introductions")
    ACCEPTED = "accepted", _("Accepted")
    CLOSED = "closed", _("Closed")


FUNNEL_STAGES = FunnelStage.values
ENGAGED = [s for s in MatchStatus.values if s not in {MatchStatus.NEW, MatchStatus.DECLINED}]


def _funnel_queryset():
    matches = Match.objects.filter(project=OuterRef("pk"))
    introductions = Introduction.objects.filter(match__project=OuterRef("pk"))
    return Project.objects.filter(submitted_at__isnull=False).annotate(
        is_matched=Exists(matches.filter(eligible=True)),
        is_shortlisted=Exists(matches.filter(status__in=ENGAGED)),
        has_introduction=Exists(introductions.exclude(state=IntroductionState.WITHDRAWN)),
        is_accepted=Exists(introductions.filter(state=IntroductionState.ACCEPTED)),
        is_closed=Exists(matches.filter(status=MatchStatus.CLOSED_WON)),
    )


def funnel(by: str) -> list[dict]:
    """Projects at each stage, grouped by month submitted, segment, or instrument sought."""
    group = {
        "month": TruncMonth("submitted_at"),
        "segment": F("segment"),
        "instrument": F("needs__instrument"),
    }[by]
    rows = (
        _funnel_queryset()
        .values(key=group)
        .annotate(
            submitted=Count("id", distinct=True),
            matched=Count("id", filter=Q(is_matched=True), distinct=True),
            shortlisted=Count("id", filter=Q(is_shortlisted=True), distinct=True),
            introductions=Count("id", filter=Q(has_introduction=True), distinct=True),
            accepted=Count("id", filter=Q(is_accepted=True), distinct=True),
            closed=Count("id", filter=Q(is_closed=True), distinct=True),
        )
        .order_by("key")
    )
    labels = {"segment": dict(Segment.choices), "instrument": dict(Instrument.choices)}.get(by, {})
    return [
        {
            "label": str(
                labels.get(
                    row["key"], row["key"].strftime("%Y-%m") if by == "month" else row["key"]
                )
            ),
            **{stage: row[stage] for stage in FUNNEL_STAGES},
        }
        for row in rows
        if row["key"] is not None
    ]


@dataclass
class Gap:
    segment: str
    instrument: str
    need: int
    capacity: int
    uncovered: int
    projects: list[tuple[int, str, int]]  # (id, title, uncovered RMB)

    @property
    def label(self) -> str:
        return f"{Segment(self.segment).label} · {Instrument(self.instrument).label}"


def funding_picture() -> list[Gap]:
    """Per segment and instrument: what submitted projects need, what live offerings open to
    that segment could put in, and the need no eligible offering covers (what remains
    uncovered in each project's best package, or all of it where nothing matched)."""
    needs = FundingNeed.objects.filter(project__in=Project.objects.submitted())
    capacity_by = defaultdict(int)
    for offering in live_offerings().only("instrument", "segments", "capacity_left"):
        for segment in offering.segments or Segment.values:
            capacity_by[(segment, offering.instrument)] += offering.capacity_left
    best = {
        p.project_id: p
        for p in Package.objects.filter(rank=1, project__in=Project.objects.submitted())
    }
    need_by, gap_projects = defaultdict(int), defaultdict(list)
    for need in needs.select_related("project"):
        need_by[(need.project.segment, need.instrument)] += need.amount
        package = best.get(need.project_id)
        missing = package.uncovered.get(need.instrument, need.amount) if package else need.amount
        if missing > 0:
            gap_projects[(need.project.segment, need.instrument)].append(
                (need.project_id, need.project.title, missing)
            )
    return [
        Gap(
            segment,
            instrument,
            need_by[(segment, instrument)],
            capacity_by[(segment, instrument)],
            sum(amount for *_rest, amount in gap_projects[(segment, instrument)]),
            sorted(gap_projects[(segment, instrument)], key=lambda item: -item[2]),
        )
        for segment in Segment.values
        for instrument in Instrument.values
        if need_by[(segment, instrument)] or capacity_by[(segment, instrument)]
    ]


def capacity_by_instrument() -> list[dict]:
    need = dict(
        FundingNeed.objects.filter(project__in=Project.objects.submitted())
        .values_list("instrument")
        .annotate(total=Sum("amount"))
    )
    capacity = dict(live_offerings().values_list("instrument").annotate(total=Sum("capacity_left")))
    return [
        {"label": str(label), "need": need.get(code, 0), "capacity": capacity.get(code, 0)}
        for code, label in Instrument.choices
    ]


CAPACITY_SERIES = {"need": _("Need"), "capacity": _("Capacity")}


def bars(rows: list[dict], series: dict) -> list[dict]:
    """Rows with each series' value also as a 0–100 bar length on one shared scale;
    ``series`` maps each key to the label a reader sees."""
    top = max([row[key] for row in rows for key in series] or [0]) or 1
    return [
        {**row, "bars": [(label, row[key], 100 * row[key] / top) for key, label in series.items()]}
        for row in rows
    ]


@dataclass
class DeclineGroup:
    """Declines of one segment, instrument or month, by reason, with the projects most
    often declined in it."""

    label: str
    counts: dict[str, int]  # reason code → declines
    total: int
    projects: list[tuple[int, str, int]]  # (project id, title, declines)


def declines(by: str, projects_shown: int = 10) -> list[DeclineGroup]:
    """Standing declines (not undone, match still declined) across the market, so the
    programme sees where its firms fall short: too early, tickets, thesis, risk …"""
    group = {
        "month": TruncMonth("at"),
        "segment": F("match__project__segment"),
        "instrument": F("match__offering__instrument"),
    }[by]
    standing = MatchEvent.objects.filter(
        to_status=MatchStatus.DECLINED, undone=False, match__status=MatchStatus.DECLINED
    ).annotate(key=group)
    counts = standing.values("key", "reason").annotate(n=Count("id")).order_by("key", "reason")
    behind = (
        standing.values("key", "match__project_id", "match__project__title")
        .annotate(n=Count("id"))
        .order_by("key", "-n", "match__project__title")
    )
    labels = {"segment": dict(Segment.choices), "instrument": dict(Instrument.choices)}.get(by, {})
    groups: dict = {}
    for row in counts:
        if row["key"] is None:
            continue
        label = labels.get(row["key"], row["key"].strftime("%Y-%m") if by == "month" else "")
        item = groups.setdefault(row["key"], DeclineGroup(str(label), {}, 0, []))
        item.counts[row["reason"]] = row["n"]
        item.total += row["n"]
    for row in behind:
        item = groups.get(row["key"])
        if item is not None and len(item.projects) < projects_shown:
            item.projects.append((row["match__project_id"], row["match__project__title"], row["n"]))
    return sorted(groups.values(), key=lambda item: (-item.total, item.label))


def verification_queue():
    return (
        Firm.objects.filter(verified=False).order_by("created_at"),
        Institution.objects.filter(verified=False).order_by("created_at"),
    )


@dataclass
class PreviewRow:
    offering: object
    current_score: float
    proposed_score: float
    current_rank: int | None
    proposed_rank: int | None


def preview_weights(
    project: Project, current: dict, proposed: dict, top: int = 10
) -> list[PreviewRow]:
    """How a sample project's best offerings would change under other default weights,
    computed in memory: nothing is written until the operator saves."""
    offerings = list(offerings_for_engine().select_related("institution"))
    ranked = {
        name: scoring.rank_offerings(project, offerings, weights)
        for name, weights in (("current", current), ("proposed", proposed))
    }
    scores = {name: dict(pairs) for name, pairs in ranked.items()}
    ranks = {
        name: {column: rank for rank, (column, _score) in enumerate(pairs, start=1)}
        for name, pairs in ranked.items()
    }
    best = {name: [column for column, _score in pairs[:top]] for name, pairs in ranked.items()}
    shown = list(dict.fromkeys(best["proposed"] + best["current"]))
    rows = [
        PreviewRow(
            offerings[column],
            round(scores["current"][column], 1),
            round(scores["proposed"][column], 1),
            ranks["current"].get(column),
            ranks["proposed"].get(column),
        )
        for column in shown
    ]
    return sorted(rows, key=lambda row: row.proposed_rank or 10**6)[: 2 * top]


def sample_projects():
    """The 50 latest submitted projects, as a filterable queryset (for a choice field)."""
    latest = list(matchable_projects().order_by("-submitted_at").values_list("pk", flat=True)[:50])
    return Project.objects.filter(pk__in=latest).order_by("-submitted_at")


def recent_scoring_runs(limit: int = 20) -> list[ScoringRun]:
    """The last re-scores, newest first, with who started them."""
    return list(ScoringRun.objects.select_related("triggered_by")[:limit])


def scoring_runs():
    """Every full re-score, newest first (one is watched by its id)."""
    return ScoringRun.objects.select_related("triggered_by")
