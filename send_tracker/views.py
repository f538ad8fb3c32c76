from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from core import roles


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to the page it starts from: officers to their actions, scrutiny members to the
    dashboard overview, someone without a role yet (a first single sign-on) to their account page, everyone
    else to all actions."""
    role = roles.role_of(request.user)
    if role is None:
        messages.info(request, "You are signed in, but an administrator has not given you a role yet.")
        return redirect("account:index")
    if role == roles.OFFICER:
        return redirect("actions:mine")
    if role == roles.SCRUTINY_MEMBER:
        return redirect("reports:overview")
    return redirect("actions:list")
