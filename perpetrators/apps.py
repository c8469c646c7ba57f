from django.apps import AppConfig


class PerpetratorsConfig(AppConfig):
    name = "perpetrators"
