from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles(sender: AppConfig, **kwargs: object) -> None:
    from django.contrib.auth.management import create_permissions

    from .roles import roles_sync

    # Apps later in INSTALLED_APPS get their permissions after this signal; create them all first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    roles_sync()


class AccountsConfig(AppConfig):
    name = "dacrre.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401 - registers the system check and signal receivers

        # Role groups follow ROLE_PERMISSIONS after every migrate.
        post_migrate.connect(_sync_roles, sender=self)
