from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo's own tables: whether this database holds demonstration data, and each record's source.

    It also gives core's `{% page_banner %}` and `{% source_note %}` their words (core.templatetags.tracker).
    """

    name = "demo"
    label = "demo"
    verbose_name = "Demonstration data"
    default_auto_field = "django.db.models.BigAutoField"

    def page_banner(self) -> str:
        from demo import notes

        return notes.banner()

    def source_note(self, record) -> str:
        from demo import notes

        return notes.source_note(record)
