from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "headway.assurance"
    verbose_name = "Board assurance"

    def ready(self) -> None:
        # The pitfall findings are stored, derived from every app's data; the apps' actions ask
        # for them to be refreshed through `headway.derived`, which cannot import this app (ADR 26).
        from headway import derived
        from headway.assurance import pitfall_store

        derived.register(pitfall_store.refresh_organisation)
