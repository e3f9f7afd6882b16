"""Every write of the programme: keyword-only `<noun>_<verb>(*, …, by)`, one transaction
each, each writing its own `ProgrammeEvent`. Money moves only through `ledger.py`, which
locks the tool-year budget row first and the firm's row second."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from investors.models import Offering
from matchmaker.models import Match, MatchStatus, PendingScoring
from matchmaker.programme import ledger, rules, selectors
from matchmaker.programme.models import (
    DEAL_TERMS_FIELDS,
    TOOL_EDITABLE_FIELDS,
    Claim,
    ClaimState,
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
    ProgrammeEvent,
    Tool,
    ToolKind,
)
from matchmaker.programme.selectors import bad_credit_firms, confirmed_lists, why_not
from matchmaker.review import services as review
from matchmaker.signals import request_scoring
from matchmaker.vocabulary import Instrument, StateConflict
from matchmaker.workdays import add_working_days
from projects.models import Firm

TOOL_FIELDS = TOOL_EDITABLE_FIELDS

# Which instrument each tool's enrolled offerings carry.
TOOL_INSTRUMENT = {
    ToolKind.INTEREST_SUBSIDY: Instrument.CREDIT,
    ToolKind.PREMIUM_SUBSIDY: None,  # a loan's guarantee fee or an insurer's premium
    ToolKind.RISK_POOL: Instrument.CREDIT,
    ToolKind.LAUNCH_INSURANCE_SUBSIDY: Instrument.RISK_COVER,
    ToolKind.FIRST_OF_KIND_INSURANCE: Instrument.RISK_COVER,
}


class ProgrammeConflict(StateConflict):
    """A programme step asked of an object that is not where the step starts."""


def _log(action: str, by, **links) -> ProgrammeEvent:
    return ProgrammeEvent.objects.create(action=action, by=by, **links)


def _rescore_projects_of(firm_id: int) -> None:
    for project_id in Firm.objects.get(pk=firm_id).projects.values_list("pk", flat=True):
        request_scoring(PendingScoring.Kind.PROJECT, project_id)


def _rescore_enrolled(tool: Tool) -> None:
    for offering_id in tool.enrolments.filter(state=EnrolmentState.APPROVED).values_list(
        "offering_id", flat=True
    ):
        request_scoring(PendingScoring.Kind.OFFERING, offering_id)


# Tools -----------------------------------------------------------------------------


@transaction.atomic
def tool_create(*, data: dict, by) -> Tool:
    problems = rules.tool_problems(data)
    if problems:
        raise ValidationError(problems)
    tool = Tool.objects.create(**{name: data[name] for name in TOOL_FIELDS if name in data})
    _log("tool_create", by, tool=tool)
    return tool


@transaction.atomic
def tool_update(*, tool: Tool, data: dict, by) -> Tool:
    """Change a tool's figures. A lower yearly budget applies to this year's budget too,
    and never below what is already committed (locks the budget row first)."""
    merged = {name: data.get(name, getattr(tool, name)) for name in TOOL_FIELDS}
    problems = rules.tool_problems(merged)
    year = timezone.localdate().year
    budget = ledger.lock_budget(tool, year)
    problem = rules.budget_problem(merged["yearly_budget"], budget.committed)
    if problem:
        problems["yearly_budget"] = problem
    if problems:
        raise ValidationError(problems)
    for name in TOOL_FIELDS:
        setattr(tool, name, merged[name])
    tool.save()
    ledger.set_budget(budget, merged["yearly_budget"])
    _log("tool_update", by, tool=tool, detail={"fields": sorted(data)})
    _rescore_enrolled(tool)
    return tool


# Firms' lists and standing ---------------------------------------------------------


@transaction.atomic
def membership_claim(*, firm: Firm, programme_list: str, evidence: str, by) -> FirmListMembership:
    """A firm member says the firm is on a list; a refused claim may be made again."""
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say where the office can check it.")})
    membership, created = FirmListMembership.objects.select_for_update().get_or_create(
        firm=firm,
        programme_list=programme_list,
        defaults={"evidence": evidence, "claimed_by": by},
    )
    if not created:
        if membership.state != MembershipState.REFUSED:
            raise ProgrammeConflict(_("This list is already claimed."))
        membership.evidence, membership.claimed_by = evidence, by
        membership.state, membership.reason = MembershipState.CLAIMED, ""
        membership.save()
    _log("membership_claim", by, membership=membership)
    return membership


@transaction.atomic
def membership_decide(
    *, membership: FirmListMembership, confirm: bool, reason: str = "", by
) -> FirmListMembership:
    membership = FirmListMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != MembershipState.CLAIMED:
        raise ProgrammeConflict(_("This claim has already been decided."))
    if not confirm and not reason.strip():
        raise ValidationError({"reason": _("Give the firm a reason.")})
    membership.state = MembershipState.CONFIRMED if confirm else MembershipState.REFUSED
    membership.decided_by, membership.decided_at = by, timezone.now()
    membership.reason = reason
    membership.save()
    _log("membership_confirm" if confirm else "membership_refuse", by, membership=membership)
    _rescore_projects_of(membership.firm_id)
    return membership


@transaction.atomic
def standing_set(*, firm: Firm, bad_credit: bool, note: str = "", by) -> FirmStanding:
    standing, _created = FirmStanding.objects.update_or_create(
        firm=firm, defaults={"bad_credit": bad_credit, "note": note}
    )
    _log("standing_set", by, detail={"firm": str(firm.pk), "bad_credit": bad_credit})
    _rescore_projects_of(firm.pk)
    return standing


# Enrolments ------------------------------------------------------------------------


@transaction.atomic
def enrolment_request(
    *,
    offering: Offering,
    tool: Tool,
    covered_trl_min: int | None = None,
    covered_pre_revenue: bool = False,
    covered_ticket_max: int | None = None,
    indicative_rate_bp: int | None = None,
    by,
) -> Enrolment:
    """An institution asks to enrol one of its offerings in a tool, stating what it
    accepts when the tool applies."""
    instrument = TOOL_INSTRUMENT[tool.kind]
    if instrument is not None and offering.instrument != instrument:
        raise ValidationError({"tool": _("This tool does not cover this kind of product.")})
    if covered_trl_min is not None and not 1 <= covered_trl_min <= 9:
        raise ValidationError({"covered_trl_min": _("TRL is between 1 and 9.")})
    if indicative_rate_bp is not None and not 0 <= indicative_rate_bp <= 10_000:
        raise ValidationError(
            {"indicative_rate_bp": _("A rate is between 0 and 10,000 basis points (0–100 %).")}
        )
    if covered_ticket_max is not None and covered_ticket_max < offering.ticket_min:
        raise ValidationError(
            {"covered_ticket_max": _("The covered ticket is at least the product's minimum.")}
        )
    if Enrolment.objects.filter(
        offering=offering, tool=tool, state__in=[EnrolmentState.REQUESTED, EnrolmentState.APPROVED]
    ).exists():
        raise ProgrammeConflict(_("This product is already enrolled in this tool."))
    enrolment = Enrolment.objects.create(
        offering=offering,
        tool=tool,
        covered_trl_min=covered_trl_min,
        covered_pre_revenue=covered_pre_revenue,
        covered_ticket_max=covered_ticket_max,
        indicative_rate_bp=indicative_rate_bp,
        requested_by=by,
    )
    _log("enrolment_request", by, enrolment=enrolment, tool=tool)
    return enrolment


@transaction.atomic
def enrolment_decide(*, enrolment: Enrolment, approve: bool, reason: str = "", by) -> Enrolment:
    """The office approves (the covered terms start to count in matching) or refuses."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.state != EnrolmentState.REQUESTED:
        raise ProgrammeConflict(_("This enrolment has already been decided."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give the institution a reason.")})
    enrolment.state = EnrolmentState.APPROVED if approve else EnrolmentState.REFUSED
    enrolment.decided_by, enrolment.decided_at, enrolment.reason = by, timezone.now(), reason
    enrolment.save()
    _log("enrolment_approve" if approve else "enrolment_refuse", by, enrolment=enrolment)
    if approve:
        request_scoring(PendingScoring.Kind.OFFERING, enrolment.offering_id)
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, by) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.state not in (EnrolmentState.REQUESTED, EnrolmentState.APPROVED):
        raise ProgrammeConflict(_("This enrolment is no longer open."))
    was_approved = enrolment.state == EnrolmentState.APPROVED
    enrolment.state = EnrolmentState.WITHDRAWN
    enrolment.save()
    _log("enrolment_withdraw", by, enrolment=enrolment)
    if was_approved:
        request_scoring(PendingScoring.Kind.OFFERING, enrolment.offering_id)
    return enrolment


# Closed deals ----------------------------------------------------------------------


@transaction.atomic
def deal_close(*, match: Match, terms: dict, by) -> DealTerms:
    """The financier moves a match to closed-won (the review state machine decides if
    it may) and records what it closed on, in one transaction."""
    problems = rules.deal_problems(terms)
    if problems:
        raise ValidationError(problems)
    match = review.match_move(match=match, to_status=MatchStatus.CLOSED_WON, by=by)
    recorded = {name: terms[name] for name in DEAL_TERMS_FIELDS if name in terms}
    deal = DealTerms.objects.create(match=match, recorded_by=by, **recorded)
    _log("deal_record", by, deal=deal)
    return deal


@transaction.atomic
def deal_confirm(*, deal: DealTerms, by, today: dt.date | None = None) -> list[Entitlement]:
    """The firm confirms the terms; then every tool the deal's offering is enrolled in
    is checked and an entitlement computed, without an application."""
    deal = DealTerms.objects.select_for_update().get(pk=deal.pk)
    if deal.state != DealState.RECORDED:
        raise ProgrammeConflict(_("These terms are already confirmed."))
    deal.state, deal.confirmed_by, deal.confirmed_at = DealState.CONFIRMED, by, timezone.now()
    deal.save()
    _log("deal_confirm", by, deal=deal)
    return _entitlements_compute(deal, by, today or timezone.localdate())


def _refusal_reason(tool: Tool, deal: DealTerms, firm_id: int, segment: str) -> str:
    code = why_not(
        tool,
        segment=segment,
        lists=confirmed_lists([firm_id]).get(firm_id, set()),
        bad_credit=firm_id in bad_credit_firms([firm_id]),
    )
    if code is None and deal.policy_guarantee and Exclusion.POLICY_GUARANTEE in tool.exclusions:
        code = "policy_guarantee"
    if code is None and tool.required_document and tool.required_document not in deal.documents:
        code = "document"
    return code or ""


def _entitlements_compute(deal: DealTerms, by, today: dt.date) -> list[Entitlement]:
    match = Match.objects.select_related("project").get(pk=deal.match_id)
    firm_id, year = match.project.firm_id, today.year
    enrolments = Enrolment.objects.filter(
        offering_id=match.offering_id, state=EnrolmentState.APPROVED
    ).select_related("tool")
    made = []
    for enrolment in enrolments.order_by("tool_id"):
        tool = enrolment.tool
        if not tool.pays_entitlements:
            continue
        made.append(_entitlement_for(tool, deal, firm_id, match.project.segment, year, today, by))
    return made


def _entitlement_for(tool, deal, firm_id, segment, year, today, by) -> Entitlement:
    """Lock the tool-year budget, then the firm; compute under the caps and what is
    left; commit it through the ledger."""
    budget = ledger.lock_budget(tool, year)
    ledger.lock_firm(firm_id)
    reason = "window" if not tool.open_on(today) else _refusal_reason(tool, deal, firm_id, segment)
    so_far = sum(
        Entitlement.objects.filter(tool=tool, firm_id=firm_id, year=year)
        .exclude(state=EntitlementState.REFUSED)
        .values_list("amount", flat=True)
    )
    base, amount, limited_by = rules.entitlement_before_budget(tool, deal, so_far)
    entitlement = Entitlement.objects.create(
        tool=tool, deal=deal, firm_id=firm_id, year=year, base=base, amount=0
    )
    if not reason and amount <= 0:
        reason = "firm_cap" if limited_by == "per_firm_year" else "nothing_due"
    if not reason:
        committed = ledger.commit(
            budget, amount, f"entitlement:{entitlement.pk}:commit", by, entitlement=entitlement
        )
        if committed < amount:
            limited_by = "budget"
        if committed == 0:
            reason = "budget"
        entitlement.amount = committed
    if reason:
        entitlement.state, entitlement.refusal = EntitlementState.REFUSED, reason
    entitlement.limited_by = limited_by
    entitlement.save()
    _log("entitlement_compute", by, entitlement=entitlement, tool=tool)
    return entitlement


def _locked_entitlement(entitlement: Entitlement) -> Entitlement:
    """The tool-year budget row first, then the entitlement: the one lock order."""
    ledger.lock_budget(entitlement.tool, entitlement.year)
    return Entitlement.objects.select_for_update().select_related("tool").get(pk=entitlement.pk)


@transaction.atomic
def entitlement_publish(*, entitlement: Entitlement, by, today: dt.date | None = None):
    """The office puts a reviewed entitlement on the draft list: objections are open and
    the firm must confirm, each within its count of Chinese working days."""
    entitlement = _locked_entitlement(entitlement)
    if entitlement.state != EntitlementState.DRAFT:
        raise ProgrammeConflict(_("Only a computed entitlement can be published."))
    today = today or timezone.localdate()
    entitlement.state, entitlement.published_at = EntitlementState.PUBLISHED, timezone.now()
    entitlement.objection_until = add_working_days(today, entitlement.tool.objection_working_days)
    entitlement.confirm_by = add_working_days(today, entitlement.tool.confirm_working_days)
    entitlement.save()
    _log("entitlement_publish", by, entitlement=entitlement)
    return entitlement


@transaction.atomic
def entitlement_confirm(*, entitlement: Entitlement, by, today: dt.date | None = None):
    """The firm confirms on the platform, within its window."""
    entitlement = _locked_entitlement(entitlement)
    if entitlement.state != EntitlementState.PUBLISHED:
        raise ProgrammeConflict(_("Only an entitlement on the draft list can be confirmed."))
    if (today or timezone.localdate()) > entitlement.confirm_by:
        raise ProgrammeConflict(_("The window to confirm has closed."))
    entitlement.state, entitlement.confirmed_at = EntitlementState.CONFIRMED, timezone.now()
    entitlement.save()
    _log("entitlement_confirm", by, entitlement=entitlement)
    return entitlement


@transaction.atomic
def entitlement_refuse(*, entitlement: Entitlement, reason: str, by):
    """The office refuses (an upheld objection, a late confirmation): the money goes back."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the firm a reason.")})
    entitlement = _locked_entitlement(entitlement)
    if entitlement.state not in (EntitlementState.DRAFT, EntitlementState.PUBLISHED):
        raise ProgrammeConflict(_("This entitlement can no longer be refused."))
    return _refuse_locked(entitlement, reason, by)


def _refuse_locked(entitlement: Entitlement, reason: str, by) -> Entitlement:
    """Refuse a locked entitlement and release its commitment through the ledger (the
    idempotency key makes a second release a no-op)."""
    budget = ledger.lock_budget(entitlement.tool, entitlement.year)
    ledger.release(
        budget,
        entitlement.amount,
        f"entitlement:{entitlement.pk}:release",
        by,
        entitlement=entitlement,
    )
    entitlement.state, entitlement.refusal = EntitlementState.REFUSED, reason
    entitlement.save()
    _log("entitlement_refuse", by, entitlement=entitlement, detail={"reason": reason})
    return entitlement


@transaction.atomic
def entitlement_pay(*, entitlement: Entitlement, by, today: dt.date | None = None):
    """Record the payment of a confirmed entitlement once objections have closed."""
    entitlement = _locked_entitlement(entitlement)
    if entitlement.state != EntitlementState.CONFIRMED:
        raise ProgrammeConflict(_("Only a confirmed entitlement can be paid."))
    if (today or timezone.localdate()) <= entitlement.objection_until:
        raise ProgrammeConflict(_("The objection window is still open."))
    if entitlement.objections.filter(state=ObjectionState.OPEN).exists():
        raise ProgrammeConflict(
            _("An objection against this entitlement is still open: resolve it before paying.")
        )
    budget = ledger.lock_budget(entitlement.tool, entitlement.year)
    ledger.pay(
        budget, entitlement.amount, f"entitlement:{entitlement.pk}:pay", by, entitlement=entitlement
    )
    entitlement.state, entitlement.paid_at = EntitlementState.PAID, timezone.now()
    entitlement.save()
    _log("entitlement_pay", by, entitlement=entitlement)
    return entitlement


# Objections to the public draft list (公示异议) -------------------------------------

# However many people object, one entry takes at most this many open objections: the
# office reads them all, and a flood of copies adds nothing to the first ones.
MAX_OPEN_OBJECTIONS = 20
# Objections one client (an address) may lodge in an hour, on the web and in the API.
OBJECTIONS_PER_HOUR = 10
OBJECTION_WINDOW_CLOSED = gettext_lazy(
    "The objection window for this entry has closed; objections are no longer taken."
)
OBJECTION_LIMITS = {"name": 100, "contact": 200, "reason": 2000}


def objection_problems(*, name: str, contact: str, reason: str) -> dict[str, str]:
    """What is wrong with an objection's text (the form and the API say the same)."""
    problems = {}
    values = {"name": name, "contact": contact, "reason": reason}
    for field, value in values.items():
        if not (value or "").strip():
            problems[field] = _("This field is required.")
        elif len(value) > OBJECTION_LIMITS[field]:
            problems[field] = _("At most %(n)d characters.") % {"n": OBJECTION_LIMITS[field]}
    if "reason" not in problems and len(reason.strip()) < 10:
        problems["reason"] = _("Say what is wrong with this entry, in a sentence or more.")
    return problems


@transaction.atomic
def objection_lodge(
    *, entitlement: Entitlement, name: str, contact: str, reason: str, by=None, today=None
) -> Objection:
    """Anyone (signed in or not: `by` may be None) objects to one entry of the public
    draft list, within its window. The row is never edited afterwards."""
    problems = objection_problems(name=name, contact=contact, reason=reason)
    if problems:
        raise ValidationError(problems)
    entitlement = _locked_entitlement(entitlement)
    if not selectors.objection_window_open(entitlement, today or timezone.localdate()):
        raise ProgrammeConflict(str(OBJECTION_WINDOW_CLOSED))
    if entitlement.objections.filter(state=ObjectionState.OPEN).count() >= MAX_OPEN_OBJECTIONS:
        raise ProgrammeConflict(
            _("This entry already has many open objections; the office is reviewing them.")
        )
    objection = Objection.objects.create(
        entitlement=entitlement,
        name=name.strip(),
        contact=contact.strip(),
        reason=reason.strip(),
        lodged_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _log(
        "objection_lodge",
        objection.lodged_by,
        objection=objection,
        entitlement=entitlement,
    )
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, uphold: bool, reason: str, by) -> Objection:
    """The office resolves an open objection. Upheld: the entitlement is refused and its
    commitment released through the ledger (once, however many objections are upheld);
    the other open objections on it stay for the office to close. Dismissed: the reason
    is recorded. Either way, who and when."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": 300}})
    entitlement = _locked_entitlement(objection.entitlement)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.state != ObjectionState.OPEN:
        raise ProgrammeConflict(_("This objection has already been resolved."))
    if uphold and entitlement.state in (EntitlementState.PUBLISHED, EntitlementState.CONFIRMED):
        _refuse_locked(entitlement, reason, by)
    objection.state = ObjectionState.UPHELD if uphold else ObjectionState.DISMISSED
    objection.resolved_by, objection.resolved_at = by, timezone.now()
    objection.resolution = reason.strip()
    objection.save()
    _log(
        "objection_uphold" if uphold else "objection_dismiss",
        by,
        objection=objection,
        entitlement=entitlement,
        detail={"reason": objection.resolution},
    )
    return objection


# Claims on the pool ----------------------------------------------------------------


@transaction.atomic
def claim_report(*, deal: DealTerms, outstanding: int, recoveries: int, by) -> Claim:
    """A lender reports a default; the pool's rule computes the compensation."""
    problems = rules.claim_problems(outstanding, recoveries)
    if problems:
        raise ValidationError(problems)
    deal = DealTerms.objects.select_related("match").get(pk=deal.pk)
    enrolment = selectors.pool_enrolment_of(deal)
    if enrolment is None or deal.state != DealState.CONFIRMED or deal.policy_guarantee:
        raise ValidationError({"deal": _("This loan is not enrolled in a risk-compensation pool.")})
    ledger.lock_budget(enrolment.tool, timezone.localdate().year)
    loss = outstanding - recoveries
    earlier = sum(
        Claim.objects.filter(enrolment=enrolment)
        .exclude(state=ClaimState.REFUSED)
        .values_list("loss", flat=True)
    )
    compensation = rules.pool_compensation(
        enrolment.tool, selectors.portfolio_of(enrolment), earlier, loss
    )
    claim = Claim.objects.create(
        deal=deal,
        enrolment=enrolment,
        outstanding=outstanding,
        recoveries=recoveries,
        loss=loss,
        compensation=compensation,
        reported_by=by,
    )
    _log("claim_report", by, claim=claim)
    return claim


@transaction.atomic
def claim_decide(*, claim: Claim, approve: bool, reason: str = "", by) -> Claim:
    """The office approves (the pool's budget pays, up to what is left) or refuses."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    tool = claim.enrolment.tool
    budget = ledger.lock_budget(tool, timezone.localdate().year)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.state != ClaimState.REPORTED:
        raise ProgrammeConflict(_("This claim has already been decided."))
    if approve:
        paid = ledger.commit(
            budget, claim.compensation, f"claim:{claim.pk}:commit", by, claim=claim
        )
        ledger.pay(budget, paid, f"claim:{claim.pk}:pay", by, claim=claim)
        claim.compensation = paid
    claim.state = ClaimState.APPROVED if approve else ClaimState.REFUSED
    claim.decided_by, claim.decided_at, claim.reason = by, timezone.now(), reason
    claim.save()
    _log("claim_approve" if approve else "claim_refuse", by, claim=claim)
    return claim
