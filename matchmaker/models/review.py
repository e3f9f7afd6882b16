"""The review of a match by people: its history, introductions, the access log, saved views."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchmaker.models.append_only import AppendOnlyModel
from matchmaker.models.matching import Match, MatchStatus
from matchmaker.vocabulary import FastChoiceDisplay, PlainCharField, PlainTextField
from projects.models import Project


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
    # Asked with a whole package: the message is the platform's own sentence, shown in
    # the reader's language (`shown_message`); `message` keeps the asker's wording.
    about_package = models.BooleanField(default=False)
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

    @property
    def shown_message(self) -> str:
        """The message as the reader reads it: a package request in their language."""
        if not self.about_package:
            return self.message
        return str(PACKAGE_REQUEST_MESSAGE) % {
            "firm": self.match.project.firm.name,
            "project": self.match.project.title,
        }


PACKAGE_REQUEST_MESSAGE = _(
    "%(firm)s would like to discuss “%(project)s” as part of a financing package."
)


class AccessLog(FastChoiceDisplay, AppendOnlyModel):
    """Who at an institution looked at a firm's confidential part (a project, a deal room)
    or downloaded a file. Append-only: saving an existing row, deleting one, and bulk
    updates or deletes are refused (the admin shows it read-only); `item_name` keeps what
    was opened even if the file is later deleted."""

    class Kind(models.TextChoices):
        VIEW = "view", _("Viewed the project")
        DOWNLOAD = "download", _("Downloaded a document")
        ROOM_VIEW = "room_view", _("Opened the deal room")
        ROOM_DOWNLOAD = "room_download", _("Downloaded from the deal room")

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
    room = models.ForeignKey(
        "dealroom.DealRoom", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item_name = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at", "-id"], name="access_log_newest_first")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.project_id}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.document_id and not self.item_name:
            self.item_name = self.document.original_name
        super().save(*args, **kwargs)  # refused for an existing row (append-only)

    @property
    def what(self) -> str:
        """What was opened, in words: the file's name, or the project's title."""
        return self.item_name or (self.document.original_name if self.document else "")


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
