"""The programme's own tools as data the office manages, and what they pay out.

Rates are integer basis points (10,000 = 100 %) and amounts integer RMB, so no float ever
decides money. Budgets move only through `ledger.py` (append-only entries with an
idempotency key); `ToolBudget`'s balances are a cache of those entries that
`ledger.rebuild_balances` recomputes, held honest by database constraints.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from investors.models import Offering
from matchmaker.models import Match
from matchmaker.vocabulary import FastChoiceDisplay
from projects.models import Firm

BASIS_POINTS = 10_000  # 100 %


class ToolKind(models.TextChoices):
    INTEREST_SUBSIDY = "interest_subsidy", _("Interest subsidy")
    PREMIUM_SUBSIDY = "premium_subsidy", _("Premium / guarantee-fee subsidy")
    RISK_POOL = "risk_pool", _("Risk-compensation pool")
    LAUNCH_INSURANCE_SUBSIDY = (
        "launch_insurance_subsidy",
        _("Launch and in-orbit insurance subsidy"),
    )
    FIRST_OF_KIND_INSURANCE = "first_of_kind_insurance", _("First-of-kind insurance")


class ProgrammeList(models.TextChoices):
    """Registers a firm may be on; tools name the ones they require (any of them)."""

    PROGRAMME = "programme", _("Programme list")
    HIGH_TECH = "high_tech", _("High-tech enterprise")
    SPECIALISED = "specialised", _("Specialised, refined, distinctive and innovative SME")


class Exclusion(models.TextChoices):
    POLICY_GUARANTEE = "policy_guarantee", _("Loan already carries a policy guarantee")
    BAD_CREDIT = "bad_credit", _("Serious bad-credit record")


class RequiredDocument(models.TextChoices):
    LAUNCH_FILING = "launch_filing", _("Launch approval or filing")
    PREMIUM_PAID = "premium_paid", _("Premium paid in full")
    CATALOGUE_LISTING = "catalogue_listing", _("Listed in the first-of-kind catalogue")


def _positive(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0})


# What the office edits on a tool, in the form, the API and the service alike.
TOOL_EDITABLE_FIELDS = (
    "code",
    "name_en",
    "name_zh",
    "kind",
    "rate_bp",
    "rate_ceiling_bp",
    "cap_per_deal",
    "cap_per_unit",
    "cap_per_firm_year",
    "years_max",
    "yearly_budget",
    "window_start",
    "window_end",
    "eligible_segments",
    "required_lists",
    "exclusions",
    "required_document",
    "legal_basis",
    "legal_basis_url",
    "loss_band_low_bp",
    "loss_band_high_bp",
    "objection_working_days",
    "confirm_working_days",
)


class Tool(FastChoiceDisplay, models.Model):
    """One instrument of the programme. `kind` picks the rule that computes what it pays
    (`rules.entitlement_base`); everything else is a figure the office sets."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    kind = models.CharField(_("kind"), max_length=32, choices=ToolKind.choices)
    rate_bp = models.PositiveIntegerField(
        _("share paid (basis points)"),
        help_text=_("Of the interest, premium or loss the tool carries; 5000 = 50 %."),
    )
    rate_ceiling_bp = models.PositiveIntegerField(
        _("highest rate counted (basis points)"), null=True, blank=True
    )
    cap_per_deal = models.BigIntegerField(_("cap per deal (RMB)"), null=True, blank=True)
    cap_per_unit = models.BigIntegerField(
        _("cap per launch or satellite (RMB)"), null=True, blank=True
    )
    cap_per_firm_year = models.BigIntegerField(
        _("cap per firm per year (RMB)"), null=True, blank=True
    )
    years_max = models.PositiveSmallIntegerField(_("years covered at most"), null=True, blank=True)
    yearly_budget = models.BigIntegerField(_("yearly budget (RMB)"))
    window_start = models.DateField(_("window opens"))
    window_end = models.DateField(_("window closes"))
    eligible_segments = models.JSONField(_("eligible segments"), default=list, blank=True)
    required_lists = models.JSONField(_("required lists (any of)"), default=list, blank=True)
    exclusions = models.JSONField(_("exclusions"), default=list, blank=True)
    required_document = models.CharField(
        _("required document"), max_length=32, choices=RequiredDocument.choices, blank=True
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    legal_basis_url = models.URLField(_("legal basis link"), max_length=500, blank=True)
    loss_band_low_bp = models.PositiveIntegerField(
        _("loss band from (basis points)"), null=True, blank=True
    )
    loss_band_high_bp = models.PositiveIntegerField(
        _("loss band to (basis points)"), null=True, blank=True
    )
    objection_working_days = models.PositiveSmallIntegerField(
        _("objection window (working days)"), default=5
    )
    confirm_working_days = models.PositiveSmallIntegerField(
        _("firm's confirmation window (working days)"), default=3
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme tool")
        verbose_name_plural = _("programme tools")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_bp__lte=BASIS_POINTS), name="tool_rate_at_most_100pc"
            ),
            models.CheckConstraint(
                condition=Q(rate_ceiling_bp__isnull=True) | Q(rate_ceiling_bp__lte=BASIS_POINTS),
                name="tool_ceiling_at_most_100pc",
            ),
            models.CheckConstraint(
                condition=_positive("cap_per_deal")
                & _positive("cap_per_unit")
                & _positive("cap_per_firm_year"),
                name="tool_caps_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(yearly_budget__gte=0), name="tool_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(window_end__gte=F("window_start")), name="tool_window_in_order"
            ),
            models.CheckConstraint(
                condition=Q(loss_band_low_bp__isnull=True)
                | Q(loss_band_high_bp__isnull=True)
                | Q(loss_band_high_bp__gte=F("loss_band_low_bp")),
                name="tool_loss_band_in_order",
            ),
            models.CheckConstraint(condition=Q(kind__in=ToolKind.values), name="tool_kind_known"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The tool's name in the reader's language (office-entered data in both)."""
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en

    @property
    def pays_entitlements(self) -> bool:
        """Every kind but the pool pays on closed deals; the pool pays on claims."""
        return self.kind != ToolKind.RISK_POOL

    def open_on(self, day) -> bool:
        return self.window_start <= day <= self.window_end


class ToolBudget(models.Model):
    """One tool's budget for one year: the row every commitment locks first. The
    balances are a cache of `LedgerEntry` rows (`ledger.rebuild_balances`)."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.BigIntegerField(_("budget (RMB)"))
    committed = models.BigIntegerField(_("committed (RMB)"), default=0)
    paid = models.BigIntegerField(_("paid (RMB)"), default=0)

    class Meta:
        verbose_name = _("tool budget")
        verbose_name_plural = _("tool budgets")
        ordering = ["tool_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "year"], name="one_budget_per_tool_year"),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(committed__lte=F("budget")),
                name="budget_committed_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=F("committed")),
                name="budget_paid_within_committed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool_id}/{self.year}"

    @property
    def left(self) -> int:
        return self.budget - self.committed


class LedgerEntry(models.Model):
    """Append-only: a commitment, its release, or a payment. Never updated or deleted."""

    class Kind(models.TextChoices):
        COMMIT = "commit", _("Committed")
        RELEASE = "release", _("Released")
        PAY = "pay", _("Paid")

    budget = models.ForeignKey(ToolBudget, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.BigIntegerField()
    idempotency_key = models.CharField(max_length=120, unique=True)
    entitlement = models.ForeignKey(
        "Entitlement", on_delete=models.PROTECT, null=True, related_name="ledger_entries"
    )
    claim = models.ForeignKey(
        "Claim", on_delete=models.PROTECT, null=True, related_name="ledger_entries"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class MembershipState(models.TextChoices):
    CLAIMED = "claimed", _("Claimed")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")


class OfficeDecision(models.Model):
    """What the office decided on a request (a list membership, an enrolment, a claim):
    who, when, and why when it refused."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        abstract = True


class FirmListMembership(FastChoiceDisplay, OfficeDecision):
    """A firm says it is on a list, with evidence; the office confirms or refuses."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="list_memberships")
    programme_list = models.CharField(_("list"), max_length=24, choices=ProgrammeList.choices)
    evidence = models.TextField(_("evidence"), max_length=2000)
    state = models.CharField(
        max_length=16, choices=MembershipState.choices, default=MembershipState.CLAIMED
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "programme_list"], name="one_claim_per_firm_list"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm_id}: {self.programme_list}"


class FirmStanding(models.Model):
    """What the office knows against a firm: a serious bad-credit record excludes it."""

    firm = models.OneToOneField(Firm, on_delete=models.CASCADE, related_name="programme_standing")
    bad_credit = models.BooleanField(_("serious bad-credit record"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.firm_id}"


class EnrolmentState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(FastChoiceDisplay, OfficeDecision):
    """An offering enrolled in a tool, with what it accepts when the tool applies (the
    covered terms; empty = as the offering says)."""

    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("offering")
    )
    tool = models.ForeignKey(
        Tool, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("programme tool")
    )
    state = models.CharField(
        max_length=16, choices=EnrolmentState.choices, default=EnrolmentState.REQUESTED
    )
    covered_trl_min = models.PositiveSmallIntegerField(
        _("lowest TRL accepted with the tool"), null=True, blank=True
    )
    covered_pre_revenue = models.BooleanField(
        _("pre-revenue firms accepted with the tool"), default=False
    )
    covered_ticket_max = models.BigIntegerField(
        _("largest ticket with the tool (RMB)"), null=True, blank=True
    )
    indicative_rate_bp = models.PositiveIntegerField(
        _("indicative rate or premium (basis points)"), null=True, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "tool"],
                condition=Q(state__in=["requested", "approved"]),
                name="one_open_enrolment_per_offering_tool",
            ),
            models.CheckConstraint(
                condition=Q(covered_trl_min__isnull=True)
                | Q(covered_trl_min__gte=1, covered_trl_min__lte=9),
                name="enrolment_covered_trl_1_9",
            ),
            models.CheckConstraint(
                condition=_positive("covered_ticket_max"), name="enrolment_ticket_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(indicative_rate_bp__isnull=True)
                | Q(indicative_rate_bp__lte=BASIS_POINTS),
                name="enrolment_rate_at_most_100pc",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering_id} in {self.tool_id}"

    @property
    def has_covered_terms(self) -> bool:
        return (
            self.covered_trl_min is not None
            or self.covered_pre_revenue
            or self.covered_ticket_max is not None
        )


class DealState(models.TextChoices):
    RECORDED = "recorded", _("Recorded by the financier")
    CONFIRMED = "confirmed", _("Confirmed by the firm")


# What a financier records when it closes a deal, in the form, the API and the service alike.
DEAL_TERMS_FIELDS = (
    "amount",
    "rate_bp",
    "tenor_months",
    "start_date",
    "end_date",
    "units",
    "policy_guarantee",
    "documents",
)


class DealTerms(FastChoiceDisplay, models.Model):
    """What a won match closed on: the financier records it, the firm confirms."""

    match = models.OneToOneField(Match, on_delete=models.PROTECT, related_name="deal_terms")
    amount = models.BigIntegerField(_("amount or insured value (RMB)"))
    rate_bp = models.PositiveIntegerField(_("interest, premium or fee rate (basis points)"))
    tenor_months = models.PositiveSmallIntegerField(_("tenor (months)"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    units = models.PositiveSmallIntegerField(_("launches or satellites covered"), default=1)
    policy_guarantee = models.BooleanField(_("carries a policy guarantee"), default=False)
    documents = models.JSONField(_("documents attested"), default=list, blank=True)
    state = models.CharField(max_length=16, choices=DealState.choices, default=DealState.RECORDED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deal_amount_positive"),
            models.CheckConstraint(
                condition=Q(rate_bp__lte=BASIS_POINTS), name="deal_rate_at_most_100pc"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="deal_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"deal {self.match_id}: {self.amount}"


class EntitlementState(models.TextChoices):
    DRAFT = "draft", _("Computed, for the office's review")
    PUBLISHED = "published", _("On the draft list for objection")
    CONFIRMED = "confirmed", _("Confirmed by the firm")
    PAID = "paid", _("Paid")
    REFUSED = "refused", _("Refused")


class Entitlement(FastChoiceDisplay, models.Model):
    """What a confirmed deal is owed by one tool, without an application (免申即享)."""

    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="entitlements")
    deal = models.ForeignKey(DealTerms, on_delete=models.PROTECT, related_name="entitlements")
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="entitlements")
    year = models.PositiveSmallIntegerField(_("year"))
    base = models.BigIntegerField(_("before caps (RMB)"), default=0)
    amount = models.BigIntegerField(_("amount (RMB)"), default=0)
    state = models.CharField(
        max_length=16, choices=EntitlementState.choices, default=EntitlementState.DRAFT
    )
    limited_by = models.CharField(_("limited by"), max_length=32, blank=True)
    refusal = models.CharField(_("reason"), max_length=300, blank=True)
    computed_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    objection_until = models.DateField(_("objections until"), null=True, blank=True)
    confirm_by = models.DateField(_("firm confirms by"), null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "deal"], name="one_entitlement_per_tool_deal"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=F("base")),
                name="entitlement_within_base",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool_id} × {self.deal_id}: {self.amount}"


class ClaimState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Claim(FastChoiceDisplay, OfficeDecision):
    """A lender's default on a loan enrolled in the pool, and what the pool pays."""

    deal = models.ForeignKey(DealTerms, on_delete=models.PROTECT, related_name="claims")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="claims")
    outstanding = models.BigIntegerField(_("outstanding (RMB)"))
    recoveries = models.BigIntegerField(_("recoveries (RMB)"), default=0)
    loss = models.BigIntegerField(_("loss (RMB)"))
    compensation = models.BigIntegerField(_("compensation (RMB)"))
    state = models.CharField(max_length=16, choices=ClaimState.choices, default=ClaimState.REPORTED)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outstanding__gt=0) & Q(recoveries__gte=0),
                name="claim_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(recoveries__lte=F("outstanding")), name="claim_recoveries_within"
            ),
            models.CheckConstraint(
                condition=Q(compensation__gte=0) & Q(compensation__lte=F("loss")),
                name="claim_compensation_within_loss",
            ),
        ]

    def __str__(self) -> str:
        return f"claim on {self.deal_id}: {self.compensation}"


class ObjectionState(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection", "Open")
    UPHELD = "upheld", pgettext_lazy("objection", "Upheld")
    DISMISSED = "dismissed", pgettext_lazy("objection", "Dismissed")


class Objection(FastChoiceDisplay, models.Model):
    """An objection anyone lodges against one entry of the public draft list (公示异议),
    within its window. What the objector wrote is never changed; the office's resolution
    is recorded beside it, with who and when (and a `ProgrammeEvent`)."""

    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.PROTECT, related_name="objections"
    )
    name = models.CharField(_("your name or organisation"), max_length=100)
    contact = models.CharField(_("how the office can reach you"), max_length=200)
    reason = models.TextField(_("reason for the objection"), max_length=2000)
    lodged_at = models.DateTimeField(auto_now_add=True)
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(_("the office's reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open", resolved_at__isnull=True)
                | (~Q(state="open") & Q(resolved_at__isnull=False)),
                name="objection_resolved_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"objection {self.pk} on {self.entitlement_id}"


class ProgrammeEvent(models.Model):
    """Who did what, when: one row per programme service call (the audit trail)."""

    action = models.CharField(max_length=48)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    at = models.DateTimeField(auto_now_add=True)
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, null=True, related_name="events")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, null=True)
    membership = models.ForeignKey(FirmListMembership, on_delete=models.CASCADE, null=True)
    deal = models.ForeignKey(DealTerms, on_delete=models.CASCADE, null=True)
    entitlement = models.ForeignKey(Entitlement, on_delete=models.CASCADE, null=True)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, null=True)
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, null=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.action} by {self.by_id}"
