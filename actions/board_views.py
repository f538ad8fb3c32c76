"""Boards and their meetings: plan leads and administrators keep them; everyone with access reads them."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from actions.cycle_access import (
    can_manage_boards,
    can_manage_meetings,
    get_board_for_user,
    get_meeting_for_user,
    require_board_viewer,
)
from actions.cycle_forms import BoardForm, MeetingForm, MeetingSeriesForm
from actions.models import Board, Meeting
from core.versioning import edit_through_model, edit_view, form_again, save_or_conflict


@login_required
@require_GET
def board_list(request: HttpRequest) -> HttpResponse:
    require_board_viewer(request)
    today = timezone.localdate()
    live = Q(meetings__cancelled=False)
    boards = Board.objects.annotate(
        next_meeting=Min("meetings__date", filter=live & Q(meetings__date__gte=today)),
        last_meeting=Max("meetings__date", filter=live & Q(meetings__date__lt=today)),
        plan_count=Count("plans", distinct=True),
    )
    return render(
        request,
        "boards/list.html",
        {"boards": boards, "can_manage": can_manage_boards(request.user), "nav": "boards"},
    )


@login_required
@require_GET
def board_detail(request: HttpRequest, board: int) -> HttpResponse:
    board_obj = get_board_for_user(request, board)
    today = timezone.localdate()
    meetings = list(board_obj.meetings.all())
    return render(
        request,
        "boards/detail.html",
        {
            "board": board_obj,
            "upcoming": sorted((m for m in meetings if m.date >= today), key=lambda m: m.date),
            "past": [m for m in meetings if m.date < today],
            "plans": board_obj.plans.all(),
            "can_manage": can_manage_boards(request.user),
            "can_manage_meetings": can_manage_meetings(request.user),
            "today": today,
            "nav": "boards",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_create(request: HttpRequest) -> HttpResponse:
    require_board_viewer(request)
    if not can_manage_boards(request.user):
        raise PermissionDenied
    form = BoardForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            board = Board.objects.create(**form.changes())
            messages.success(request, f"Board “{board}” added.")
            return redirect("boards:detail", board=board.pk)
        return _render_form(request, "boards/board_form.html", form, status=422)
    return _render_form(request, "boards/board_form.html", form)


# A board's and a meeting's edit pages: saved through the record's edit(), which checks its rules.
boards_edit_page = functools.partial(
    edit_view, nav="boards", save=edit_through_model, methods=["GET", "POST"]
)

board_edit = boards_edit_page(
    functools.partial(get_board_for_user, write=True),
    lambda data, board: BoardForm(data, instance=board),
    template="boards/board_form.html",
    name="board",
    saved=lambda board: f"Board “{board}” saved.",
    done=lambda board: reverse("boards:detail", args=[board.pk]),
)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, board: int) -> HttpResponse:
    board_obj = get_board_for_user(request, board)
    if not can_manage_meetings(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, instance=Meeting(board=board_obj))
    if request.method == "POST":
        if form.is_valid():
            meeting = Meeting.objects.create(board=board_obj, **form.changes())
            messages.success(request, f"Meeting on {meeting.date:%-d %B %Y} added.")
            return redirect("boards:detail", board=board_obj.pk)
        return _render_form(request, "boards/meeting_form.html", form, board=board_obj, status=422)
    return _render_form(request, "boards/meeting_form.html", form, board=board_obj)


meeting_edit = boards_edit_page(
    get_meeting_for_user,
    lambda data, meeting: MeetingForm(data, instance=meeting),
    template="boards/meeting_form.html",
    name="meeting",
    context=lambda meeting: {"board": meeting.board},
    saved=lambda meeting: f"Meeting on {meeting.date:%-d %B %Y} saved.",
    done=lambda meeting: reverse("boards:detail", args=[meeting.board_id]),
)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_series(request: HttpRequest, board: int) -> HttpResponse:
    """Add a board's meetings as a series; each is then edited or cancelled on its own page."""
    board_obj = get_board_for_user(request, board)
    if not can_manage_meetings(request.user):
        raise PermissionDenied
    form = MeetingSeriesForm(request.POST or None, initial={"version": board_obj.version, "weeks": 6})
    extra = {"board": board_obj}
    if request.method == "GET":
        return _render_form(request, "boards/meeting_series.html", form, **extra)
    if not form.is_valid():
        return _render_form(request, "boards/meeting_series.html", form, status=422, **extra)
    try:
        added, conflict = save_or_conflict(
            request,
            lambda: board_obj.add_meetings(
                version=form.cleaned_data["version"],
                dates=form.dates(),
                title=form.cleaned_data["title"],
                location=form.cleaned_data["location"],
            ),
            template="boards/meeting_series.html",
            context={"nav": "boards", **extra},
            again=lambda stale: {"form": form_again(MeetingSeriesForm, request, stale)},
        )
    except ValidationError as refused:
        form.add_error(None, refused)
        return _render_form(request, "boards/meeting_series.html", form, status=422, **extra)
    if conflict:
        return conflict
    created, skipped = added
    message = f"{len(created)} meeting{'s' if len(created) != 1 else ''} added"
    if skipped:
        message += f"; {len(skipped)} date{'s' if len(skipped) != 1 else ''} already had a meeting"
    messages.success(request, f"{message}.")
    return redirect("boards:detail", board=board_obj.pk)


def _render_form(request: HttpRequest, template: str, form, status: int = 200, **extra) -> HttpResponse:
    return render(request, template, {"form": form, "nav": "boards", **extra}, status=status)
