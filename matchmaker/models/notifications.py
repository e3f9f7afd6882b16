"""What the platform tells a person, and how they want to be told."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import FastChoiceDisplay


class NotificationKind(models.TextChoices):
    INTRO_REQUESTED = "intro_requested", _("Introduction requested")
    INTRO_ASKED_BY_FIRM = "intro_asked_by_firm", _("A firm asks for an introduction")
    INTRO_ACCEPTED = "intro_accepted", _("Introduction accepted")
    INTRO_REFUSED = "intro_refused", _("Introduction refused")
    DIGEST = "digest", _("Daily digest")
    VERIFIED = "verified", _("Organisation verified")
    NEW_MATCHES = "new_matches", _("New matches")
    SHORTLISTED = "shortlisted", _("Project shortlisted")
    INTRO_REMINDER = "intro_reminder", _("Introduction request awaiting your answer")
    ROOM_REQUEST = "room_request", _("Deal room: items requested")
    ROOM_ANSWER = "room_answer", _("Deal room: item answered")
    ROOM_MESSAGE = "room_message", _("Deal room: new message")
    ROOM_DOCUMENT_WITHDRAWN = "room_withdrawn", _("Deal room: document withdrawn")
    MATCH_REVISITED = "match_revisited", _("A declined match is back")
    WEBHOOK_PAUSED = "webhook_paused", _("Webhook paused")


class Notification(FastChoiceDisplay, models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    # What it says, written in the reader's language when shown: a key of
    # `review.notification_texts.MESSAGES` and its parameters. Rows from before have no
    # key and show `text`, the sentence in the language of the day they were written.
    message_key = models.CharField(max_length=40, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
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
