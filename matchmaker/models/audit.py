"""The audit trail of the writes that have no history of their own: who verified an
organisation, signed up, saved or deleted a view, was issued an API token, changed the
default or learned weights or a webhook endpoint, wrote a project, a document or an
offering, and when. Each row is
written by its service inside the service's transaction (`matchmaker/audit.py`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matchmaker.models.append_only import AppendOnlyModel
from matchmaker.vocabulary import FastChoiceDisplay


class AuditAction(models.TextChoices):
    FIRM_VERIFIED = "firm_verified", _("Firm verified")
    INSTITUTION_VERIFIED = "institution_verified", _("Institution verified")
    SAVED_VIEW_SAVED = "saved_view_saved", _("Saved view saved")
    SAVED_VIEW_DELETED = "saved_view_deleted", _("Saved view deleted")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    MEMBER_REGISTERED = "member_registered", _("Member signed up")
    ENGINE_WEIGHTS_SAVED = "engine_weights_saved", _("Default weights saved")
    LEARNED_WEIGHTS_SWITCHED = "learned_weights_switched", _("Learned weights turned on or off")
    ENDPOINT_CREATED = "endpoint_created", _("Webhook endpoint added")
    ENDPOINT_UPDATED = "endpoint_updated", _("Webhook endpoint changed")
    ENDPOINT_PAUSED = "endpoint_paused", _("Webhook endpoint paused")
    ENDPOINT_RESUMED = "endpoint_resumed", _("Webhook endpoint resumed")
    ENDPOINT_SECRET_ROTATED = "endpoint_secret_rotated", _("Webhook signing secret replaced")
    ENDPOINT_DELETED = "endpoint_deleted", _("Webhook endpoint deleted")
    DELIVERY_REPLAYED = "delivery_replayed", _("Webhook delivery sent again")
    NOTIFICATION_PREFERENCE_UPDATED = (
        "notification_prefs_updated",
        _("Notification settings changed"),
    )
    PROJECT_CREATED = "project_created", _("Project created")
    PROJECT_UPDATED = "project_updated", _("Project edited")
    PROJECT_STATUS_CHANGED = "project_status_changed", _("Project status changed")
    DOCUMENT_ADDED = "document_added", _("Document uploaded")
    DOCUMENT_DELETED = "document_deleted", _("Document deleted")
    OFFERING_CREATED = "offering_created", _("Offering created")
    OFFERING_UPDATED = "offering_updated", _("Offering edited")
    OFFERING_STATUS_CHANGED = "offering_status_changed", _("Offering status changed")


class AuditEvent(FastChoiceDisplay, AppendOnlyModel):
    """One write: what (`action`, `target` as "<kind>:<id>", `detail`), who (`by`, empty
    for a system action or a deleted account) and when. Append-only, like the access log."""

    action = models.CharField(max_length=32, choices=AuditAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    target = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.target} by {self.by_id}"
