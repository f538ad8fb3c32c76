from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.forms import TextInput


class LoginForm(AuthenticationForm):
    """Django's login form with the username's length checked before it reaches django-axes' log."""

    username = UsernameField(
        max_length=150, widget=TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
