from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dacrre.accounts"
    label = "accounts"
