"""Who is signing in from where: the client address, the login lockout rules, and a small rate limiter."""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Return the client's address: the one our TLS proxy saw when BEHIND_TLS_PROXY, else REMOTE_ADDR.

    The proxy appends the address it received the connection from to X-Forwarded-For, so only the last
    entry is trustworthy: anything before it is whatever the client chose to send.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if _is_ip(forwarded):
            return forwarded
    return remote


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with one limit per lockout parameter.

    AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], ["ip_address"]]: a username is locked from an
    address after AXES_FAILURE_LIMIT failures from that address, an address after AXES_IP_FAILURE_LIMIT
    failures for any usernames (password spraying). A username is never locked from every address: that let
    anyone lock the administrator out at will. Guessing one password from many addresses is held back by
    each address's own limits, the password rules, and the second factor the privileged roles must give.
    Axes compares one count with one limit, so the address's count is reported as reaching the username
    limit exactly when it reaches its own.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        by_username, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.AXES_IP_FAILURE_LIMIT:
            return max(by_username, settings.AXES_FAILURE_LIMIT)
        return by_username

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # A successful sign-in clears that username's failures from that address only: otherwise a sprayer
        # could sign in to their own account now and then to wipe their address's count.
        by_username = self.filter_user_attempts(request, credentials)[0]
        count, _ = by_username.delete()
        return count


def over_limit(scope: str, key: str, limit: int, period_seconds: int = 3600) -> bool:
    """Count one event for (scope, key) and return True once more than `limit` fell in the period.

    Uses Django's cache: per process with the default local-memory cache; configure a shared cache
    (CACHES) when running several app servers.
    """
    cache_key = f"throttle:{scope}:{key}"
    cache.add(cache_key, 0, timeout=period_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period_seconds)
        count = 1
    return count > limit
