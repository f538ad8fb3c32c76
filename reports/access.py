"""Who may read dashboards and record KPIs: one helper per object, used by every view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from actions.access import require_view
from actions.models import Measure

# Plan leads and administrators hold it (see core.roles); officers and scrutiny members do not.
CHANGE_MEASURE = "actions.change_measure"


def can_record_kpis(user) -> bool:
    return user.is_authenticated and user.has_perm(CHANGE_MEASURE)


def get_measure_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Measure:
    """Return the measure or 404; PermissionDenied unless the user may read it (with write, change it)."""
    require_view(request)
    if write and not can_record_kpis(request.user):
        raise PermissionDenied
    measures = Measure.objects.select_related("plan", "priority")
    # A retired measure is read where it is linked, but no longer changed.
    return get_object_or_404(measures.current() if write else measures, pk=pk)
