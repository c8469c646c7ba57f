from django.apps import AppConfig


class SafetyPlansConfig(AppConfig):
    name = "safety_plans"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - school notifications on a new incident
