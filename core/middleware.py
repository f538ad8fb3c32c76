from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

_STARTED = "_session_started_at"


@receiver(user_logged_in)
def stamp_session_start(sender, request: HttpRequest, user, **kwargs) -> None:
    """Start the absolute lifetime at sign-in, not at the first page after it."""
    request.session[_STARTED] = time.time()


class AbsoluteSessionLifetimeMiddleware:
    """End a signed-in session SESSION_ABSOLUTE_LIFETIME seconds after it began, however active it is.

    SESSION_COOKIE_AGE with IdleSessionRefreshMiddleware gives the idle timeout; this caps the whole lifetime.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(_STARTED)
            now = time.time()
            if started is None:
                request.session[_STARTED] = now
            elif now - started > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
        return self.get_response(request)


class IdleSessionRefreshMiddleware:
    """Slide a session's idle expiry forward on each request, writing it at most once a minute.

    See core/sessions.py: with SESSION_SAVE_EVERY_REQUEST every page paid three queries for it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        # A visitor with no session gets none made here; another engine (tests may swap one in) slides
        # its expiry its own way.
        if session.session_key is not None and hasattr(session, "push_expiry"):
            session.push_expiry()
        return self.get_response(request)


class HtmxSignInRedirectMiddleware:
    """Send a signed-out user's htmx request to sign-in as a whole page, with `next` where they were.

    login_required answers 302 to the login page; htmx would follow it and swap the login form into the
    table row or fragment. HX-Redirect makes the browser load the login page itself instead, and `next` is
    the page the user was on (HX-Current-URL), not the fragment's URL.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") != "true"
            or response.status_code not in (301, 302, 303, 307, 308)
            or request.user.is_authenticated
        ):
            return response
        login_path = resolve_url(settings.LOGIN_URL)
        location = urlsplit(response["Location"])
        if location.path != login_path:
            return response
        next_url = dict(parse_qsl(location.query)).get(REDIRECT_FIELD_NAME, "")
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        if current.path and url_has_allowed_host_and_scheme(
            request.headers["HX-Current-URL"], allowed_hosts={request.get_host()}
        ):
            next_url = current.path + (f"?{current.query}" if current.query else "")
        target = redirect_to_login(next_url)["Location"] if next_url else login_path
        client_redirect = HttpResponseClientRedirect(target)
        patch_vary_headers(client_redirect, ("HX-Request",))
        return client_redirect


class ErrorTitleMiddleware:
    """Start the page title with "Error: " on every full page that shows an error summary (GOV.UK's error
    summary pattern), so screen-reader users hear that the form was refused before anything else.

    One place for every form, rather than a condition on each template's title that names its form.
    """

    TITLE = b"<title>"
    SUMMARY = b'class="error-summary"'

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or self.SUMMARY not in response.content
        ):
            return response
        head, found, rest = response.content.partition(self.TITLE)
        if found and not rest.startswith(b"Error: "):
            response.content = head + found + b"Error: " + rest
        return response
