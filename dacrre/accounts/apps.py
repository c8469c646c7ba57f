from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dacrre.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401 - registers the system check and signal receivers
