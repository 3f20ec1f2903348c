from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "headway.portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from headway.portfolio import signals  # noqa: F401  (connects the receivers)
