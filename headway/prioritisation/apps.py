from django.apps import AppConfig


class PrioritisationConfig(AppConfig):
    name = "headway.prioritisation"
    verbose_name = "Prioritisation"
