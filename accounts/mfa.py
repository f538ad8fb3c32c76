"""Two-step verification: who must use it, the session flag that asks for it, and the middleware that holds
a signed-in user at the verify (or set-up) page until they have given a code.

A user signs in with a password; if they have an authenticator app, or their role is in MFA_REQUIRED_ROLES,
every page (the admin included) sends them to give a code, or to set the app up, first.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import ADMINISTRATOR

# "verify" or "setup": what the signed-in user still has to do before any other page.
PENDING = "_second_factor_pending"
RECOVERY_CODE_COUNT = 10
# Pages a user with a pending second factor may still open.
OPEN_WHILE_PENDING = {"account:two-factor-verify", "account:two-factor-setup", "logout"}


def roles_of(user) -> set[str]:
    """Return every role the user holds (a superuser counts as an administrator)."""
    names = {group.name for group in user.groups.all()}
    if user.is_superuser:
        names.add(ADMINISTRATOR)
    return names


def is_required(user) -> bool:
    """Return True when the user's roles oblige them to use two-step verification."""
    return bool(roles_of(user) & set(settings.MFA_REQUIRED_ROLES))


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device_of(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


@receiver(user_logged_in)
def ask_for_second_factor(sender, request: HttpRequest, user, **kwargs) -> None:
    """After a password sign-in, note whether the user must verify a code or set an app up."""
    if request is None or not hasattr(request, "session"):
        return
    if authenticator_of(user) is not None:
        request.session[PENDING] = "verify"
    elif is_required(user):
        request.session[PENDING] = "setup"
    else:
        request.session.pop(PENDING, None)


def pending_step(request: HttpRequest) -> str | None:
    return request.session.get(PENDING) if hasattr(request, "session") else None


def clear_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)


@transaction.atomic
def enrol(user, key: str, last_t: int) -> tuple[TOTPDevice, list[str]]:
    """Replace the user's authenticator and recovery codes with a confirmed app and ten new codes."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name="Authenticator app", key=key, confirmed=True, last_t=last_t
    )
    return device, new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new single-use ones and return them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def reset(user) -> None:
    """Remove the user's authenticator and recovery codes (an administrator's reset after a lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


class RequireSecondFactorMiddleware:
    """Send a signed-in user who still owes a code (or an app) to the page that asks for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        step = pending_step(request)
        if step is None or not request.user.is_authenticated:
            return None
        if request.resolver_match and request.resolver_match.view_name in OPEN_WHILE_PENDING:
            return None
        url = f"{reverse(f'account:two-factor-{step}')}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
