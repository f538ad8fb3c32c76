"""How public pages are served: no sign-in, no cookies, cacheable by a CDN, rate-limited, a fixed query count.

Views mark their response `public_page`; the project's privacy middleware (which makes every other response
`private, no-store` and noindex) then leaves the caching to the headers set here and drops any cookie.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

NOINDEX = "noindex, nofollow"


def max_age() -> int:
    return getattr(settings, "PUBLIC_PAGES_MAX_AGE", 300)


def rate_limit() -> int:
    return getattr(settings, "PUBLIC_PAGES_RATE_LIMIT", 120)


def indexable() -> bool:
    return getattr(settings, "PUBLIC_PAGES_INDEXABLE", True)


def _over_limit(request: HttpRequest) -> bool:
    """Count this address's requests in the current minute; True once over the limit."""
    address = request.META.get("REMOTE_ADDR", "")
    key = f"public-rate:{hashlib.sha256(address.encode()).hexdigest()[:32]}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=90):
        return False
    try:
        return cache.incr(key) > rate_limit()
    except ValueError:  # expired between add and incr
        return False


def mark_public(response: HttpResponse, *, cacheable: bool = True) -> HttpResponse:
    response.public_page = True
    if cacheable:
        patch_cache_control(response, public=True, max_age=max_age())
    else:
        patch_cache_control(response, no_store=True)
    if not indexable():
        response["X-Robots-Tag"] = NOINDEX
    return response


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view` to anyone, at most `PUBLIC_PAGES_RATE_LIMIT` requests a minute per address."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse("Public pages can only be read.", status=405, content_type="text/plain")
            response["Allow"] = "GET, HEAD"
            return mark_public(response, cacheable=False)
        if _over_limit(request):
            response = HttpResponse(
                "Too many requests. Please wait a minute and try again.",
                status=429,
                content_type="text/plain",
            )
            response["Retry-After"] = "60"
            return mark_public(response, cacheable=False)
        response = view(request, *args, **kwargs)
        return mark_public(response, cacheable=response.status_code in (200, 304, 410))

    return wrapper
