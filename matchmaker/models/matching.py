"""The matching domain: matches and their review status, scoring runs, engine settings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from investors.models import Offering
from matchmaker.vocabulary import (
    Criterion,
    FastChoiceDisplay,
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
    # list's index with the offering, and every index slows a re-score's writes.
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
    computed_at = models.DateTimeField(
        _("computed at"),
        help_text=_(
            "When the engine arrived at the score, criteria and eligibility shown. A "
            "re-score that arrives at the same ones leaves it as it was."
        ),
    )
    # The last re-score that wrote the row (`matching.scoring.upsert_matches`): what the
    # re-score of a project or an offering retires by, and what stops an older run's
    # write from replacing a fresher one. Apart from `computed_at`, which the lists'
    # fingerprints read (`review.selectors.match_list_versions`), so that such a re-score
    # which changes no score leaves them, and every list cached under them, as they were.
    # A full re-score does not write a row that comes out the same at all (`KeptPair`).
    kept_at = models.DateTimeField(default=timezone.now, editable=False)
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
            # An institution's match list reads only this index for its filters, order,
            # count and fingerprint (`review.selectors`), and the decline suggestions
            # seek their statuses in it; the row itself is read only for the page shown.
            # It replaced an (offering, -score) index. The id is last for PostgreSQL,
            # whose index entries do not hold it otherwise (SQLite's all do); `eligible`
            # is there for the list page's cards, written from its table (`list_table`).
            models.Index(
                fields=[
                    "offering",
                    "status",
                    "-score",
                    "project",
                    "computed_at",
                    "status_changed_at",
                    "eligible",
                    "id",
                ],
                name="match_offering_list_idx",
            ),
            models.Index(fields=["project", "-score"]),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} × {self.offering_id}: {self.score:.0f}"

    @property
    def acted_on(self) -> bool:
        """Someone reviewed it (any status but new); re-scoring never deletes such rows."""
        return self.status != MatchStatus.NEW


class KeptPair(models.Model):
    """A pair a running full re-score arrived at and kept without writing its match: what
    its finishing step must not retire (`matching.scoring.retire_untouched_in_batches`),
    beside the matches it wrote, which carry its stamp. The run writes a match only where
    its score, criteria or eligibility changed, so most nights it writes none: the lists'
    fingerprints and caches stay as they were, and PostgreSQL's pages stay visible to the
    lists' index-only scans (#26). Emptied as the run finishes; rows of a run that never
    finished go with the next one's."""

    stamp = models.DateTimeField()  # the run's, as the `kept_at` of the matches it wrote
    project_id = models.BigIntegerField()
    offering_id = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["project_id", "offering_id", "stamp"], name="kept_pair_idx")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} × {self.offering_id} kept at {self.stamp:%Y-%m-%d %H:%M}"


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
    # How many times a worker started it (a send that never started is no attempt).
    attempts = models.PositiveSmallIntegerField(default=0)
    # When its message was last published; cleared never, only moved on a re-send.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker that claims it, cleared when it is sent again. While it runs, the
    # worker stamps `heartbeat_at` every few seconds: a silent one has lost its worker.
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
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
    # When its task was published (None: publishing failed, the sweeper sends it) and
    # when a worker started it. Sent and not started means a message is waiting: the
    # sweeper leaves it alone rather than queue a copy behind it.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scoring waiting to run")
        verbose_name_plural = _("scorings waiting to run")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_pending_per_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
