from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "headway.transfer"
    verbose_name = "Organisation export and import"
