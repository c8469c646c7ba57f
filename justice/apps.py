from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "justice"
    verbose_name = "Justice outcomes"

    def ready(self) -> None:
        # The incident import reads the outcome columns through this app's hook (incidents.import_hooks).
        # The performance report's justice sections and the figures kept of them (reports' hooks).
        from cases.services import VICTIM_ADDED_HOOKS

        from . import figures, importing  # noqa: F401
        from .services import victim_first_update

        if victim_first_update not in VICTIM_ADDED_HOOKS:
            VICTIM_ADDED_HOOKS.append(victim_first_update)
