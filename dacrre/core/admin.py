from django.contrib import admin
from django.http import HttpRequest

from .models import ReferenceCounter


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by services (logs, chronology, counters): viewable, never edited here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "year", "last_value")
