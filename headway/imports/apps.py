from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "headway.imports"
    verbose_name = "Imports"
