from django.apps import AppConfig
from django.db.models.signals import pre_save


class SendTrackerConfig(AppConfig):
    name = "send_tracker"
    verbose_name = "People and roles"

    def ready(self) -> None:
        # Connects the sign-in receiver that starts the absolute session lifetime.
        # Connects the sign-in receiver that asks for the second step, and the free-text cleaner.
        from simple_history.signals import pre_create_historical_record

        from send_tracker import (
            middleware,  # noqa: F401
            text,
        )
        from send_tracker.accounts import mfa  # noqa: F401

        pre_save.connect(text.strip_bidi_before_save, dispatch_uid="strip_bidi_before_save")
        pre_create_historical_record.connect(text.fit_change_reason, dispatch_uid="fit_change_reason")
