from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from send_tracker import roles


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to the page it starts from: officers to their actions, everyone else to the overview."""
    if roles.role_of(request.user) == roles.OFFICER:
        return redirect("actions:mine")
    return redirect("actions:list")
