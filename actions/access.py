"""Who may see and update actions: one helper per object, used by every view (templates only display)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from actions.models import Action
from send_tracker.roles import UPDATE_ANY_ACTION, UPDATE_OWN_ACTION

VIEW_ACTION = "actions.view_action"


def _role_may_update(user, action: Action) -> bool:
    """Return whether the user's role lets them update this action: its lead, a plan lead or an admin."""
    if not user.is_authenticated:
        return False
    if user.has_perm(UPDATE_ANY_ACTION):
        return True
    # leads are prefetched by every queryset that feeds this check, so no query per action.
    return user.has_perm(UPDATE_OWN_ACTION) and any(lead.user_id == user.pk for lead in action.leads.all())


def update_refusal(user, action: Action) -> str:
    """Return why the plan's status stops a user whose role could update this action, or "" otherwise."""
    return action.plan.update_refusal(user) if _role_may_update(user, action) else ""


def can_update(user, action: Action) -> bool:
    """Return whether the user may update this action now (role, then the plan's status)."""
    return _role_may_update(user, action) and not action.plan.update_refusal(user)


def require_view(request: HttpRequest) -> None:
    if not request.user.has_perm(VIEW_ACTION):
        raise PermissionDenied


def get_action_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Action:
    """Return the live action with everything its pages show, or 404; PermissionDenied if not allowed."""
    require_view(request)
    action = get_object_or_404(Action.objects.for_table().with_attention(), pk=pk)
    if write and not can_update(request.user, action):
        raise PermissionDenied(update_refusal(request.user, action))
    return action
