from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Dashboards and committee papers"

    def ready(self) -> None:
        from reports import shipped_templates

        post_migrate.connect(shipped_templates.ship_after_migrate, sender=self, dispatch_uid="ship_templates")
