"""Sign in with the organisation's account: OpenID Connect through mozilla-django-oidc (issue #34).

mozilla-django-oidc does the protocol (state, nonce, PKCE, the code exchange, the ID token's signature
against the provider's published keys, the silent re-check with prompt=none). It reads one provider from
Django settings; here each class reads the settings of the provider this sign-in is with (`ProviderSettings`),
so a council and an NHS partner can both be offered. What is ours: the checks the library leaves out (issuer,
audience, verified email), who the user is here (SingleSignOnIdentity), roles from groups, the second factor
when the provider asserts none, and a clear message for each refusal.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.middleware import SessionRefresh
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import mfa
from accounts.models import SingleSignOnIdentity, User
from accounts.sso_config import Provider
from core import roles

logger = logging.getLogger(__name__)

# Session keys: which provider each pending sign-in (by state) is with, and which one the user signed in with.
STATES = "sso_states"
PROVIDER = "sso_provider"
DISCOVERY_CACHE_SECONDS = 3600


class SignInRefused(Exception):
    """A sign-in the app refuses; the message is shown on the sign-in page."""


def provider_or_404(key: str) -> Provider:
    try:
        return settings.SSO_PROVIDERS[key]
    except KeyError:
        raise Http404("No such sign-in provider") from None


def discovery(provider: Provider) -> dict:
    """Return the provider's discovery document (cached), checking it names the configured issuer."""
    cache_key = f"sso-discovery:{provider.discovery_url}"
    document = cache.get(cache_key)
    if document is None:
        try:
            response = requests.get(provider.discovery_url, timeout=provider.timeout)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            message = f"{provider.name}'s sign-in service cannot be reached: try again later."
            raise SignInRefused(message) from exc
        cache.set(cache_key, document, DISCOVERY_CACHE_SECONDS)
    if document.get("issuer", "").rstrip("/") != provider.issuer:
        raise SignInRefused(
            f"{provider.name}'s sign-in service says it is {document.get('issuer')!r}, not the issuer this "
            "site expects: sign-in is refused. Tell your administrator."
        )
    return document


class ProviderSettings:
    """mozilla-django-oidc's `get_settings`, answered from one provider's configuration and discovery."""

    provider: Provider

    def get_settings(self, attr: str, *args):
        provider = self.provider
        endpoints = {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
            "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
            "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
            "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
        }
        if attr in endpoints:
            return discovery(provider).get(endpoints[attr])
        own = {
            "OIDC_RP_CLIENT_ID": provider.client_id,
            "OIDC_RP_CLIENT_SECRET": provider.client_secret,
            "OIDC_RP_SIGN_ALGO": provider.sign_algo,
            "OIDC_RP_SCOPES": provider.scopes,
            "OIDC_TIMEOUT": provider.timeout,
        }
        if attr in own:
            return own[attr]
        return import_from_settings(attr, *args)


def _remember_state(request: HttpRequest, response: HttpResponse, provider: Provider) -> HttpResponse:
    """Note which provider the state in an authorisation redirect belongs to (read back by the callback)."""
    if isinstance(response, HttpResponseRedirect):
        state = parse_qs(urlsplit(response["Location"]).query).get("state", [""])[0]
        if state:
            # Bounded like the library's own list of states (OIDC_MAX_STATES).
            pending = dict(list(request.session.get(STATES, {}).items())[-49:])
            pending[state] = provider.key
            request.session[STATES] = pending
    return response


class SingleSignOnBackend(ProviderSettings, OIDCAuthenticationBackend):
    """Authenticates the callback of an OpenID Connect sign-in with the provider the view chose."""

    def __init__(self, *args, **kwargs) -> None:
        self.UserModel = User  # the library's own set-up needs the provider, known in authenticate()

    # ModelBackend's, which refuses an inactive user (the library's returns any user).
    get_user = ModelBackend.get_user

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "sso_provider", None)
        if provider is None:  # a password sign-in, or a test's login()
            return None
        self.provider = provider
        try:
            super().__init__()
            return super().authenticate(request, **kwargs)
        except SignInRefused as exc:
            request.sso_error = str(exc)
        except jwt.ExpiredSignatureError:
            request.sso_error = "The sign-in had expired before it reached us: sign in again."
        except (SuspiciousOperation, jwt.InvalidTokenError) as exc:
            logger.warning("Single sign-on with %s refused: %s", provider.key, exc)
            request.sso_error = (
                f"The answer from {provider.name} could not be verified (signature, issuer or audience): "
                "sign-in is refused."
            )
        except requests.RequestException as exc:
            logger.warning("Single sign-on with %s failed: %s", provider.key, exc)
            request.sso_error = f"{provider.name}'s sign-in service did not answer properly: try again later."
        return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The library checks the signature, expiry and nonce; the issuer and audience are checked here.
        if "nonce" in kwargs and str(payload.get("iss") or "").rstrip("/") != self.provider.issuer:
            raise SuspiciousOperation(f"ID token issuer {payload.get('iss')!r} is not the provider's")
        audience = payload.get("aud")
        if "nonce" in kwargs and self.provider.client_id not in (
            audience if isinstance(audience, list) else [audience]
        ):
            raise SuspiciousOperation("ID token audience is not this client")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload["sub"]:
            raise SuspiciousOperation("Userinfo is about another subject than the ID token")
        claims = {**userinfo, **payload}  # the ID token's own claims (sub, amr) win
        user = self._user_for(claims)
        self.request.sso_mfa = bool(set(payload.get("amr") or []) & self.provider.mfa_amr)
        return user

    def _email_of(self, claims: dict) -> str:
        email = (claims.get("email") or "").strip()
        verified = claims.get("email_verified")
        if isinstance(verified, str):
            verified = verified.lower() == "true"
        if email and (verified is True or (verified is None and self.provider.trust_email)):
            return email
        if email:
            raise SignInRefused(
                f"{self.provider.name} has not verified the email address {email}: sign-in is refused. "
                "Ask your IT service desk to verify it."
            )
        return ""

    @transaction.atomic
    def _user_for(self, claims: dict) -> User:
        """Return the user these claims sign in as, creating them (and their link) on first sign-in."""
        provider = self.provider
        email = self._email_of(claims)
        identity = (
            SingleSignOnIdentity.objects.select_related("user")
            .filter(provider=provider.key, subject=claims["sub"])
            .first()
        )
        if identity is not None:
            user = identity.user
        else:
            user = self._match_by_email(email) or self._new_user(claims, email)
            SingleSignOnIdentity.objects.create(user=user, provider=provider.key, subject=claims["sub"])
        names = {"first_name": claims.get("given_name") or "", "last_name": claims.get("family_name") or ""}
        changed = {name: value[:150] for name, value in names.items() if value[:150] != getattr(user, name)}
        changed = {name: value for name, value in changed.items() if value}
        if email and user.email != email:
            changed["email"] = email
        if changed:
            for name, value in changed.items():
                setattr(user, name, value)
            user.save(update_fields=list(changed))
        if provider.group_roles:
            self._set_roles(user, claims.get(provider.groups_claim) or [])
        return user

    def _match_by_email(self, email: str) -> User | None:
        if not (self.provider.match_email and email):
            return None
        users = list(User.objects.filter(email__iexact=email)[:2])
        if len(users) > 1:
            raise SignInRefused(f"More than one account here uses {email}: ask an administrator to fix it.")
        return users[0] if users else None

    def _new_user(self, claims: dict, email: str) -> User:
        username = str(claims.get(self.provider.username_claim) or "").strip()[:150]
        if not username:
            raise SignInRefused(
                f"{self.provider.name} did not send the {self.provider.username_claim!r} claim: sign-in "
                "is refused. Tell your administrator."
            )
        if User.objects.filter(username__iexact=username).exists():
            raise SignInRefused(
                f"An account named {username} already exists here and is not linked to your "
                f"{self.provider.name} account: ask an administrator."
            )
        user = User(username=username, email=email)
        user.set_unusable_password()  # signs in through the provider only
        user.save()
        return user

    def _set_roles(self, user: User, groups: list[str]) -> None:
        """Make the user's roles exactly those their provider groups map to (the provider is the source)."""
        wanted = {self.provider.group_roles[group] for group in groups if group in self.provider.group_roles}
        current = set(user.groups.filter(name__in=roles.ROLES).values_list("name", flat=True))
        if wanted != current:
            user.groups.remove(*Group.objects.filter(name__in=current - wanted))
            user.groups.add(*Group.objects.filter(name__in=wanted - current))


class StartView(ProviderSettings, OIDCAuthenticationRequestView):
    """Send the browser to the provider's sign-in page."""

    def __init__(self, **kwargs) -> None:
        View.__init__(self, **kwargs)  # the library's reads the settings: the provider is known in get()

    def get(self, request, provider):
        self.provider = provider_or_404(provider)
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except SignInRefused as exc:
            messages.error(request, str(exc))
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = self.provider.client_id
        return _remember_state(request, super().get(request), self.provider)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: sign in, or say why not."""

    @property
    def failure_url(self) -> str:
        return resolve_url("login")

    def get(self, request):
        state = request.GET.get("state", "")
        key = request.session.get(STATES, {}).get(state)
        if key is None or key not in settings.SSO_PROVIDERS:
            # Replayed, already used, or from another browser: the library would answer 400.
            messages.error(request, "This sign-in link has already been used or has expired: sign in again.")
            return redirect("login")
        request.session[STATES] = {s: k for s, k in request.session[STATES].items() if s != state}
        request.sso_provider = provider = settings.SSO_PROVIDERS[key]
        was_signed_in = request.user.is_authenticated
        self.failed = False
        try:
            response = super().get(request)
        except SuspiciousOperation:
            messages.error(request, "This sign-in link has already been used or has expired: sign in again.")
            return redirect("login")
        if not self.failed:
            return response
        if request.user.is_authenticated:
            auth.logout(request)  # a re-check the app refuses ends the session as one the provider refuses
        if request.GET.get("error"):
            message = (
                f"Your {provider.name} sign-in has ended or your account there is disabled: sign in again."
                if was_signed_in
                else f"{provider.name} did not sign you in ({request.GET['error'][:100]})."
            )
        elif getattr(self, "user", None) is not None and not self.user.is_active:
            message = "Your account here is disabled: ask an administrator."
        else:
            default = f"Signing in with {provider.name} did not work: try again."
            message = getattr(request, "sso_error", default)
        messages.error(request, message)
        return response

    def login_failure(self):
        self.failed = True
        return super().login_failure()

    def login_success(self):
        first_sign_in = not self.request.user.is_authenticated
        response = super().login_success()
        self.request.session[PROVIDER] = self.request.sso_provider.key
        if first_sign_in and getattr(self.request, "sso_mfa", False):
            # The provider checked a second factor: ours is not asked for as well.
            mfa.clear_pending(self.request)
        return response


def logout_url(request: HttpRequest) -> str | None:
    """Return the provider's end-session URL for this session (RP-initiated logout), if it has one."""
    provider = settings.SSO_PROVIDERS.get(request.session.get(PROVIDER, ""))
    if provider is None:
        return None
    try:
        end_session = discovery(provider).get("end_session_endpoint")
    except SignInRefused:
        return None
    if not end_session:
        return None
    params = {
        "client_id": provider.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
    }
    if id_token := request.session.get("oidc_id_token"):
        params["id_token_hint"] = id_token
    return f"{end_session}?{urlencode(params)}"


class _ProviderRefresh(ProviderSettings, SessionRefresh):
    def __init__(self, get_response, provider: Provider) -> None:
        self.provider = provider
        super().__init__(get_response)

    @property
    def exempt_urls(self) -> set[str]:
        return {reverse("sso-callback"), reverse("logout"), reverse("login"), reverse("health")}


class RecheckProviderSession(MiddlewareMixin):
    """Once the ID token's renewal time has passed, re-check a single sign-on user's session at the provider
    (mozilla-django-oidc's SessionRefresh: a silent prompt=none round trip); a user the provider no longer
    signs in is signed out here by the callback. One SessionRefresh a provider, made on first use."""

    def __init__(self, get_response) -> None:
        super().__init__(get_response)
        self._refreshers: dict[str, _ProviderRefresh] = {}

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        provider = settings.SSO_PROVIDERS.get(request.session.get(PROVIDER, ""))
        # htmx fragments cannot follow a redirect to the provider; the next full page re-checks.
        if provider is None or not request.user.is_authenticated or getattr(request, "htmx", False):
            return None
        refresher = self._refreshers.get(provider.key)
        try:
            if refresher is None or refresher.provider is not provider:  # new, or reconfigured (tests)
                refresher = self._refreshers[provider.key] = _ProviderRefresh(self.get_response, provider)
            response = refresher.process_request(request)
        except SignInRefused:
            logger.warning("Cannot re-check %s's sessions: the provider cannot be reached", provider.key)
            return None
        return _remember_state(request, response, provider) if response is not None else None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # The sign-out form's redirect goes on to the provider: CSP's form-action covers redirects.
        session = getattr(request, "session", None)
        signed_in_here = session is not None and session.accessed
        provider = settings.SSO_PROVIDERS.get(session.get(PROVIDER, "")) if signed_in_here else None
        if provider is not None:
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(provider.issuer))
            response._csp_update = {"form-action": [origin]}
        return response
