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
        if getattr(response, "public_page", False):
            return _public(response)
        response["X-Robots-Tag"] = NOINDEX
        if not isinstance(response, WhiteNoiseFileResponse):
            response["Cache-Control"] = PRIVATE
        return response


def _public(response: HttpResponse) -> HttpResponse:
    """A public progress page (issue #33) keeps the caching and indexing its view set, and sets no cookie.

    A signed-in visitor's session is read on the way through (its idle expiry may be pushed): the cookie
    that would carry that back is dropped, and `Vary: Cookie` with it, so a CDN caches one copy for all.
    """
    response.cookies.clear()
    vary = [value.strip() for value in response.get("Vary", "").split(",") if value.strip()]
    kept = [value for value in vary if value.lower() != "cookie"]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif "Vary" in response:
        del response["Vary"]
    return response
