from django.contrib import admin

from dacrre.core.admin import ReadOnlyAdmin

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """Read-only: the access log cannot be added to, changed or deleted here."""

    list_display = ("occurred_at", "username", "agency_name", "action", "object_label", "case_reference", "ip_address")
    list_filter = ("action", "flagged_for_review")
    search_fields = ("username", "object_label", "case_reference", "person_label")
    date_hierarchy = "occurred_at"
