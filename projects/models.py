"""Space firms and the long-cycle projects they submit for financing."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import (
    MAX_AMOUNT_RMB,
    SHANGHAI_REGIONS,
    Collateral,
    Country,
    Exposure,
    FastChoiceDisplay,
    FlightRecord,
    Instrument,
    PlainCharField,
    PlainTextField,
    Province,
    Region,
    RevenueStatus,
    RoundRole,
    Segment,
    Stage,
    code_list_field,
    labels,
)

from .rules import FUNDED_UNDO_WINDOW, MAX_FLIGHTS


class Firm(FastChoiceDisplay, models.Model):
    """A space company; its members submit projects. Unverified firms stay invisible."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = PlainCharField(_("name"), max_length=200, unique=True)
    description = PlainTextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = PlainCharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = PlainCharField(_("contact phone"), max_length=40, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("firm")
        verbose_name_plural = _("firms")

    def __str__(self) -> str:
        return self.name


class FirmMember(FastChoiceDisplay, models.Model):
    """Links a user to the one firm they work for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="firm_membership"
    )
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("firm member")
        verbose_name_plural = _("firm members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.firm}"


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FUNDED = "funded", _("Funded")


class ProjectQuerySet(models.QuerySet):
    def submitted(self) -> "ProjectQuerySet":
        """Submitted projects of verified firms: what the engine may match."""
        return self.filter(status=ProjectStatus.SUBMITTED, firm__verified=True)


# What a firm edits on its project directly (needs and milestones are lists of their own);
# the wizard's steps, the API and the services share this list.
PROJECT_EDITABLE_FIELDS = (
    "title",
    "summary",
    "segment",
    "stage",
    "trl",
    "flight_record",
    "successful_flights",
    "revenue_status",
    "last_year_revenue",
    "months_to_revenue",
    "months_to_break_even",
    "exposures",
    "collateral",
    "province",
    "city",
    "region",
    "registered_province",
    "country",
    "registered_country",
    "prior_funding",
    "round_role",
)
RISK_FIELDS = ("exposures", "collateral")  # the wizard asks for these with the milestones


SUMMARY_MAX_LENGTH = 5000  # about two pages: the pitch deck carries the rest


class Project(FastChoiceDisplay, models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="projects")
    title = PlainCharField(_("title"), max_length=200)
    summary = PlainTextField(_("summary"), blank=True, max_length=SUMMARY_MAX_LENGTH)
    segment = models.CharField(_("segment"), max_length=32, choices=Segment.choices)
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("1 = basic principles observed … 9 = proven in operation (ISO 16290)."),
    )
    months_to_revenue = models.PositiveIntegerField(
        _("months to first revenue"), default=0, validators=[MaxValueValidator(600)]
    )
    months_to_break_even = models.PositiveIntegerField(
        _("months to break-even"), default=0, validators=[MaxValueValidator(600)]
    )
    exposures = code_list_field(Exposure, _("risk exposures"))
    collateral = code_list_field(Collateral, _("collateral available"))
    city = PlainCharField(_("city"), max_length=80, default="Shanghai")
    region = models.CharField(
        _("district / region"), max_length=32, choices=Region.choices, default=Region.SONGJIANG
    )
    province = models.CharField(
        _("province where the work happens"),
        max_length=16,
        choices=Province.choices,
        default=Province.SHANGHAI,
    )
    registered_province = models.CharField(
        _("province where the firm is registered"),
        max_length=16,
        choices=Province.choices,
        default=Province.SHANGHAI,
    )
    # #25: outside China, the country (ISO 3166-1 alpha-2). Blank: not given (unknown),
    # which state lenders' and export-credit agencies' country mandates let pass.
    country = models.CharField(
        _("country where the work happens"),
        max_length=2,
        choices=Country.choices,
        blank=True,
        default="",
        help_text=_(
            "Outside China only: the country where the work happens or what is financed "
            "is built. Export-credit agencies finance their own country's exporters. Leave "
            "blank if unknown."
        ),
    )
    registered_country = models.CharField(
        _("country where the firm is registered"),
        max_length=2,
        choices=Country.choices,
        blank=True,
        default="",
        help_text=_(
            "Outside China only: the firm's country. State lenders abroad lend to their "
            "own country's firms. Leave blank if unknown."
        ),
    )
    revenue_status = models.CharField(
        _("revenue"),
        max_length=16,
        choices=RevenueStatus.choices,
        default=RevenueStatus.PRE_REVENUE,
    )
    last_year_revenue = models.BigIntegerField(
        _("last year's revenue (RMB)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT_RMB)],
        help_text=_("Leave 0 if you prefer not to say."),
    )
    flight_record = models.CharField(
        _("flight record"),
        max_length=16,
        choices=FlightRecord.choices,
        default=FlightRecord.NOT_FLOWN,
        help_text=_("What has flown, apart from TRL: lenders and insurers look at it first."),
    )
    successful_flights = models.PositiveSmallIntegerField(
        _("successful flights or units in orbit"),
        default=0,
        validators=[MaxValueValidator(MAX_FLIGHTS)],
    )
    # #25: also the loan's part (an arranger, or lenders joining a syndicate); "either"
    # keeps the meaning older clients and pages gave it.
    round_role = models.CharField(
        _("lead or follow-on money sought"),
        max_length=8,
        choices=RoundRole.choices,
        default=RoundRole.EITHER,
        help_text=_(
            "A lead: a lead investor for the round, an arranger for the loan. Follow-on: "
            "money joining a round or loan that already has its lead. Financiers that can "
            "take only a small share of a large need rank as followers."
        ),
    )
    prior_funding = models.BigIntegerField(
        _("prior funding raised (RMB)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT_RMB)],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["status", "segment"]),
            # the match lists' fingerprint reads the last change of any project from it
            models.Index(fields=["updated_at"], name="project_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(trl__gte=1, trl__lte=9), name="project_trl_1_to_9"),
            models.CheckConstraint(
                condition=Q(months_to_break_even__gte=F("months_to_revenue"))
                | Q(months_to_break_even=0),
                name="project_break_even_after_revenue",
            ),
            models.CheckConstraint(
                condition=Q(prior_funding__gte=0), name="project_prior_funding_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProjectStatus.values), name="project_status_known"
            ),
            models.CheckConstraint(
                condition=Q(province=Province.SHANGHAI) & ~Q(region=Region.OTHER_CHINA)
                | ~Q(province=Province.SHANGHAI) & Q(region=Region.OTHER_CHINA),
                name="project_district_matches_province",
            ),
            models.CheckConstraint(
                condition=~Q(revenue_status=RevenueStatus.PRE_REVENUE) | Q(last_year_revenue=0),
                name="project_pre_revenue_has_no_revenue",
            ),
            models.CheckConstraint(
                condition=Q(
                    flight_record__in=[FlightRecord.NOT_FLOWN, FlightRecord.EARLIER_PRODUCTS],
                    successful_flights=0,
                )
                | Q(flight_record=FlightRecord.FIRST_FLIGHT, successful_flights=1)
                | Q(flight_record=FlightRecord.FLIGHT_PROVEN, successful_flights__gte=2),
                name="project_flights_match_record",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def total_need(self) -> int:
        return sum(need.amount for need in self.needs.all())

    @property
    def exposure_labels(self) -> list[str]:
        return labels(Exposure, self.exposures)

    @property
    def collateral_labels(self) -> list[str]:
        return labels(Collateral, self.collateral)

    @property
    def is_editable(self) -> bool:
        return self.status in {ProjectStatus.DRAFT, ProjectStatus.SUBMITTED}

    @property
    def is_draft(self) -> bool:
        return self.status == ProjectStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == ProjectStatus.SUBMITTED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ProjectStatus.WITHDRAWN

    @property
    def is_funded(self) -> bool:
        return self.status == ProjectStatus.FUNDED

    @property
    def awaiting_verification(self) -> bool:
        """Submitted, but nothing is matched until the programme verifies the firm."""
        return self.status == ProjectStatus.SUBMITTED and not self.firm.verified

    @property
    def reopen_until(self):
        """Until when the firm may put the project back up for matching: a withdrawn one
        at any time (None), a funded one within `FUNDED_UNDO_WINDOW` of marking it."""
        return self.updated_at + FUNDED_UNDO_WINDOW if self.is_funded else None

    @property
    def can_reopen(self) -> bool:
        return self.is_withdrawn or (self.is_funded and timezone.now() <= self.reopen_until)

    @property
    def is_outside_shanghai(self) -> bool:
        """Elsewhere in China: the city the firm typed says where."""
        return self.region not in SHANGHAI_REGIONS


class FundingNeed(FastChoiceDisplay, models.Model):
    """How much a project seeks through one instrument; at most one per instrument."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="needs")
    instrument = models.CharField(_("instrument"), max_length=16, choices=Instrument.choices)
    amount = models.BigIntegerField(_("amount (RMB)"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "instrument"], name="one_need_per_instrument"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="need_amount_positive"),
            models.CheckConstraint(
                condition=Q(instrument__in=Instrument.values), name="need_instrument_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()}: {self.amount}"


class Milestone(FastChoiceDisplay, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = PlainCharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("date"))

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_date})"


class DocumentKind(models.TextChoices):
    PITCH_DECK = "pitch_deck", _("Pitch deck")
    TECHNICAL_DOSSIER = "technical_dossier", _("Technical dossier")
    FINANCIALS = "financials", _("Financial statements")
    OTHER = "other", _("Other")


def private_storage():
    return storages["private"]


def document_path(instance: "Document", filename: str) -> str:
    """Random names on disk: the original name is kept in the row, never in the path."""
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Document(FastChoiceDisplay, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, storage=private_storage)
    original_name = PlainCharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
