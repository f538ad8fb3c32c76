from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.forms import TextInput


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
