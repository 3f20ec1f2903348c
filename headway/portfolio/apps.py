from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "headway.portfolio"
    verbose_name = "Portfolio"
