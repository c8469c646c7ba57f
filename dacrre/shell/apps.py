from django.apps import AppConfig


class ShellConfig(AppConfig):
    """The top floor: what puts the apps together (the navigation, the health checks, the demo data).
    It may import any app; no app imports it."""

    name = "dacrre.shell"
    label = "shell"
