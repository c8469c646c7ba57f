"""The risk bands are a setting, edited here. Assessments describe a victim's situation: they are read
on the case's pages, by those the rules allow, and never in the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RiskBands


@admin.register(RiskBands)
class RiskBandsAdmin(SimpleHistoryAdmin):
    list_display = ("__str__",)
