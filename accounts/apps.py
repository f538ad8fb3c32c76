from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People who sign in: the user model, sign-in (password, two-step, single sign-on) and the account page.

    The label stays "send_tracker", the app these tables, content types, permissions, migrations and
    AUTH_USER_MODEL ("send_tracker.User") were first made under, so moving the code needed no data migration.
    """

    name = "accounts"
    label = "send_tracker"
    verbose_name = "People and roles"

    def ready(self) -> None:
        # Connects the second step's sign-in receiver.
        from accounts import mfa  # noqa: F401
