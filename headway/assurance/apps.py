from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "headway.assurance"
    verbose_name = "Board assurance"
