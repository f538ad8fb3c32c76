"""Who may import (plan leads and administrators) and export (whoever may read what is exported)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from actions.plan_access import require_planner
from exchange.models import ImportUpload
from exchange.writing import FORMATS


def get_upload_for_importer(request: HttpRequest, pk: int) -> ImportUpload:
    """Return an uploaded file for a plan lead or administrator, or 404; PermissionDenied for anyone else."""
    require_planner(request)
    return get_object_or_404(ImportUpload.objects.select_related("plan", "framework"), pk=pk)


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404("Exports are .xlsx or .csv")
    return fmt
