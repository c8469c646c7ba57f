from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Child, ChildConfidential, Victim, VictimConfidential


class VictimConfidentialInline(admin.StackedInline):
    model = VictimConfidential
    extra = 0


class ChildConfidentialInline(admin.StackedInline):
    model = ChildConfidential
    extra = 0


@admin.register(Victim)
class VictimAdmin(SimpleHistoryAdmin):
    list_display = ("person", "created_at")
    search_fields = ("person__family_name", "person__given_name", "person__police_identifier")
    list_select_related = ("person",)
    raw_id_fields = ("person",)
    readonly_fields = ("public_id",)
    inlines = [VictimConfidentialInline]


@admin.register(Child)
class ChildAdmin(SimpleHistoryAdmin):
    list_display = ("person", "created_at")
    search_fields = ("person__family_name", "person__given_name")
    list_select_related = ("person",)
    raw_id_fields = ("person",)
    readonly_fields = ("public_id",)
    inlines = [ChildConfidentialInline]


admin.site.register(VictimConfidential, SimpleHistoryAdmin)
admin.site.register(ChildConfidential, SimpleHistoryAdmin)
