from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "headway.finance"
    verbose_name = "Money and realism"
    default_auto_field = "django.db.models.BigAutoField"
