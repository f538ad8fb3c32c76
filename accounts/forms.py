from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
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


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or (when `recovery` is allowed) a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )

    def __init__(self, *args, recovery: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = (
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
            if recovery
            else "The 6-digit code your authenticator app shows now."
        )
        self.fields["code"].error_messages["required"] = "Enter the code"

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()

    @property
    def is_app_code(self) -> bool:
        code = self.cleaned_data.get("code", "")
        return len(code) == 6 and code.isdigit()


# Django's own hint is an HTML list, which cannot sit in the field's hint paragraph.
PASSWORD_HINT = (
    "At least 12 characters. Not a common password, not only numbers, and not like your name or username."
)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HINT


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HINT
