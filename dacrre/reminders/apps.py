from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "dacrre.reminders"
    label = "reminders"
