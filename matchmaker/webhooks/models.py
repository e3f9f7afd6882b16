"""Endpoints an organisation registers, the events it was sent and every attempt made.

An endpoint belongs to exactly one firm or one institution (a database constraint says
so); deleting the organisation deletes its endpoints and their log.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import FastChoiceDisplay, PlainCharField
from matchmaker.webhooks.registry import event_label

ONE_OWNER = (Q(firm__isnull=False) & Q(institution__isnull=True)) | (
    Q(firm__isnull=True) & Q(institution__isnull=False)
)


class EndpointStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")


class Endpoint(FastChoiceDisplay, models.Model):
    """Where an organisation's system listens, and which events it wants.

    The secret signs every delivery; it is shown once, when the endpoint is created or the
    secret rotated, and never again (the platform keeps it only to sign)."""

    firm = models.ForeignKey(
        "projects.Firm", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        "investors.Institution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(_("address"), max_length=500)
    description = PlainCharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=EndpointStatus.choices, default=EndpointStatus.ACTIVE
    )
    paused_reason = models.CharField(max_length=300, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        constraints = [
            models.CheckConstraint(condition=ONE_OWNER, name="webhook_endpoint_one_owner"),
            models.CheckConstraint(
                condition=Q(status__in=EndpointStatus.values), name="webhook_endpoint_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def owner(self):
        return self.firm or self.institution

    @property
    def active(self) -> bool:
        return self.status == EndpointStatus.ACTIVE

    @property
    def event_labels(self) -> list[str]:
        return [event_label(code) for code in self.events]


class Event(models.Model):
    """Something that happened, as one organisation may see it. Its id is what receivers
    deduplicate on: a retried or replayed delivery carries the same id and body."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=64)
    firm = models.ForeignKey(
        "projects.Firm", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        "investors.Institution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=ONE_OWNER, name="webhook_event_one_owner")]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"

    @property
    def label(self) -> str:
        return event_label(self.type)


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Gave up")


class Delivery(FastChoiceDisplay, models.Model):
    """One event to one endpoint: retried with exponential backoff until the receiver
    answers 2xx or the attempts run out; replayable by the organisation."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(
        _("state"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint"),
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="webhook_delivery_state_known"
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id} ({self.state})"


class DeliveryAttempt(models.Model):
    """One try, kept for the organisation's delivery log (append-only)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at}: {self.status_code or self.error}"
