from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class RemindersConfig(AppConfig):
    name = "reminders"
    label = "reminders"

    def ready(self) -> None:
        # Each app registers the kinds of reminder it owns in its sweeps.py (reminders.sweeps.register_sweep).
        autodiscover_modules("sweeps")
