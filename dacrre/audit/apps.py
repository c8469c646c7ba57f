from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dacrre.audit"
    label = "audit"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the sign-in events to the access log
