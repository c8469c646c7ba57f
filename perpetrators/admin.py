from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Perpetrator


@admin.register(Perpetrator)
class PerpetratorAdmin(SimpleHistoryAdmin):
    list_display = ("person", "created_at")
    search_fields = ("person__family_name", "person__given_name", "person__police_identifier")
    list_select_related = ("person",)
    raw_id_fields = ("person",)
    readonly_fields = ("public_id",)
