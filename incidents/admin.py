from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Incident


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ("source_reference", "occurred_at", "offence_category", "area", "perpetrator")
    list_filter = ("offence_category", "is_crime", "area")
    search_fields = ("source_reference",)
    list_select_related = ("area__agency", "perpetrator__person")
    raw_id_fields = ("perpetrator", "victims", "children_present")
    readonly_fields = ("public_id",)
    date_hierarchy = "occurred_at"
