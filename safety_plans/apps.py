from django.apps import AppConfig


class SafetyPlansConfig(AppConfig):
    name = "safety_plans"
