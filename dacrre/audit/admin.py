from django.contrib import admin

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log cannot be added to, changed or deleted here."""

    list_display = ("occurred_at", "username", "agency_name", "action", "object_label", "case_reference", "ip_address")
    list_filter = ("action", "flagged_for_review")
    search_fields = ("username", "object_label", "case_reference", "person_label")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
