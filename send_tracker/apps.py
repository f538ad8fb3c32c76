from django.apps import AppConfig


class SendTrackerConfig(AppConfig):
    name = "send_tracker"
    verbose_name = "People and roles"

    def ready(self) -> None:
        # Connects the sign-in receivers: the absolute session lifetime, and the second step.
        from send_tracker import middleware  # noqa: F401
        from send_tracker.accounts import mfa  # noqa: F401
