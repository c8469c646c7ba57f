from django.apps import AppConfig


class OffenderManagementConfig(AppConfig):
    name = "offender_management"
