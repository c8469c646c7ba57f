"""Operations and their cadences are settings, edited here. Cases, their holders, their victims' and
children's links and their chronology are not in the admin: they change through the app's own pages
and services (oversight reallocation for holders), which check the rules and write the log, and an
administrator sees no case (docs/permissions.md)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CadenceRule, Operation


class CadenceRuleInline(admin.TabularInline):
    model = CadenceRule
    extra = 0


@admin.register(Operation)
class OperationAdmin(SimpleHistoryAdmin):
    inlines = [CadenceRuleInline]
    list_display = ("name", "lead_agency", "starts_on", "ends_on", "is_active")
    list_filter = ("is_active", "lead_agency")
    search_fields = ("name",)
    readonly_fields = ("public_id",)
