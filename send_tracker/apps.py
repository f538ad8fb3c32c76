from django.apps import AppConfig


class SendTrackerConfig(AppConfig):
    name = "send_tracker"
    verbose_name = "People and roles"

    def ready(self) -> None:
        # Connects the sign-in receiver that starts the absolute session lifetime.
        from send_tracker import middleware  # noqa: F401
