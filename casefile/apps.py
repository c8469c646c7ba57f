from django.apps import AppConfig


class CasefileConfig(AppConfig):
    name = "casefile"
