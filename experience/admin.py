from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SatisfactionThreshold


@admin.register(SatisfactionThreshold)
class SatisfactionThresholdAdmin(SimpleHistoryAdmin):
    """Each force's thresholds (% satisfied below which an aspect is Low); a force without a row
    uses the default for every aspect."""

    list_display = ["agency", "ease_of_contact", "actions_taken", "progress_updates", "treatment_by_staff"]
    list_select_related = ["agency"]
