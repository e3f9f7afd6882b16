"""Banks, insurers and funds, and the financial products (offerings) they publish."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import (
    Collateral,
    Country,
    Exposure,
    FastChoiceDisplay,
    FlightRecord,
    InstitutionType,
    Instrument,
    OfferingRole,
    PlainCharField,
    PlainTextField,
    ProductType,
    Province,
    Region,
    RevenueStatus,
    RiskAppetite,
    Segment,
    Stage,
    WeightsValidator,
    code_list_field,
    labels,
)


class Institution(FastChoiceDisplay, models.Model):
    """A financial institution; unverified ones can draft offerings that nobody sees."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = PlainCharField(_("name"), max_length=200, unique=True)
    institution_type = models.CharField(
        _("institution type"), max_length=32, choices=InstitutionType.choices
    )
    description = PlainTextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = PlainCharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = PlainCharField(_("contact phone"), max_length=40, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Set by the programme office: every member then signs in with a one-time code from an
    # authenticator app as well as the password (matchmaker/accounts/two_factor.py).
    two_factor_required = models.BooleanField(
        _("two-factor sign-in required"),
        default=False,
        help_text=_("Members must enter a code from an authenticator app after the password."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution_type__in=InstitutionType.values),
                name="institution_type_known",
            )
        ]

    def __str__(self) -> str:
        return self.name


class InstitutionMember(FastChoiceDisplay, models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="institution_membership"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("institution member")
        verbose_name_plural = _("institution members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution}"


class OfferingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class OfferingQuerySet(models.QuerySet):
    def live(self, today=None) -> "OfferingQuerySet":
        """Active offerings of verified institutions, inside their window, with capacity."""
        today = today or timezone.localdate()
        return self.filter(
            status=OfferingStatus.ACTIVE,
            institution__verified=True,
            capacity_left__gte=F("ticket_min"),
        ).filter(
            Q(active_from__isnull=True) | Q(active_from__lte=today),
            Q(active_until__isnull=True) | Q(active_until__gte=today),
        )


# What an institution edits on its offering (forms, API and services share this list;
# the weights are edited per criterion but stored as one mapping).
OFFERING_EDITABLE_FIELDS = (
    "name",
    "description",
    "instrument",
    "product_type",
    "ticket_min",
    "ticket_max",
    "capacity_total",
    "capacity_left",
    "max_tenor_months",
    "segments",
    "stages",
    "trl_min",
    "trl_max",
    "preferred_stage",
    "preferred_trl",
    "preferred_ticket",
    "min_flight_record",
    "min_revenue_status",
    "round_role",
    "risk_appetite",
    "exposures_covered",
    "line_share",
    "regions",
    "presence",
    "content",
    "countries",
    "content_countries",
    "home_content",
    "collateral_required",
    "pricing_note",
    "active_from",
    "active_until",
    "weights",
)


class Offering(FastChoiceDisplay, models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="offerings")
    name = PlainCharField(_("name"), max_length=200)
    description = PlainTextField(_("description"), blank=True)
    instrument = models.CharField(_("instrument"), max_length=16, choices=Instrument.choices)
    product_type = models.CharField(
        _("product type"), max_length=32, choices=ProductType.choices, blank=True
    )
    ticket_min = models.BigIntegerField(
        _("smallest ticket (RMB)"), validators=[MinValueValidator(1)]
    )
    ticket_max = models.BigIntegerField(
        _("largest ticket (RMB)"), validators=[MinValueValidator(1)]
    )
    capacity_total = models.BigIntegerField(
        _("total capacity (RMB)"), validators=[MinValueValidator(1)]
    )
    capacity_left = models.BigIntegerField(
        _("capacity left (RMB)"), validators=[MinValueValidator(0)]
    )
    max_tenor_months = models.PositiveIntegerField(
        _("longest tenor or horizon (months)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    segments = code_list_field(
        Segment, _("segments targeted"), help_text=_("Leave empty to accept every segment.")
    )
    stages = code_list_field(
        Stage, _("stages targeted"), help_text=_("Leave empty to accept every stage.")
    )
    trl_min = models.PositiveSmallIntegerField(
        _("lowest TRL"), default=1, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    trl_max = models.PositiveSmallIntegerField(
        _("highest TRL"), default=9, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    risk_appetite = models.CharField(
        _("risk appetite"), max_length=8, choices=RiskAppetite.choices, default=RiskAppetite.MEDIUM
    )
    exposures_covered = code_list_field(
        Exposure, _("exposures covered"), help_text=_("For insurance: the risks this cover takes.")
    )
    regions = code_list_field(
        Region, _("regions eligible"), help_text=_("Leave empty to serve every region.")
    )
    collateral_required = code_list_field(
        Collateral,
        _("collateral accepted"),
        help_text=_("Leave empty when no collateral is required."),
    )
    preferred_stage = models.CharField(
        _("preferred stage"),
        max_length=32,
        choices=Stage.choices,
        blank=True,
        help_text=_("The sweet spot: projects nearer to it rank higher. Optional."),
    )
    preferred_trl = models.PositiveSmallIntegerField(
        _("preferred TRL"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("Optional; within the TRL range."),
    )
    preferred_ticket = models.BigIntegerField(
        _("preferred ticket (RMB)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Optional; between the smallest and the largest ticket."),
    )
    min_revenue_status = models.CharField(
        _("revenue required"),
        max_length=16,
        choices=RevenueStatus.choices,
        default=RevenueStatus.PRE_REVENUE,
        help_text=_("“Pre-revenue” asks for nothing."),
    )
    min_flight_record = models.CharField(
        _("flight record required"),
        max_length=16,
        choices=FlightRecord.choices,
        default=FlightRecord.NOT_FLOWN,
        help_text=_("“Nothing flown yet” asks for nothing."),
    )
    round_role = models.CharField(
        _("role in equity rounds"),
        max_length=16,
        choices=OfferingRole.choices,
        default=OfferingRole.FLEXIBLE,
    )
    presence = code_list_field(
        Province,
        _("local presence required"),
        help_text=_(
            "The firm must be registered, or the project's work happen, in one of these. "
            "Leave empty to ask for none."
        ),
    )
    # #25: export credit finances the exporter's national content, wherever the buyer is.
    content = code_list_field(
        Province,
        _("national content: where the financed work must happen"),
        help_text=_(
            "Export credit: the satellite or launch must be built in one of these, whoever "
            "buys it. Unlike local presence, the firm's registration does not count. Leave "
            "empty to ask for none."
        ),
    )
    line_share = models.PositiveSmallIntegerField(
        _("line: share of one risk taken (%)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Risk cover: insurers share a large risk in a panel, each taking a line."),
    )
    # #25: state lenders abroad lend to their own country's firms (the EIB to the EU's
    # members); export-credit agencies finance their own country's exporters.
    countries = code_list_field(
        Country,
        _("countries whose firms it finances"),
        help_text=_(
            "A state lender's or investor's country mandate: the firm must be registered "
            "in one of these. Chinese firms count as China. A firm that has not given its "
            "country is not excluded. Leave empty to ask for none."
        ),
    )
    content_countries = code_list_field(
        Country,
        _("national content: countries where the financed work must happen"),
        help_text=_(
            "Export credit abroad: what is financed must be built in one of "
            "these and bought by a firm registered in another country (an export). A "
            "project that has not given the country is not excluded. Leave empty to ask "
            "for none."
        ),
    )
    # #25: a state lender lends against domestic jobs and spending: what it finances is
    # built at home, not bought abroad (the EIB: projects in the EU)
    home_content = models.BooleanField(
        _("lends for work at home"),
        default=False,
        help_text=_(
            "With a country mandate: the financed work must happen in one of its countries "
            "too, not only the firm's registration (a state lender lending against domestic "
            "jobs and spending). A project that has not given where the work happens is not "
            "excluded. Off by default."
        ),
    )
    pricing_note = PlainCharField(_("pricing indication"), max_length=200, blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OfferingStatus.choices, default=OfferingStatus.ACTIVE
    )
    weights = models.JSONField(
        _("criterion weights"),
        default=dict,
        blank=True,
        validators=[WeightsValidator()],
        help_text=_("Optional: this offering's own weight per criterion, overriding the defaults."),
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        indexes = [
            models.Index(fields=["status", "instrument"]),
            # The latest change is read before every score (is the offerings' cache still
            # good?): with this index in microseconds, not a scan of every offering.
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket_min__gt=0), name="offering_ticket_min_positive"
            ),
            models.CheckConstraint(
                condition=Q(ticket_min__lte=F("ticket_max")), name="offering_ticket_min_le_max"
            ),
            models.CheckConstraint(
                condition=Q(capacity_total__gt=0), name="offering_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(capacity_left__gte=0, capacity_left__lte=F("capacity_total")),
                name="offering_capacity_left_in_range",
            ),
            models.CheckConstraint(
                condition=Q(trl_min__gte=1, trl_max__lte=9, trl_min__lte=F("trl_max")),
                name="offering_trl_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_from__lte=F("active_until")),
                name="offering_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(instrument__in=Instrument.values), name="offering_instrument_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OfferingStatus.values), name="offering_status_known"
            ),
            models.CheckConstraint(
                condition=Q(preferred_trl__isnull=True)
                | Q(preferred_trl__gte=F("trl_min"), preferred_trl__lte=F("trl_max")),
                name="offering_preferred_trl_in_range",
            ),
            models.CheckConstraint(
                condition=Q(preferred_ticket__isnull=True)
                | Q(preferred_ticket__gte=F("ticket_min"), preferred_ticket__lte=F("ticket_max")),
                name="offering_preferred_ticket_in_range",
            ),
            models.CheckConstraint(
                condition=Q(line_share__gte=1, line_share__lte=100)
                & (Q(instrument=Instrument.RISK_COVER) | Q(line_share=100)),
                name="offering_line_share_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.status == OfferingStatus.CLOSED

    @property
    def segment_labels(self) -> list[str]:
        return labels(Segment, self.segments)

    @property
    def stage_labels(self) -> list[str]:
        return labels(Stage, self.stages)

    @property
    def exposure_labels(self) -> list[str]:
        return labels(Exposure, self.exposures_covered)

    @property
    def region_labels(self) -> list[str]:
        return labels(Region, self.regions)

    @property
    def collateral_labels(self) -> list[str]:
        return labels(Collateral, self.collateral_required)
