from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "headway.accounts"
    verbose_name = "Organisations and people"
