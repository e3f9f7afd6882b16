"""Shared reads of the programme: which tools apply to whom, and who may see what."""

import datetime as dt

from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from investors.selectors import institution_of
from matchmaker.programme.models import (
    Claim,
    DealState,
    DealTerms,
    Enrolment,
    EnrolmentState,
    Entitlement,
    EntitlementState,
    Exclusion,
    FirmListMembership,
    FirmStanding,
    MembershipState,
    Objection,
    ObjectionState,
    Tool,
    ToolBudget,
    ToolKind,
)
from matchmaker.read_once import read_once_per_change_many
from matchmaker.written_areas import RECORDS
from projects.selectors import firm_of


def confirmed_lists(firm_ids) -> dict[int, set[str]]:
    """Firm id → the lists the office confirmed it is on (one query)."""
    lists: dict[int, set[str]] = {}
    rows = FirmListMembership.objects.filter(
        firm_id__in=firm_ids, state=MembershipState.CONFIRMED
    ).values_list("firm_id", "programme_list")
    for firm_id, name in rows:
        lists.setdefault(firm_id, set()).add(name)
    return lists


def bad_credit_firms(firm_ids) -> set[int]:
    return set(
        FirmStanding.objects.filter(firm_id__in=firm_ids, bad_credit=True).values_list(
            "firm_id", flat=True
        )
    )


def why_not(tool: Tool, *, segment: str, lists: set[str], bad_credit: bool) -> str | None:
    """The first reason the tool does not apply to a firm's project, as a code; None
    when it applies. A loan's own policy guarantee is checked on the deal."""
    if tool.eligible_segments and segment not in tool.eligible_segments:
        return "segment"
    if tool.required_lists and not (lists & set(tool.required_lists)):
        return "lists"
    if bad_credit and Exclusion.BAD_CREDIT in tool.exclusions:
        return "bad_credit"
    return None


def all_tools() -> QuerySet[Tool]:
    """Every tool, oldest first (the office's list; the API's)."""
    return Tool.objects.order_by("pk")


def open_tools(day: dt.date | None = None) -> list[Tool]:
    day = day or timezone.localdate()
    return list(Tool.objects.filter(window_start__lte=day, window_end__gte=day).order_by("pk"))


def tools_applying(project_rows: list[dict], tools: list[Tool]) -> dict[int, set[int]]:
    """Project id → ids of the tools that apply to it, for rows with id, firm_id and
    segment (two queries however many projects)."""
    firm_ids = {row["firm_id"] for row in project_rows}
    lists = confirmed_lists(firm_ids)
    flagged = bad_credit_firms(firm_ids)
    return {
        row["id"]: {
            tool.pk
            for tool in tools
            if why_not(
                tool,
                segment=row["segment"],
                lists=lists.get(row["firm_id"], set()),
                bad_credit=row["firm_id"] in flagged,
            )
            is None
        }
        for row in project_rows
    }


def approved_enrolments(offering_ids=None) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.filter(state=EnrolmentState.APPROVED).select_related("tool")
    if offering_ids is not None:
        enrolments = enrolments.filter(offering_id__in=offering_ids)
    return enrolments.order_by("pk")


def approved_enrolments_kept(offering_ids) -> list[Enrolment]:
    """`approved_enrolments` of these offerings, read again only when a record may
    have changed (`read_once_per_change_many`): every page of explained rows asks for its
    few offerings' (one query and a tenth of a page of the API's rows, #26). Kept by the
    connection and shared by its requests: only read them."""

    def read(missing: list) -> dict[int, tuple[Enrolment, ...]]:
        found: dict[int, list[Enrolment]] = {offering_id: [] for offering_id in missing}
        for enrolment in approved_enrolments(missing):
            found[enrolment.offering_id].append(enrolment)
        return {offering_id: tuple(enrolments) for offering_id, enrolments in found.items()}

    database = connections[Enrolment.objects.db]
    kept = read_once_per_change_many(
        database, "approved-enrolments", offering_ids, read, area=RECORDS
    )
    return sorted((e for enrolments in kept.values() for e in enrolments), key=lambda e: e.pk)


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    """An institution's own enrolments; every one for the office; none otherwise."""
    enrolments = Enrolment.objects.select_related("tool", "offering")
    if user.is_staff:
        return enrolments
    institution = institution_of(user)
    if institution is None:
        return enrolments.none()
    return enrolments.filter(offering__institution=institution)


def deals_visible_to(user) -> QuerySet[DealTerms]:
    deals = DealTerms.objects.select_related(
        "match", "match__project", "match__offering", "match__offering__institution"
    )
    if user.is_staff:
        return deals
    firm, institution = firm_of(user), institution_of(user)
    if firm is not None:
        return deals.filter(match__project__firm=firm)
    if institution is not None:
        return deals.filter(match__offering__institution=institution)
    return deals.none()


def entitlements_visible_to(user) -> QuerySet[Entitlement]:
    entitlements = Entitlement.objects.select_related("tool", "deal", "firm", "deal__match")
    if user.is_staff:
        return entitlements
    firm, institution = firm_of(user), institution_of(user)
    if firm is not None:
        return entitlements.filter(firm=firm)
    if institution is not None:
        return entitlements.filter(deal__match__offering__institution=institution)
    return entitlements.none()


def claims_visible_to(user) -> QuerySet[Claim]:
    claims = Claim.objects.select_related("deal", "enrolment", "enrolment__tool")
    if user.is_staff:
        return claims
    institution = institution_of(user)
    if institution is None:
        return claims.none()
    return claims.filter(enrolment__offering__institution=institution)


def memberships_visible_to(user) -> QuerySet[FirmListMembership]:
    memberships = FirmListMembership.objects.select_related("firm")
    if user.is_staff:
        return memberships
    firm = firm_of(user)
    if firm is None:
        return memberships.none()
    return memberships.filter(firm=firm)


def tool_year_figures(tool: Tool, year: int) -> dict:
    """What the city sees for one tool and year: budget committed / published / paid /
    left, the financing closed on deals it supports, and its pipeline by state."""
    budget = ToolBudget.objects.filter(tool=tool, year=year).first()
    entitlements = Entitlement.objects.filter(tool=tool, year=year)
    by_state = {state: 0 for state in ("draft", "published", "confirmed", "paid", "refused")}
    counts = dict.fromkeys(by_state, 0)
    for state, amount in entitlements.values_list("state", "amount"):
        by_state[state] += amount
        counts[state] += 1
    supported = entitlements.exclude(state="refused")
    financing = sum(supported.values_list("deal__amount", flat=True))
    if tool.kind == "risk_pool":
        financing = sum(
            DealTerms.objects.filter(
                match__offering__enrolments__tool=tool,
                match__offering__enrolments__state=EnrolmentState.APPROVED,
                start_date__year=year,
            ).values_list("amount", flat=True)
        )
    committed = budget.committed if budget else 0
    return {
        "tool": tool,
        "year": year,
        "budget": budget.budget if budget else tool.yearly_budget,
        "committed": committed,
        "published": by_state["published"] + by_state["confirmed"] + by_state["paid"],
        "paid": budget.paid if budget else 0,
        "left": (budget.budget if budget else tool.yearly_budget) - committed,
        "financing": financing,
        "leverage": round(financing / committed, 1) if committed else None,
        "pipeline": by_state,
        "pipeline_counts": counts,
    }


def firm_support(firm) -> list[dict]:
    """For each of the firm's projects: each open tool, and whether it applies (else the
    first reason it does not, as a code for `wording.why_not`)."""
    tools = open_tools()
    lists = confirmed_lists([firm.pk]).get(firm.pk, set())
    bad_credit = firm.pk in bad_credit_firms([firm.pk])
    return [
        {
            "project": project,
            "tools": [
                (tool, why_not(tool, segment=project.segment, lists=lists, bad_credit=bad_credit))
                for tool in tools
            ],
        }
        for project in firm.projects.order_by("pk")
    ]


def office_queues() -> dict:
    """What waits for the office: claims, enrolments, entitlements, payments, claims."""
    return {
        "memberships": FirmListMembership.objects.filter(state=MembershipState.CLAIMED)
        .select_related("firm")
        .order_by("pk"),
        "enrolments": Enrolment.objects.filter(state=EnrolmentState.REQUESTED)
        .select_related("tool", "offering", "offering__institution")
        .order_by("pk"),
        "drafts": Entitlement.objects.filter(state="draft")
        .select_related("tool", "firm", "deal")
        .order_by("pk"),
        "published": Entitlement.objects.filter(state__in=["published", "confirmed"])
        .select_related("tool", "firm", "deal")
        .annotate(
            open_objections=Count("objections", filter=Q(objections__state=ObjectionState.OPEN))
        )
        .order_by("pk"),
        "objections": open_objections(),
        "claims": Claim.objects.filter(state="reported")
        .select_related("enrolment__tool", "deal", "enrolment__offering__institution")
        .order_by("pk"),
    }


def public_draft_list(today: dt.date | None = None) -> QuerySet[Entitlement]:
    """The public draft list (公示名单): entitlements the office published whose objection
    window is still open today (its last working day included), soonest closing first.
    Readers show only the tool, the firm's name, the amount and the window's end."""
    today = today or timezone.localdate()
    return (
        Entitlement.objects.filter(
            state__in=[EntitlementState.PUBLISHED, EntitlementState.CONFIRMED],
            objection_until__gte=today,
        )
        .select_related("tool", "firm")
        .only("pk", "amount", "objection_until", "tool__name_en", "tool__name_zh", "firm__name")
        .order_by("objection_until", "pk")
    )


def objection_window_open(entitlement: Entitlement, today: dt.date) -> bool:
    """On the public draft list and within its objection window (the last working day
    counted in)."""
    return (
        entitlement.state in (EntitlementState.PUBLISHED, EntitlementState.CONFIRMED)
        and entitlement.objection_until is not None
        and today <= entitlement.objection_until
    )


def ever_published() -> QuerySet[Entitlement]:
    """Entitlements that have been on the public draft list (their public fields may be
    shown; an entry never published is not anyone's business)."""
    return Entitlement.objects.filter(published_at__isnull=False).select_related("tool", "firm")


def objections_visible_to(user) -> QuerySet[Objection]:
    """Every objection for the office; a firm's member sees those against the firm's own
    entitlements (readers never show a firm the objector's contact); nobody else any."""
    objections = Objection.objects.select_related(
        "entitlement", "entitlement__tool", "entitlement__firm", "resolved_by"
    ).order_by("pk")
    if user.is_staff:
        return objections
    firm = firm_of(user)
    if firm is None:
        return objections.none()
    return objections.filter(entitlement__firm=firm)


def open_objections() -> QuerySet[Objection]:
    return objections_visible_to_office().filter(state=ObjectionState.OPEN)


def objections_visible_to_office() -> QuerySet[Objection]:
    return Objection.objects.select_related(
        "entitlement", "entitlement__tool", "entitlement__firm"
    ).order_by("pk")


def flagged_firms() -> QuerySet[FirmStanding]:
    return FirmStanding.objects.filter(bad_credit=True).select_related("firm").order_by("pk")


def pool_enrolment_of(deal: DealTerms) -> Enrolment | None:
    """The approved pool enrolment the deal's loan was made under, if any."""
    return (
        Enrolment.objects.filter(
            offering_id=deal.match.offering_id,
            state=EnrolmentState.APPROVED,
            tool__kind=ToolKind.RISK_POOL,
        )
        .select_related("tool")
        .first()
    )


def portfolio_of(enrolment: Enrolment) -> int:
    """The enrolled portfolio: confirmed loans closed on the enrolled offering."""
    return sum(
        DealTerms.objects.filter(
            match__offering_id=enrolment.offering_id, state=DealState.CONFIRMED
        ).values_list("amount", flat=True)
    )
