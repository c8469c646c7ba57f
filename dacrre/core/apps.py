from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dacrre.core"
    label = "core"
