from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Document, Firm, FirmMember, FundingNeed, Milestone, Project


class FirmMemberInline(admin.TabularInline):
    model = FirmMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Firm)
class FirmAdmin(admin.ModelAdmin):
    list_display = ["name", "verified", "verified_at", "created_at"]
    list_filter = ["verified"]
    search_fields = ["name", "contact_email"]
    inlines = [FirmMemberInline]
    actions = ["verify"]
    readonly_fields = ["verified_at"]

    @admin.action(description=_("Verify selected firms"))
    def verify(self, request, queryset):
        count = services.firms_verify(firms=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%d firm verified.", "%d firms verified.", count) % count,
            messages.SUCCESS,
        )


class FundingNeedInline(admin.TabularInline):
    model = FundingNeed
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["kind", "original_name", "size", "uploaded_at"]
    readonly_fields = fields


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "firm", "segment", "stage", "trl", "status", "revision", "updated_at"]
    list_filter = ["status", "segment", "stage", "region", "firm__verified"]
    search_fields = ["title", "summary", "firm__name"]
    list_select_related = ["firm"]
    inlines = [FundingNeedInline, MilestoneInline, DocumentInline]
    readonly_fields = ["revision", "created_at", "updated_at", "submitted_at"]
