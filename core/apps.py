from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate, pre_save


class CoreConfig(AppConfig):
    """The bottom layer every app uses: roles, text cleaning, the version check, admin rules, tags."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from core import middleware, roles, text  # noqa: F401  (middleware: its sign-in receiver)

        pre_save.connect(text.strip_bidi_before_save, dispatch_uid="strip_bidi_before_save")
        pre_create_historical_record.connect(text.fit_change_reason, dispatch_uid="fit_change_reason")
        # The role groups follow the code after every migrate and every flush (tests' transactional
        # flushes included): sent once per installed app, so it listens for the last app with models.
        last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
        post_migrate.connect(
            roles.sync_groups_after_migrate, sender=last_app, dispatch_uid="sync_role_groups"
        )
