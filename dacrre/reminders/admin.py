from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("kind", "case", "subject_key", "due_on", "assignee", "status")
    list_filter = ("kind", "status")
    list_select_related = ("case", "assignee")
    raw_id_fields = ("case", "assignee")
    readonly_fields = ("public_id", "created_at")
