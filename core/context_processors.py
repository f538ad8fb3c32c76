from __future__ import annotations

from django.http import HttpRequest

from core.roles import role_of


def roles(request: HttpRequest) -> dict[str, object]:
    """Expose the signed-in user's role name to every template (for display only; views check access)."""
    user = getattr(request, "user", None)
    return {"user_role": role_of(user) if user is not None else None}
