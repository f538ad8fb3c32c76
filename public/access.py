"""Who prepares public pages: plan leads and administrators (those who build plans)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from actions.models import Measure, Plan, Priority
from actions.plan_access import require_planner
from public.models import YouSaidWeDid


def get_plan(request: HttpRequest, pk: int) -> Plan:
    require_planner(request)
    return get_object_or_404(Plan.objects.select_related("publication"), pk=pk)


def get_priority(request: HttpRequest, pk: int) -> Priority:
    require_planner(request)
    return get_object_or_404(Priority.objects.select_related("plan"), pk=pk)


def get_item(request: HttpRequest, pk: int) -> YouSaidWeDid:
    require_planner(request)
    return get_object_or_404(YouSaidWeDid.objects.select_related("priority__plan"), pk=pk, retired_at=None)


def get_measure(request: HttpRequest, pk: int) -> Measure:
    require_planner(request)
    return get_object_or_404(Measure.objects.filter(plan__isnull=False), pk=pk)
