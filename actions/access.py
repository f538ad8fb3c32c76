"""Who may see and update actions: one helper per object, used by every view (templates only display)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from actions.models import Action
from actions.querysets import ActionQuerySet
from core.roles import UPDATE_ANY_ACTION, UPDATE_OWN_ACTION

VIEW_ACTION = "actions.view_action"


def _grants(user) -> tuple[bool, bool]:
    """Return whether the user's role may update any action, and whether it may update those they lead."""
    if not user.is_authenticated:
        return False, False
    return user.has_perm(UPDATE_ANY_ACTION), user.has_perm(UPDATE_OWN_ACTION)


def _role_may_update(user, action: Action, grants: tuple[bool, bool] | None = None) -> bool:
    """Return whether the user's role lets them update this action: its lead, a plan lead or an admin."""
    any_action, own_action = grants or _grants(user)
    # leads are prefetched by every queryset that feeds this check, so no query per action.
    return any_action or (own_action and any(lead.user_id == user.pk for lead in action.leads_shown()))


def update_refusal(user, action: Action) -> str:
    """Return why the plan's status stops a user whose role could update this action, or "" otherwise."""
    return action.plan.update_refusal(user) if _role_may_update(user, action) else ""


def can_update(user, action: Action) -> bool:
    """Return whether the user may update this action now (role, then the plan's status)."""
    return _role_may_update(user, action) and not action.plan.update_refusal(user)


def mark_editable(user, actions) -> None:
    """Set `can_edit` on each action, as can_update decides, asking the user's permissions once."""
    grants = _grants(user)
    refusals: dict[int, str] = {}
    for action in actions:
        if not _role_may_update(user, action, grants):
            action.can_edit = False
            continue
        if action.plan_id not in refusals:
            refusals[action.plan_id] = action.plan.update_refusal(user)
        action.can_edit = not refusals[action.plan_id]


def require_view(request: HttpRequest) -> None:
    if not request.user.has_perm(VIEW_ACTION):
        raise PermissionDenied


def get_action_for_user(
    request: HttpRequest, pk: int, *, write: bool = False, queryset: ActionQuerySet | None = None
) -> Action:
    """Return the live action with everything its pages show, or 404; PermissionDenied if not allowed.

    `queryset` (Action.objects.for_table() by default) can add what one page needs, e.g. a row's
    attention tags.
    """
    require_view(request)
    action = get_object_or_404(queryset if queryset is not None else Action.objects.for_table(), pk=pk)
    if write and not can_update(request.user, action):
        raise PermissionDenied(update_refusal(request.user, action))
    return action
