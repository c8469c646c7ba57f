from django.apps import AppConfig


class PermissionsConfig(AppConfig):
    name = "dacrre.permissions"
    label = "permissions"
