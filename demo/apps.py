from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo's own tables: whether this database holds demonstration data, and each record's source."""

    name = "demo"
    label = "demo"
    verbose_name = "Demonstration data"
    default_auto_field = "django.db.models.BigAutoField"
