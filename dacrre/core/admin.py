from django.contrib import admin

from .models import ReferenceCounter


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(admin.ModelAdmin):
    list_display = ("prefix", "year", "last_value")
    readonly_fields = ("prefix", "year", "last_value")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
