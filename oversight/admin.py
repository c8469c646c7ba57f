from django.contrib import admin

from dacrre.core.admin import ReadOnlyAdmin

from .models import CaseClosureRequest


@admin.register(CaseClosureRequest)
class CaseClosureRequestAdmin(ReadOnlyAdmin):
    list_display = ("case", "requested_by", "requested_at", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("case", "requested_by", "decided_by")
