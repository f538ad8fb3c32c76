"""Who may see and change inspection records: one helper per object, used by every view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from inspections.models import Assessment, Finding, Framework, Review

VIEW_REVIEW = "inspections.view_review"
CHANGE_RATING = "inspections.change_rating"
ADD_FRAMEWORK = "inspections.add_framework"
# Priorities live in the actions app; a permission name is a string, so no import is needed.
CHANGE_PRIORITY = "actions.change_priority"


def require_view(request: HttpRequest) -> None:
    if not request.user.has_perm(VIEW_REVIEW):
        raise PermissionDenied


def can_rate(user) -> bool:
    """Return whether the user may open rounds, rate criteria and agree a round (plan leads, admins)."""
    return (
        user.is_authenticated and user.has_perm(CHANGE_RATING) and user.has_perm("inspections.add_assessment")
    )


def can_manage_frameworks(user) -> bool:
    return (
        user.is_authenticated and user.has_perm(ADD_FRAMEWORK) and user.has_perm("inspections.add_criterion")
    )


def can_link_priorities(user) -> bool:
    return user.is_authenticated and user.has_perm(CHANGE_PRIORITY)


def can_record_reviews(user) -> bool:
    """Return whether the user may edit reviews, add chain steps and record revisit judgements."""
    return user.is_authenticated and all(
        user.has_perm(f"inspections.{name}")
        for name in ("add_review", "change_review", "add_revisitjudgement", "change_revisitjudgement")
    )


def can_record_findings(user) -> bool:
    """Return whether the user may record reviews and add, edit, reorder and retire their findings."""
    return can_record_reviews(user) and all(
        user.has_perm(f"inspections.{name}") for name in ("add_finding", "change_finding")
    )


def require_recorder(request: HttpRequest) -> None:
    require_view(request)
    if not can_record_findings(request.user):
        raise PermissionDenied


def get_finding_for_recorder(request: HttpRequest, pk: int) -> Finding:
    """Return a current finding the user may edit, reorder or retire (404 once retired)."""
    require_recorder(request)
    return get_object_or_404(Finding.objects.current().select_related("review"), pk=pk)


def get_review_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Review:
    require_view(request)
    review = get_object_or_404(Review.objects.select_related("framework", "follows_up"), pk=pk)
    if write and not can_record_reviews(request.user):
        raise PermissionDenied
    return review


def get_finding_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Finding:
    require_view(request)
    finding = get_object_or_404(Finding.objects.select_related("review"), pk=pk)
    if write and not can_link_priorities(request.user):
        raise PermissionDenied
    return finding


def get_framework_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Framework:
    require_view(request)
    framework = get_object_or_404(Framework, pk=pk)
    if write and not can_rate(request.user):
        raise PermissionDenied
    return framework


def get_assessment_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Assessment:
    require_view(request)
    assessment = get_object_or_404(Assessment.objects.select_related("framework", "agreed_by"), pk=pk)
    if write and not can_rate(request.user):
        raise PermissionDenied
    return assessment
