"""Boards and their meetings: plan leads and administrators keep them; everyone with access reads them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
from core.versioning import StaleVersionError

STALE_MESSAGE = (
    "Someone else saved this while you were editing. Your changes have not been saved: check them below."
)


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


@login_required
@require_http_methods(["GET", "POST"])
def board_edit(request: HttpRequest, board: int) -> HttpResponse:
    board_obj = get_board_for_user(request, board, write=True)
    if request.method == "GET":
        return _render_form(request, "boards/board_form.html", BoardForm(instance=board_obj), board=board_obj)
    form = BoardForm(request.POST, instance=board_obj)
    if not form.is_valid():
        return _render_form(request, "boards/board_form.html", form, board=board_obj, status=422)
    try:
        board_obj.edit(version=form.cleaned_data["version"], **form.changes())
    except StaleVersionError as stale:
        return _stale(request, "boards/board_form.html", BoardForm, stale, board=stale.current)
    messages.success(request, f"Board “{board_obj}” saved.")
    return redirect("boards:detail", board=board_obj.pk)


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


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting: int) -> HttpResponse:
    meeting_obj = get_meeting_for_user(request, meeting)
    extra = {"board": meeting_obj.board, "meeting": meeting_obj}
    if request.method == "GET":
        return _render_form(request, "boards/meeting_form.html", MeetingForm(instance=meeting_obj), **extra)
    form = MeetingForm(request.POST, instance=meeting_obj)
    if not form.is_valid():
        return _render_form(request, "boards/meeting_form.html", form, status=422, **extra)
    try:
        meeting_obj.edit(version=form.cleaned_data["version"], **form.changes())
    except StaleVersionError as stale:
        extra["meeting"] = stale.current
        return _stale(request, "boards/meeting_form.html", MeetingForm, stale, **extra)
    messages.success(request, f"Meeting on {meeting_obj.date:%-d %B %Y} saved.")
    return redirect("boards:detail", board=meeting_obj.board_id)


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
        created, skipped = board_obj.add_meetings(
            version=form.cleaned_data["version"],
            dates=form.dates(),
            title=form.cleaned_data["title"],
            location=form.cleaned_data["location"],
        )
    except StaleVersionError as stale:
        data = request.POST.copy()
        data["version"] = str(stale.current.version)
        form = MeetingSeriesForm(data)
        form.is_valid()
        return _render_form(
            request, "boards/meeting_series.html", form, status=409, conflict=STALE_MESSAGE, **extra
        )
    except ValidationError as refused:
        form.add_error(None, refused)
        return _render_form(request, "boards/meeting_series.html", form, status=422, **extra)
    message = f"{len(created)} meeting{'s' if len(created) != 1 else ''} added"
    if skipped:
        message += f"; {len(skipped)} date{'s' if len(skipped) != 1 else ''} already had a meeting"
    messages.success(request, f"{message}.")
    return redirect("boards:detail", board=board_obj.pk)


def _stale(
    request: HttpRequest, template: str, form_class, stale: StaleVersionError, **extra
) -> HttpResponse:
    """Show the form with what the user typed, against the current version, and say nothing was saved."""
    data = request.POST.copy()
    data["version"] = str(stale.current.version)
    form = form_class(data, instance=stale.current)
    form.is_valid()
    return _render_form(request, template, form, status=409, conflict=STALE_MESSAGE, **extra)


def _render_form(request: HttpRequest, template: str, form, status: int = 200, **extra) -> HttpResponse:
    return render(request, template, {"form": form, "nav": "boards", **extra}, status=status)
