from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "headway.accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        # Connects the sign-in signal that starts a session's idle and absolute clocks.
        from headway.accounts import sessions  # noqa: F401
