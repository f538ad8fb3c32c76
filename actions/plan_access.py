"""Who may build plans: plan leads and administrators. Checked in every plan-building view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from actions.models import Action, Plan, Priority

BUILD_PLANS = "actions.change_plan"


def can_build_plans(user) -> bool:
    return user.is_authenticated and user.has_perm(BUILD_PLANS)


def require_planner(request: HttpRequest) -> None:
    if not can_build_plans(request.user):
        raise PermissionDenied


def get_plan_for_planner(request: HttpRequest, pk: int) -> Plan:
    """Return the plan (archived ones too: they can be restored), or 404; PermissionDenied if not allowed."""
    require_planner(request)
    return get_object_or_404(Plan.objects.select_related("rag_scale", "board", "lead", "review"), pk=pk)


def get_priority_for_planner(request: HttpRequest, pk: int) -> Priority:
    require_planner(request)
    return get_object_or_404(Priority.objects.select_related("plan", "lead"), pk=pk)


def get_action_for_planner(request: HttpRequest, pk: int) -> Action:
    require_planner(request)
    return get_object_or_404(
        Action.objects.select_related("plan", "priority", "accountable_officer__organisation"), pk=pk
    )
