from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError
from django.forms import TextInput

from core import roles


class LoginForm(AuthenticationForm):
    """Django's login form with the username's length checked before it reaches django-axes' log."""

    username = UsernameField(
        max_length=150, widget=TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The username or password is not right. Check both and try again: the password must match "
            "its capital and small letters."
        ),
        "inactive": "This account cannot sign in. Ask your administrator to turn it back on.",
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        # With single sign-on on, PASSWORD_SIGN_IN=0 keeps passwords for the break-glass administrators only.
        if settings.PASSWORD_SIGN_IN:
            return
        listed = user.username in settings.PASSWORD_SIGN_IN_BREAK_GLASS
        if not (listed and roles.role_of(user) == roles.ADMINISTRATOR):
            raise ValidationError(
                "Sign in with your organisation's account: password sign-in is for emergencies only.",
                code="password_sign_in_off",
            )
