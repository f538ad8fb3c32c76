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
    """Send each role to where its work is: officers to their actions, scrutiny members to the dashboard
    overview, plan leads and administrators to their live plans, someone without a role yet (a first single
    sign-on) to their account page."""
    role = roles.role_of(request.user)
    if role is None:
        messages.info(request, "You are signed in, but an administrator has not given you a role yet.")
        return redirect("account:index")
    if role == roles.OFFICER:
        return redirect("actions:mine")
    if role == roles.SCRUTINY_MEMBER:
        return redirect("reports:overview")
    if request.user.has_perm("actions.change_plan"):
        return redirect("plans:list")
    return redirect("actions:list")
