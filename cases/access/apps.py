from django.apps import AppConfig


class PermissionsConfig(AppConfig):
    name = "cases.access"
    label = "permissions"
