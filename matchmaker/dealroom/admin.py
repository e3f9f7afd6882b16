from django.contrib import admin

from matchmaker.dealroom.models import ChecklistItem, ResponseWindow


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    """The office edits what each kind of financier can ask for, in both languages."""

    list_display = ["title_en", "title_zh", "kind", "position", "active"]
    list_filter = ["kind", "active"]
    list_editable = ["position", "active"]


@admin.register(ResponseWindow)
class ResponseWindowAdmin(admin.ModelAdmin):
    """The programme's response window for introduction requests, in working days."""

    list_display = ["__str__", "working_days", "remind_days_before", "updated_at"]

    def has_add_permission(self, request):
        return not ResponseWindow.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
