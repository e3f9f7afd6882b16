from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Institution, InstitutionMember, Offering


class InstitutionMemberInline(admin.TabularInline):
    model = InstitutionMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "institution_type",
        "verified",
        "two_factor_required",
        "verified_at",
        "created_at",
    ]
    list_filter = ["verified", "two_factor_required", "institution_type"]
    list_editable = ["two_factor_required"]
    search_fields = ["name", "contact_email"]
    inlines = [InstitutionMemberInline]
    actions = ["verify"]
    readonly_fields = ["verified_at"]

    @admin.action(description=_("Verify selected institutions"))
    def verify(self, request, queryset):
        count = services.institutions_verify(institutions=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%d institution verified.", "%d institutions verified.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "institution",
        "instrument",
        "ticket_min",
        "ticket_max",
        "capacity_left",
        "status",
    ]
    list_filter = ["status", "instrument", "risk_appetite", "institution__institution_type"]
    search_fields = ["name", "institution__name"]
    list_select_related = ["institution"]
    readonly_fields = ["revision", "created_at", "updated_at"]
