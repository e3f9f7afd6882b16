from django.contrib import admin

from matchmaker.audit import audit_record
from matchmaker.models import (
    AccessLog,
    AuditAction,
    AuditEvent,
    EngineSettings,
    Match,
    PendingScoring,
    ScoringRun,
)
from matchmaker.operator.services import rescore_after_commit


@admin.register(EngineSettings)
class EngineSettingsAdmin(admin.ModelAdmin):
    """Changing the default weights re-scores every pair once the change is saved."""

    list_display = ["__str__", "top_k", "updated_at"]

    def has_add_permission(self, request):
        return not EngineSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Inside the admin's transaction: the settings, their audit row, the re-score."""
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditAction.ENGINE_WEIGHTS_SAVED,
            by=request.user,
            target="engine",
            detail={"weights": obj.weights},
        )
        rescore_after_commit(by=request.user)


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["project", "offering", "score", "status", "eligible", "computed_at"]
    list_filter = ["status", "eligible", "offering__instrument"]
    search_fields = ["project__title", "offering__name", "offering__institution__name"]
    list_select_related = ["project", "offering"]
    raw_id_fields = ["project", "offering"]
    readonly_fields = ["score", "components", "engine_version", "computed_at"]


@admin.register(ScoringRun)
class ScoringRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "status",
        "chunks_done",
        "chunks_total",
        "pairs_scored",
        "matches_written",
    ]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False


@admin.register(PendingScoring)
class PendingScoringAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "requested_at"]
    list_filter = ["kind"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """An append-only record's admin: its rows are shown, never added, changed or removed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """The record of who opened what: read-only here, as everywhere (append-only)."""

    list_display = ["at", "kind", "institution", "user", "project", "item_name"]
    list_filter = ["kind"]
    search_fields = ["institution__name", "project__firm__name", "user__username", "item_name"]
    list_select_related = ["institution", "user", "project"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Who verified, saved, deleted or was issued what: read-only (append-only)."""

    list_display = ["at", "action", "by", "target"]
    list_filter = ["action"]
    search_fields = ["by__username", "target"]
    list_select_related = ["by"]
