from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Person


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("family_name", "given_name", "date_of_birth", "police_identifier")
    search_fields = ("family_name", "given_name", "police_identifier")
    readonly_fields = ("public_id", "created_at", "updated_at")
