from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

_STARTED = "_session_started_at"


@receiver(user_logged_in)
def stamp_session_start(sender, request: HttpRequest, user, **kwargs) -> None:
    """Start the absolute lifetime at sign-in, not at the first page after it."""
    request.session[_STARTED] = time.time()


class AbsoluteSessionLifetimeMiddleware:
    """End a signed-in session SESSION_ABSOLUTE_LIFETIME seconds after it began, however active it is.

    SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST gives the idle timeout; this caps the whole lifetime.
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
