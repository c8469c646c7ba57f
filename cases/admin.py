from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dacrre.core.admin import ReadOnlyAdmin

from .models import CadenceRule, Case, CaseChild, CaseVictim, ChronologyEntry, Operation


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


class CaseVictimInline(admin.TabularInline):
    model = CaseVictim
    extra = 0
    raw_id_fields = ("victim",)


class CaseChildInline(admin.TabularInline):
    model = CaseChild
    extra = 0
    raw_id_fields = ("child",)


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "perpetrator", "operation", "owning_agency", "area", "status", "risk_level")
    list_filter = ("status", "risk_level", "owning_agency", "operation")
    search_fields = ("reference", "perpetrator__person__family_name")
    list_select_related = ("perpetrator__person", "operation", "owning_agency", "area__agency")
    raw_id_fields = ("perpetrator", "spoc", "offender_manager", "idva")
    readonly_fields = ("public_id", "reference", "status", "closed_at")
    inlines = [CaseVictimInline, CaseChildInline]


@admin.register(ChronologyEntry)
class ChronologyEntryAdmin(ReadOnlyAdmin):
    """Read-only: the chronology is written by services and never edited."""

    list_display = ("case", "kind", "occurred_at", "actor")
    list_filter = ("kind",)
    list_select_related = ("case", "actor")
    search_fields = ("case__reference",)
