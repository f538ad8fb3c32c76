"""Who may see and write committee papers: one helper used by every paper view (templates only display).

Plan leads and administrators write papers and see drafts. Everyone else with a role (officers, scrutiny
members) sees published papers only, as published.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from reports.models import CommitteePaper

VIEW_PAPER = "reports.view_committeepaper"
WRITE_PAPER = "reports.change_committeepaper"


def can_write(user) -> bool:
    """Return whether the user writes papers (and so sees drafts): plan leads and administrators."""
    return user.is_authenticated and user.has_perm(WRITE_PAPER)


def require_view(request: HttpRequest) -> None:
    if not request.user.has_perm(VIEW_PAPER):
        raise PermissionDenied


def visible_papers(user):
    """Return the papers this user may open: every live paper for writers, published ones for readers."""
    papers = CommitteePaper.objects.live()
    return papers if can_write(user) else papers.published()


def get_paper_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> CommitteePaper:
    """Return the paper or 404 (also for a draft a reader may not know of); PermissionDenied to write."""
    require_view(request)
    if write and not can_write(request.user):
        raise PermissionDenied
    return get_object_or_404(visible_papers(request.user).select_related("committee", "template"), pk=pk)
