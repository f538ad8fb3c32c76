"""The Account page: change your password, forgotten passwords by email, two-step verification, sign-out."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts import mfa, sso
from accounts.forms import CodeForm, LoginForm, PasswordChangeForm, SetPasswordForm
from accounts.throttling import client_ip, over_limit
from core import roles

SETUP_KEY = "_second_factor_setup_key"
NEW_CODES = "_recovery_codes_to_show"
RESET_EMAIL = "account/password_reset_email.txt"
RESET_SUBJECT = "account/password_reset_subject.txt"
logger = logging.getLogger(__name__)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _posted(request: HttpRequest):
    """Return the POST data to bind a form to (also when empty), or None for a GET."""
    return request.POST if request.method == "POST" else None


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is: officers to their actions, scrutiny members to the dashboard
    overview, plan leads and administrators to their live plans, someone without a role yet (a first single
    sign-on) to their account page."""
    role = roles.role_of(request.user)
    if role is None:
        messages.info(request, "You are signed in, but an administrator has not given you a role yet.")
        return redirect("account:index")
    if role == roles.OFFICER:
        return redirect("actions:mine")
    if role == roles.SCRUTINY_MEMBER:
        return redirect("reports:overview")
    if request.user.has_perm("actions.change_plan"):
        return redirect("plans:list")
    return redirect("actions:list")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    recovery = mfa.recovery_device_of(request.user)
    return render(
        request,
        "account/index.html",
        {
            "authenticator": mfa.authenticator_of(request.user),
            "recovery_codes_left": recovery.token_set.count() if recovery else 0,
            "mfa_required": mfa.is_required(request.user),
            "nav": "account",
        },
    )


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, _posted(request))
    if request.method == "POST":
        if form.is_valid():
            form.save()
            # Keeps this session signed in; every other session of the user ends with the old password.
            update_session_auth_hash(request, form.user)
            messages.success(request, "Your password has been changed.")
            return redirect("account:index")
        return render(request, "account/password_change.html", {"form": form, "nav": "account"}, status=422)
    return render(request, "account/password_change.html", {"form": form, "nav": "account"})


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Email a reset link; the answer is the same whether or not an account uses the address."""
    form = PasswordResetForm(_posted(request))
    if request.method == "POST":
        if over_limit("password-reset-ip", client_ip(request), settings.PASSWORD_RESET_LIMIT_PER_ADDRESS):
            return render(request, "account/too_many_requests.html", status=429)
        if form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            # Hashed, so addresses people typed do not sit in the cache.
            email_key = salted_hmac("password-reset", email).hexdigest()
            if over_limit("password-reset-email", email_key, settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
                return redirect("account:password-reset-sent")
            # Looking the address up and sending the email (tens to hundreds of milliseconds to the mail
            # server) happen after the answer has gone: the answer takes as long whether or not an account
            # uses the address, so its timing does not tell.
            return RedirectThen(
                reverse("account:password-reset-sent"),
                then=lambda: form.save(
                    request=request,
                    use_https=request.is_secure(),
                    subject_template_name=RESET_SUBJECT,
                    email_template_name=RESET_EMAIL,
                ),
            )
        return render(request, "account/password_reset.html", {"form": form}, status=422)
    return render(request, "account/password_reset.html", {"form": form})


class RedirectThen(HttpResponseRedirect):
    """A redirect that runs `then` after it has been sent: the WSGI server closes a response once its last
    byte is written (Django's test client does too, before `post` returns)."""

    def __init__(self, url: str, *, then: Callable[[], object]) -> None:
        super().__init__(url)
        self._then = then

    def close(self) -> None:
        then, self._then = self._then, None
        try:
            if then is not None:
                then()
        except Exception:
            # The person already has their answer; an unreachable mail server is for the logs.
            logger.exception("Work after the response failed")
        finally:
            super().close()


@require_GET
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "account/password_reset_sent.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "account/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        messages.success(self.request, "Your password has been changed. Sign in with your new password.")
        return super().form_valid(form)


# The view answers an expired link before checking the method, so the method is checked first.
password_reset_confirm = require_http_methods(["GET", "POST"])(PasswordResetConfirmView.as_view())


def send_password_reset(
    request: HttpRequest, user, *, subject_template: str = RESET_SUBJECT, email_template: str = RESET_EMAIL
) -> bool:
    """Email `user` a password reset link (an administrator's forced reset, or an invitation to choose a
    first password); return False without email."""
    if not user.email:
        return False
    form = PasswordResetForm({"email": user.email})
    form.is_valid()
    form.get_users = lambda email: [user]  # exactly this account, even if others share the address
    form.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name=subject_template,
        email_template_name=email_template,
    )
    return True


def _qr_code(uri: str) -> str:
    """Return a data: URL of an SVG QR code (allowed by our CSP's img-src, unlike inline markup styles)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#0b0c0c", light="#ffffff")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code (or type the key), then prove it with a code."""
    if mfa.pending_step(request) == "verify":
        return redirect("account:two-factor-verify")
    if not request.user.is_verified() and mfa.authenticator_of(request.user) is not None:
        # Only someone who has given a code from the current app may replace it.
        request.session[mfa.PENDING] = "verify"
        return redirect(f"{reverse('account:two-factor-verify')}?next={reverse('account:two-factor-setup')}")
    key = request.session.get(SETUP_KEY) or random_hex(20)
    request.session[SETUP_KEY] = key
    form = CodeForm(_posted(request), recovery=False)
    if request.method == "POST" and form.is_valid():
        totp = TOTP(bytes.fromhex(key), drift=0)
        if form.is_app_code and totp.verify(int(form.cleaned_data["code"]), tolerance=1):
            device, codes = mfa.enrol(request.user, key, last_t=totp.t())
            otp_login(request, device)
            mfa.clear_pending(request)
            del request.session[SETUP_KEY]
            request.session[NEW_CODES] = codes
            messages.success(request, "Two-step verification is on. Keep your recovery codes safe.")
            return redirect("account:recovery-codes")
        form.add_error("code", "The code is not right: enter the newest code the app shows for SEND Tracker")
    uri = TOTPDevice(user=request.user, key=key, name="Authenticator app").config_url
    secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    context = {
        "form": form,
        "qr_code": _qr_code(uri),
        "secret": _grouped(secret),
        "required": mfa.pending_step(request) == "setup",
        "next": _safe_next(request),
        "nav": "account",
    }
    status = 422 if form.errors else 200
    return render(request, "account/two_factor_setup.html", context, status=status)


@never_cache
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code from the authenticator app or a recovery code, after the password."""
    if mfa.pending_step(request) != "verify":
        return redirect(_safe_next(request))
    authenticator = mfa.authenticator_of(request.user)
    if authenticator is None:  # reset by an administrator since sign-in
        mfa.clear_pending(request)
        if mfa.is_required(request.user):
            request.session[mfa.PENDING] = "setup"
        return redirect(_safe_next(request))
    form = CodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        device = authenticator if form.is_app_code else mfa.recovery_device_of(request.user)
        allowed, _ = device.verify_is_allowed() if device else (True, None)
        code = form.cleaned_data["code"]
        verified = device and allowed and verify_token(request.user, device.persistent_id, code)
        if verified:
            otp_login(request, verified)
            mfa.clear_pending(request)
            if verified != authenticator:
                left = verified.token_set.count()
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} left. Make new ones from your Account page.",
                )
            return redirect(_safe_next(request))
        if not allowed:
            form.add_error("code", "Too many wrong codes: wait a minute, then enter the newest code")
        else:
            form.add_error("code", "The code is not right: enter the newest code from your app")
    status = 422 if form.errors else 200
    return render(
        request, "account/two_factor_verify.html", {"form": form, "next": _safe_next(request)}, status=status
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show new recovery codes once; make a new set (which cancels the old one) on POST."""
    if mfa.authenticator_of(request.user) is None or not request.user.is_verified():
        return redirect("account:index")
    if request.method == "POST":
        request.session[NEW_CODES] = mfa.new_recovery_codes(request.user)
        return redirect("account:recovery-codes")
    codes = request.session.pop(NEW_CODES, None)
    recovery = mfa.recovery_device_of(request.user)
    return render(
        request,
        "account/recovery_codes.html",
        {"codes": codes, "left": recovery.token_set.count() if recovery else 0, "nav": "account"},
    )


class SignInView(auth_views.LoginView):
    """Django's sign-in page, offering the single sign-on providers first when there are any."""

    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso_providers": list(settings.SSO_PROVIDERS.values()),
            "password_sign_in": settings.PASSWORD_SIGN_IN,
        }


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the session here and, after single sign-on, at the provider too (RP-initiated logout)."""
    target = sso.logout_url(request) or resolve_url(settings.LOGOUT_REDIRECT_URL)
    auth_logout(request)
    return redirect(target)
