from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dacrre.audit"
    label = "audit"
