from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GravityWeight, ScoringSettings


@admin.register(ScoringSettings)
class ScoringSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "weight_recency", "weight_frequency", "weight_gravity", "weight_victims")


@admin.register(GravityWeight)
class GravityWeightAdmin(SimpleHistoryAdmin):
    list_display = ("offence_category", "weight")
