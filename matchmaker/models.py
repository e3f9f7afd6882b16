"""The matching domain: matches and their review status, scoring runs, engine settings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from investors.models import Offering
from matchmaker.vocabulary import (
    Criterion,
    FastChoiceDisplay,
    PlainCharField,
    PlainTextField,
    Stage,
    WeightsValidator,
)
from projects.models import Project

# Calibrated on the public deals (`make calibrate`, see the README): stage and ticket
# decide most; segment and geography are screens now, so they weigh little (points every
# eligible pair gets alike only bunch the scores).
DEFAULT_WEIGHTS = {
    Criterion.SEGMENT: 0.3,
    Criterion.STAGE: 2.5,
    Criterion.TRL: 0.3,
    Criterion.TICKET: 2.5,
    Criterion.TENOR: 0.7,
    Criterion.RISK: 0.7,
    Criterion.GEOGRAPHY: 0.1,
    Criterion.COLLATERAL: 1.1,
}


def default_weights() -> dict:
    return {str(name): weight for name, weight in DEFAULT_WEIGHTS.items()}


class EngineSettings(FastChoiceDisplay, models.Model):
    """The programme's defaults, edited by operators; one row."""

    weights = models.JSONField(
        _("default weights"), default=default_weights, validators=[WeightsValidator()]
    )
    top_k = models.PositiveIntegerField(_("matches kept per project and per offering"), default=50)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("engine settings")
        verbose_name_plural = _("engine settings")

    def __str__(self) -> str:
        return str(_("Engine settings"))

    @classmethod
    def current(cls) -> "EngineSettings":
        return cls.objects.get_or_create(pk=1)[0]


class MatchStatus(models.TextChoices):
    NEW = "new", _("New")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    DECLINED = "declined", _("Declined")
    INTRO_REQUESTED = "intro_requested", _("Introduction requested")
    IN_TALKS = "in_talks", _("In talks")
    TERM_SHEET = "term_sheet", _("Term sheet")
    CLOSED_WON = "closed_won", _("Closed (won)")
    CLOSED_LOST = "closed_lost", _("Closed (lost)")


class Match(FastChoiceDisplay, models.Model):
    """A project × offering pair the engine found eligible and worth proposing.

    Rows people have acted on (any status but `new`) are never deleted by re-scoring;
    when the pair stops being eligible they are kept with ``eligible=False``.
    """

    # No index of their own: `one_match_per_pair` leads with the project and the
    # (offering, -score) index with the offering, and every index slows a re-score's writes.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    score = models.FloatField(_("score"))
    components = models.JSONField(_("criterion values"), default=list)
    eligible = models.BooleanField(_("still eligible"), default=True)
    engine_version = models.CharField(max_length=16)
    computed_at = models.DateTimeField(_("computed at"))
    status = models.CharField(
        _("review status"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.NEW
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "offering"], name="one_match_per_pair"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="match_score_0_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MatchStatus.values), name="match_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["offering", "-score"]),
            models.Index(fields=["project", "-score"]),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} × {self.offering_id}: {self.score:.0f}"

    @property
    def acted_on(self) -> bool:
        """Someone reviewed it (any status but new); re-scoring never deletes such rows."""
        return self.status != MatchStatus.NEW


class ScoringRun(FastChoiceDisplay, models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("Full re-score")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FULL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    pairs_scored = models.BigIntegerField(_("pairs scored"), default=0)
    matches_written = models.BigIntegerField(_("matches written"), default=0)
    error = models.TextField(blank=True)
    finish_claimed_at = models.DateTimeField(null=True, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("scoring run")
        verbose_name_plural = _("scoring runs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def progress(self) -> int:
        """Percent of chunks done, for the progress bar."""
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.chunks_done / self.chunks_total) if self.chunks_total else 0


class ChunkKind(models.TextChoices):
    PROJECTS = "projects", _("Projects' best matches")
    OFFERINGS = "offerings", _("Offerings' best matches")


class ScoringChunk(FastChoiceDisplay, models.Model):
    """One slice of a full re-score. The run's own rows say what is done, so a chunk
    whose worker died is sent again by the sweeper, and the run finishes exactly once,
    whatever the broker does with messages a dead worker held.

    Most chunks score some projects against every offering (each project's best K).
    One scores every project for each offering's best K: it needs nothing from the
    others, so it runs beside them rather than after them."""

    Kind = ChunkKind

    run = models.ForeignKey(ScoringRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=ChunkKind.choices, default=ChunkKind.PROJECTS)
    project_ids = models.JSONField(default=list)
    attempts = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="one_chunk_per_index"),
            models.CheckConstraint(
                condition=Q(kind__in=ChunkKind.values), name="scoring_chunk_kind_known"
            ),
        ]
        indexes = [models.Index(fields=["run", "done_at"])]

    def __str__(self) -> str:
        return f"Chunk {self.index} of run {self.run_id}"


class PendingScoring(FastChoiceDisplay, models.Model):
    """Outbox: written in the same transaction as the change, removed once scored.

    If the broker is down when a project is submitted, this row survives and the sweeper
    enqueues the scoring later; nothing a firm submits is lost.
    """

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project")
        OFFERING = "offering", _("Offering")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    requested_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_pending_per_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class DeclineReason(models.TextChoices):
    TICKET_TOO_SMALL = "ticket_too_small", _("Ticket too small")
    TICKET_TOO_LARGE = "ticket_too_large", _("Ticket too large")
    STAGE_TOO_EARLY = "stage_too_early", _("Stage too early")
    OUTSIDE_THESIS = "outside_thesis", _("Outside our thesis")
    RISK_TOO_HIGH = "risk_too_high", _("Risk too high")
    TENOR_MISMATCH = "tenor_mismatch", _("Tenor mismatch")
    OTHER = "other", _("Other")


class MatchEvent(FastChoiceDisplay, models.Model):
    """Every move of a match's review status: the pipeline's history and the undo log."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=MatchStatus.choices)
    to_status = models.CharField(max_length=20, choices=MatchStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=32, choices=DeclineReason.choices, blank=True)
    note = PlainTextField(blank=True)
    undone = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.from_status} → {self.to_status}"


class IntroductionState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Introduction(FastChoiceDisplay, models.Model):
    """Double opt-in: the institution asks, the firm answers; contacts show only on accept."""

    class Side(models.TextChoices):
        FIRM = "firm", _("The firm")
        INSTITUTION = "institution", _("The institution")

    match = models.OneToOneField(Match, on_delete=models.CASCADE, related_name="introduction")
    initiated_by = models.CharField(max_length=16, choices=Side.choices, default=Side.INSTITUTION)
    message = PlainTextField(_("message"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        max_length=16, choices=IntroductionState.choices, default=IntroductionState.REQUESTED
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=IntroductionState.REQUESTED)
                | Q(state=IntroductionState.WITHDRAWN)
                | Q(answered_at__isnull=False),
                name="answered_introduction_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"Introduction {self.match_id} ({self.state})"

    @property
    def accepted(self) -> bool:
        return self.state == IntroductionState.ACCEPTED

    @property
    def awaiting_answer(self) -> bool:
        return self.state == IntroductionState.REQUESTED


class NotificationKind(models.TextChoices):
    INTRO_REQUESTED = "intro_requested", _("Introduction requested")
    INTRO_ASKED_BY_FIRM = "intro_asked_by_firm", _("A firm asks for an introduction")
    INTRO_ACCEPTED = "intro_accepted", _("Introduction accepted")
    INTRO_REFUSED = "intro_refused", _("Introduction refused")
    DIGEST = "digest", _("Daily digest")
    VERIFIED = "verified", _("Organisation verified")
    NEW_MATCHES = "new_matches", _("New matches")
    SHORTLISTED = "shortlisted", _("Project shortlisted")
    WEBHOOK_PAUSED = "webhook_paused", _("Webhook paused")


class Notification(FastChoiceDisplay, models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_once"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class NotificationPreference(FastChoiceDisplay, models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(_("send me e-mails"), default=True)
    digest_min_score = models.PositiveSmallIntegerField(
        _("daily digest: new matches scoring at least"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Preferences of {self.user}"

    @classmethod
    def of(cls, user) -> "NotificationPreference":
        return cls.objects.get_or_create(user=user)[0]


class AccessLog(FastChoiceDisplay, models.Model):
    """Who at an institution looked at a project's confidential part or downloaded a file."""

    class Kind(models.TextChoices):
        VIEW = "view", _("Viewed the project")
        DOWNLOAD = "download", _("Downloaded a document")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    institution = models.ForeignKey(
        "investors.Institution", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="access_log")
    document = models.ForeignKey(
        "projects.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.project_id}"


class Package(FastChoiceDisplay, models.Model):
    """A suggested capital stack for a project: several matches that together cover it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="packages")
    rank = models.PositiveSmallIntegerField()
    coverage = models.JSONField(default=dict)  # instrument → fraction covered
    uncovered = models.JSONField(default=dict)  # instrument → RMB still missing
    score = models.FloatField()
    exact = models.BooleanField(default=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["project", "rank"], name="one_package_per_rank")
        ]

    def __str__(self) -> str:
        return f"Package {self.rank} of {self.project_id}"

    @property
    def mean_coverage(self) -> float:
        values = list(self.coverage.values())
        return sum(values) / len(values) if values else 0.0


class PackageMember(FastChoiceDisplay, models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="members")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="package_memberships")
    instrument = models.CharField(max_length=16)
    amount = models.BigIntegerField()
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["instrument", "-amount"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="package_amount_positive"),
            models.UniqueConstraint(fields=["package", "match"], name="one_membership_per_match"),
        ]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.amount}"


class Profile(FastChoiceDisplay, models.Model):
    """What a person chose for themselves: the language pages, e-mails and notifications
    reach them in (empty: the browser's, or the deployment's default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, blank=True, default=""
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class SavedView(FastChoiceDisplay, models.Model):
    """A filter of the match list a person named to come back to ("Launch, TRL 7+")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = PlainCharField(_("name"), max_length=60)
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="one_saved_view_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class SuggestionKind(models.TextChoices):
    REQUIRE_TRL = "require_trl", _("Require a higher TRL")
    RAISE_TICKET_MIN = "raise_ticket_min", _("Raise the smallest ticket")
    REQUIRE_FLIGHT_RECORD = "require_flight_record", _("Prefer flight heritage")


class SuggestionAnswer(FastChoiceDisplay, models.Model):
    """What an institution answered to a suggestion drawn from its own decisions: once
    accepted or dismissed, the same suggestion is not offered again."""

    class State(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    offering = models.ForeignKey(
        "investors.Offering", on_delete=models.CASCADE, related_name="suggestion_answers"
    )
    kind = models.CharField(max_length=24, choices=SuggestionKind.choices)
    value = models.BigIntegerField()
    state = models.CharField(max_length=12, choices=State.choices)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "kind", "value"], name="one_answer_per_suggestion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}: {self.state}"


class LearnedWeights(FastChoiceDisplay, models.Model):
    """What an offering's own decisions taught the engine: a bounded multiplier per
    criterion, applied on top of its weights, and the TRL and stage its shortlists centre
    on, while `active` (the institution may turn it off). Only this offering's scores use
    it."""

    offering = models.OneToOneField(
        "investors.Offering", on_delete=models.CASCADE, related_name="learned_weights"
    )
    multipliers = models.JSONField(default=dict)  # criterion code → multiplier
    # Where its shortlists centre, used as the sweet spot when the offering names none.
    preferred_trl = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    preferred_stage = models.CharField(max_length=32, choices=Stage.choices, blank=True)
    decisions = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Learned weights of offering {self.offering_id}"
