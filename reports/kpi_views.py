"""KPI entry for plan leads: one grid of every measure by month, a measure's every period, and its definition.

Both forms carry the measure's version; Measure.record_values and Measure.edit_definition refuse a stale one,
so two plan leads editing the same measure never overwrite each other.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from actions.access import require_view
from actions.models import Measure, MeasureValue, Plan
from core.versioning import StaleVersionError, conflict_response, posted_again, save_or_conflict
from reports.access import can_record_kpis, get_measure_for_user
from reports.dashboards import month_ends
from reports.forms import (
    MeasureDefinitionForm,
    NewPeriodForm,
    PlanFilterForm,
    TargetRowForm,
    ValueRowForm,
    page_number,
)
from reports.kpi_grid import DEFAULT_MONTHS, MONTH_CHOICES, Grid, month_end, periods_ending

GRID_MONTHS = 12
NEW_TARGET_ROWS = 2
# The grid shows a window of measures by months: this many measure-months a page (20 measures of 3 months,
# 10 of 6, 5 of 12), each four inputs; the large area's 60 measures by 6 months made a page of 720 KB.
GRID_CELLS = 60


def _periods(measure: Measure, values: dict[datetime.date, MeasureValue], today: datetime.date):
    """Return the grid's periods, newest first: the last twelve month-ends and every period with a value."""
    return sorted(set(month_ends(today, GRID_MONTHS)) | set(values), reverse=True)


def _value_forms(request: HttpRequest, measure: Measure, values: dict, today: datetime.date):
    data = request.POST if request.method == "POST" else None
    rows = []
    for index, period in enumerate(_periods(measure, values, today)):
        existing = values.get(period)
        initial = {"period_end": period}
        if existing is not None:
            initial |= {
                "value": existing.value,
                "national": existing.national,
                "national_period": existing.national_period,
                "national_source": existing.national_source,
                "note": existing.note,
            }
        form = ValueRowForm(data, prefix=f"p{index}", initial=initial, measure=measure, existing=existing)
        if data is not None:
            # The period comes from the server's grid, never from the request.
            form.data = form.data.copy()
            form.data[form.add_prefix("period_end")] = period.isoformat()
        form.period_label = f"{period:%B %Y}"
        rows.append((period, existing, form))
    new = NewPeriodForm(data, prefix="new", measure=measure)
    new.period_label = "another period"
    return rows, new


@login_required
@require_http_methods(["GET", "POST"])
def record_values(request: HttpRequest, measure: int) -> HttpResponse:
    measure = get_measure_for_user(request, measure, write=True)
    today = timezone.localdate()
    values = {v.period_end: v for v in measure.values.select_related("recorded_by")}
    rows, new = _value_forms(request, measure, values, today)
    context = {
        "measure": measure,
        "rows": rows,
        "new": new,
        "all_forms": [form for _, _, form in rows] + [new],
        "version": measure.version,
        "nav": "overview",
    }
    if request.method == "GET":
        return render(request, "reports/kpi_values.html", context)

    posted_version = _posted_version(request)
    if posted_version != measure.version:
        stale = measure.stale_error(posted_version or 0)
        return conflict_response(
            request, "reports/kpi_values.html", {**context, **_values_again(stale)}, stale
        )
    forms = context["all_forms"]
    if not all([form.is_valid() for form in forms]):
        return render(request, "reports/kpi_values.html", {**context, "has_errors": True}, status=422)
    entries = [row for form in forms if (row := form.row())]
    if new.row() and new.row()["period_end"] in {period for period, _, _ in rows}:
        new.add_error("period_end", "This period is already in the grid: change its row instead")
        return render(request, "reports/kpi_values.html", {**context, "has_errors": True}, status=422)
    saved, conflict = save_or_conflict(
        request,
        lambda: measure.record_values(author=request.user, version=posted_version, rows=entries),
        template="reports/kpi_values.html",
        context=context,
        again=_values_again,
    )
    if conflict:
        return conflict
    messages.success(request, f"{len(saved)} value{'s' if len(saved) != 1 else ''} saved for {measure.name}.")
    return redirect(reverse("reports:kpis") + f"#measure-{measure.pk}-heading")


def _posted_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _values_again(stale: StaleVersionError) -> dict:
    """The grid shows what the user typed, against the measure as it is now."""
    return {"measure": stale.current, "version": stale.current.version}


def _target_forms(data, measure: Measure):
    rows = []
    targets = measure.targets.order_by("period_end") if measure.pk else []
    for index, target in enumerate(targets):
        form = TargetRowForm(
            data,
            prefix=f"t{index}",
            initial={"period_end": target.period_end, "target": target.target, "label": target.label},
            existing=True,
        )
        if data is not None:
            form.data = form.data.copy()
            form.data[form.add_prefix("period_end")] = target.period_end.isoformat()
        form.period_label = f"{target.period_end:%d %B %Y}"
        rows.append((target, form))
    new = [TargetRowForm(data, prefix=f"new{index}") for index in range(NEW_TARGET_ROWS)]
    for index, form in enumerate(new, start=1):
        form.period_label = f"new milestone {index}"
    return rows, new


@login_required
@require_http_methods(["GET", "POST"])
def edit_definition(request: HttpRequest, measure: int) -> HttpResponse:
    return _definition_page(request, get_measure_for_user(request, measure, write=True))


@login_required
@require_http_methods(["GET", "POST"])
def new_measure(request: HttpRequest) -> HttpResponse:
    require_view(request)
    if not can_record_kpis(request.user):
        raise PermissionDenied
    plan = Plan.objects.filter(pk=_int_or(request.GET.get("plan"), 0)).first()
    return _definition_page(request, Measure(plan=plan))


def _definition_page(request: HttpRequest, measure: Measure, refused: int | None = None) -> HttpResponse:
    """Define a new measure or edit one: its definition and milestones (dates, targets, labels) in one save.

    `refused`: the status of a refused retirement (409 stale, 422 no version); the page shows the measure
    as it is now.
    """
    data = request.POST if request.method == "POST" and refused is None else None
    initial = {"higher_is_better": str(measure.higher_is_better)} if measure.pk else {}
    form = MeasureDefinitionForm(data, instance=measure, initial=initial)
    targets, new_targets = _target_forms(data, measure)
    context = {
        "measure": measure,
        "form": form,
        "targets": targets,
        "new_targets": new_targets,
        "all_forms": [form, *(f for _, f in targets), *new_targets],
        "nav": "overview",
    }
    if refused:
        return render(
            request, "reports/kpi_definition.html", {**context, "conflict": refused == 409}, status=refused
        )
    if data is None:
        return render(request, "reports/kpi_definition.html", context)
    target_forms = [f for _, f in targets] + new_targets
    valid = form.is_valid()
    valid = all([f.is_valid() for f in target_forms]) and valid
    if valid:
        chosen = [
            f.cleaned_data["period_end"] for f in new_targets if f.cleaned_data.get("target") is not None
        ]
        taken = {t.period_end for t, _ in targets}
        for f in new_targets:
            if (
                f.cleaned_data.get("period_end") in taken
                or chosen.count(f.cleaned_data.get("period_end")) > 1
            ):
                f.add_error("period_end", "There is already a milestone on this date")
                valid = False
    if not valid:
        return render(request, "reports/kpi_definition.html", {**context, "has_errors": True}, status=422)
    fields = {name: form.cleaned_data[name] for name in Measure.DEFINITION_FIELDS}
    changed_targets = {
        f.cleaned_data["period_end"]: {
            "target": f.cleaned_data["target"],
            "label": f.cleaned_data["label"].strip(),
        }
        for f in target_forms
        if f.cleaned_data.get("target") is not None
    }

    def save() -> Measure:
        if not measure.pk:
            return Measure.define(targets=changed_targets, **fields)
        # Edit a fresh copy so the version check is honest.
        fresh = Measure.objects.get(pk=measure.pk)
        fresh.edit_definition(version=form.cleaned_data["version"], targets=changed_targets, **fields)
        return fresh

    try:
        fresh, conflict = save_or_conflict(
            request, save, on_stale=lambda stale: _definition_conflict(request, context, stale)
        )
    except ValidationError as refused:
        form.add_error(None, refused)
        return render(request, "reports/kpi_definition.html", {**context, "has_errors": True}, status=422)
    if conflict:
        return conflict
    verb = "saved" if measure.pk else "created"
    messages.success(request, f"The definition of {fresh.name} was {verb}.")
    return redirect(reverse("reports:kpis") + f"#measure-{fresh.pk}-heading")


@login_required
@require_POST
def retire_measure(request: HttpRequest, measure: int) -> HttpResponse:
    measure = get_measure_for_user(request, measure, write=True)
    version = _posted_version(request)
    if version is None:
        return _definition_page(request, measure, refused=422)
    _, conflict = save_or_conflict(
        request,
        lambda: measure.retire(version=version),
        on_stale=lambda stale: _definition_page(request, stale.current, refused=409),
    )
    if conflict:
        return conflict
    messages.success(request, f"{measure.name} retired: its values are kept, it is no longer shown.")
    return redirect("reports:kpis")


def _definition_conflict(request: HttpRequest, context: dict, stale: StaleVersionError) -> HttpResponse:
    """Show what the user typed at the current version, with what changed since."""
    form = context["form"]
    form.data = posted_again(form.data, stale.current.version)
    return conflict_response(request, "reports/kpi_definition.html", context, stale)


def _grid_window(request: HttpRequest, today: datetime.date) -> tuple[list[datetime.date], int]:
    """Return the grid's periods (newest first) from GET `until` ("YYYY-MM") and `months`, and the months."""
    months = _int_or(request.GET.get("months"), DEFAULT_MONTHS)
    months = months if months in MONTH_CHOICES else DEFAULT_MONTHS
    until = month_end(request.GET.get("until"), default=month_ends(today, 1)[0])
    return periods_ending(until, months), months


def _int_or(text, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


@login_required
@require_http_methods(["GET", "POST"])
def record_grid(request: HttpRequest) -> HttpResponse:
    if not can_record_kpis(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    plans = list(Plan.objects.all())
    plan_form = PlanFilterForm(request.GET if "plan" in request.GET else None, plans=plans)
    chosen = plan_form.chosen
    measures = Measure.objects.current().select_related("plan").order_by("order", "name", "pk")
    if chosen:
        measures = measures.filter(plan=chosen)
    periods, months = _grid_window(request, today)
    page = Paginator(list(measures), GRID_CELLS // months).get_page(page_number(request.GET, "page"))
    grid = Grid(page.object_list, periods, request.POST if request.method == "POST" else None)
    newest = month_ends(today, 1)[0]
    context = {
        "grid": grid,
        "plan_form": plan_form,
        "chosen_plan": chosen,
        "months": months,
        "page": page,
        "month_choices": MONTH_CHOICES,
        "earlier": f"{periods[-1] - datetime.timedelta(days=1):%Y-%m}",
        "later": f"{min(periods[0] + datetime.timedelta(days=31 * months), newest):%Y-%m}"
        if periods[0] < newest
        else None,
        "nav": "overview",
    }
    if request.method == "GET":
        return render(request, "reports/kpi_grid.html", context)
    valid = grid.is_valid()
    # A measure saved by someone else since the grid was loaded refuses the whole grid before any error.
    stale = [row for row in grid.rows if row.is_stale]
    if stale:
        return _grid_conflict(request, grid, stale, context)
    if not valid:
        return render(request, "reports/kpi_grid.html", {**context, "has_errors": True}, status=422)
    changed = grid.changed_rows()

    @transaction.atomic
    def save() -> None:
        for row in changed:
            row.measure.record_values(author=request.user, version=row.version, rows=row.changes())

    def again(error: StaleVersionError) -> HttpResponse:
        # Someone saved between our check and our write: nothing of the grid was written (one transaction).
        refused = [row for row in changed if row.measure.pk == error.current.pk]
        refused[0].measure = error.current
        return _grid_conflict(request, grid, refused, context)

    _, conflict = save_or_conflict(request, save, on_stale=again)
    if conflict:
        return conflict
    figures = sum(len(row.changes()) for row in changed)
    messages.success(
        request,
        f"Saved {figures} figure{'s' if figures != 1 else ''} for {len(changed)} "
        f"measure{'s' if len(changed) != 1 else ''}."
        if changed
        else "Nothing had changed: no figures saved.",
    )
    return redirect(request.get_full_path())


def _grid_conflict(request: HttpRequest, grid: Grid, stale: list, context: dict) -> HttpResponse:
    """Show the grid again with what was typed, say which measures changed and who changed them."""
    ids = [row.measure.pk for row in stale]
    current = {m.pk: m for m in Measure.objects.filter(pk__in=ids)}
    for row in stale:
        row.measure.version = current[row.measure.pk].version
    grid.mark_stale(stale)
    latest: dict[int, MeasureValue] = {}
    for value in (
        MeasureValue.objects.filter(measure_id__in=ids, recorded_at__isnull=False)
        .select_related("recorded_by")
        .order_by("measure_id", "-recorded_at")
    ):
        latest.setdefault(value.measure_id, value)
    edits: dict[int, object] = {}
    for record in Measure.history.filter(id__in=ids).select_related("history_user").order_by("-history_date"):
        edits.setdefault(record.id, record)
    changes = []
    for row in stale:
        value, edit = latest.get(row.measure.pk), edits.get(row.measure.pk)
        if value is not None and (edit is None or value.recorded_at >= edit.history_date):
            who, when = value.recorded_by, value.recorded_at
        elif edit is not None:
            who, when = edit.history_user, edit.history_date
        else:
            who, when = None, None
        changes.append({"row": row, "who": who, "when": when})
    context = {**context, "conflicts": changes, "has_errors": bool(grid.errors)}
    return render(request, "reports/kpi_grid.html", context, status=409)
