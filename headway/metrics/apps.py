from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "headway.metrics"
    verbose_name = "Impact metrics"
