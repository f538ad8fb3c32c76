"""Headers that keep a private application private: out of caches and out of search engines."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from whitenoise.middleware import WhiteNoiseFileResponse

PRIVATE = "private, no-store"
NOINDEX = "noindex, nofollow"


class PrivacyHeadersMiddleware:
    """Mark every response noindex, and keep everything the application generates out of caches.

    Signed-in pages, htmx fragments and downloads carry children's SEND data, and anonymous pages carry
    CSRF tokens, so every generated response is `private, no-store` (OWASP ASVS V8.2.1), whatever a view
    set. Only files WhiteNoise serves (hashed static files, favicon.ico, robots.txt) keep its own
    long-lived caching: this middleware sits above WhiteNoise so they still get X-Robots-Tag.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["X-Robots-Tag"] = NOINDEX
        if not isinstance(response, WhiteNoiseFileResponse):
            response["Cache-Control"] = PRIVATE
        return response
