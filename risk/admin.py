from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dacrre.core.admin import ReadOnlyAdmin

from .models import RiskAssessment, RiskBands


@admin.register(RiskBands)
class RiskBandsAdmin(SimpleHistoryAdmin):
    list_display = ("__str__",)


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("case", "assessed_at", "yes_count", "final_level")
    list_select_related = ("case",)
