"""National and comparator series, entered once and shared by every measure that compares with them.

A series' values are entered several periods in one save, against the series' version (ComparatorSeries.
record_values); a stale save is refused with 409 and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from actions.access import require_view
from actions.models import ComparatorSeries
from core.versioning import edit_view, save_or_conflict
from reports.access import can_record_kpis
from reports.forms import SeriesForm, SeriesValueRowForm

GET_POST = ["GET", "HEAD", "POST"]
NEW_ROWS = 3


def _require_recorder(request: HttpRequest) -> None:
    require_view(request)
    if not can_record_kpis(request.user):
        raise PermissionDenied


@login_required
@require_GET
def series_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    series = ComparatorSeries.objects.annotate(
        measure_count=Count("measures", filter=Q(measures__retired_at__isnull=True), distinct=True),
        value_count=Count("values", distinct=True),
    ).order_by("name")
    return render(
        request,
        "reports/series_list.html",
        {"series": series, "can_record": can_record_kpis(request.user), "nav": "overview"},
    )


@login_required
@require_http_methods(GET_POST)
def series_new(request: HttpRequest) -> HttpResponse:
    _require_recorder(request)
    form = SeriesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        series = form.save()
        messages.success(request, f"{series.name} added. Now enter its values.")
        return redirect("reports:series", series=series.pk)
    status = 422 if form.errors else 200
    return render(request, "reports/series_form.html", {"form": form, "nav": "overview"}, status=status)


def _value_forms(data, series: ComparatorSeries) -> list[SeriesValueRowForm]:
    forms = []
    for index, value in enumerate(series.values.order_by("-period_end")):
        initial = {
            "period_end": value.period_end,
            "published": value.period_label,
            "value": value.value,
            "source": value.source,
        }
        form = SeriesValueRowForm(data, prefix=f"v{index}", initial=initial, existing=True)
        if data is not None:
            # An existing period's date comes from the server, never from the request.
            form.data = form.data.copy()
            form.data[form.add_prefix("period_end")] = value.period_end.isoformat()
        form.period_label = value.period_label
        forms.append(form)
    for index in range(NEW_ROWS):
        form = SeriesValueRowForm(data, prefix=f"new{index}", initial={"source": series.source})
        form.period_label = f"new period {index + 1}"
        forms.append(form)
    return forms


@login_required
@require_http_methods(GET_POST)
def series_detail(request: HttpRequest, series: int) -> HttpResponse:
    """The series, the measures that compare with it, and its values: several periods entered in one save."""
    require_view(request)
    series = get_object_or_404(ComparatorSeries, pk=series)
    can_record = can_record_kpis(request.user)
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    forms = _value_forms(data, series) if can_record else []
    context = {
        "series": series,
        "values": series.values.order_by("-period_end"),
        "measures": series.measures.current().select_related("plan").order_by("plan__title", "name"),
        "forms": forms,
        "can_record": can_record,
        "version": series.version,
        "nav": "overview",
    }
    if data is None:
        return render(request, "reports/series_detail.html", context)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    if version is None or not all([form.is_valid() for form in forms]):
        return render(request, "reports/series_detail.html", {**context, "has_errors": True}, status=422)
    rows = [row for form in forms if (row := form.row())]
    periods = [row["period_end"] for row in rows]
    if len(periods) != len(set(periods)):
        forms[-NEW_ROWS].add_error(None, "Two rows are for the same period: enter each period once")
        return render(request, "reports/series_detail.html", {**context, "has_errors": True}, status=422)
    saved, conflict = save_or_conflict(
        request,
        lambda: series.record_values(version=version, rows=rows),
        template="reports/series_detail.html",
        context=context,
        again=lambda stale: {"series": stale.current, "version": stale.current.version},
    )
    if conflict:
        return conflict
    messages.success(request, f"{len(saved)} value{'s' if len(saved) != 1 else ''} saved for {series.name}.")
    return redirect("reports:series", series=series.pk)


def _series(request: HttpRequest, pk: int) -> ComparatorSeries:
    _require_recorder(request)
    return get_object_or_404(ComparatorSeries, pk=pk)


series_edit = edit_view(
    _series,
    lambda data, series: SeriesForm(data, instance=series),
    template="reports/series_form.html",
    name="series",
    nav="overview",
    saved=lambda series: f"{series.name} saved.",
    done=lambda series: reverse("reports:series", args=[series.pk]),
)
