"""Who may run the update cycle and manage boards: one helper per object, used by every view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from actions.models import Action, Board, Meeting, Plan
from core.roles import UPDATE_ANY_ACTION


def require_cycle_manager(request: HttpRequest) -> None:
    """Let through plan leads and administrators: those who chase updates and record them for others."""
    if not request.user.has_perm(UPDATE_ANY_ACTION):
        raise PermissionDenied


def get_plan_for_cycle(request: HttpRequest, pk: int) -> Plan:
    require_cycle_manager(request)
    return get_object_or_404(Plan.objects.select_related("board", "lead"), pk=pk)


def get_action_to_record(request: HttpRequest, pk: int) -> Action:
    """Return a live action whose update a plan lead records on a lead's behalf."""
    require_cycle_manager(request)
    return get_object_or_404(Action.objects.for_table(), pk=pk)


def can_manage_boards(user) -> bool:
    return user.has_perm("actions.add_board") and user.has_perm("actions.change_board")


def can_manage_meetings(user) -> bool:
    return user.has_perm("actions.add_meeting") and user.has_perm("actions.change_meeting")


def require_board_viewer(request: HttpRequest) -> None:
    if not request.user.has_perm("actions.view_board"):
        raise PermissionDenied


def get_board_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Board:
    require_board_viewer(request)
    if write and not can_manage_boards(request.user):
        raise PermissionDenied
    return get_object_or_404(Board, pk=pk)


def get_meeting_for_user(request: HttpRequest, pk: int) -> Meeting:
    """Return a meeting to edit; only those who manage meetings may."""
    require_board_viewer(request)
    if not can_manage_meetings(request.user):
        raise PermissionDenied
    return get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
