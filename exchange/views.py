"""Import (upload → map columns → preview → confirm) and export (.xlsx and .csv) pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.access import require_view
from actions.filters import ActionFilter
from actions.models import Action, Plan
from actions.plan_access import require_planner
from exchange import cells, exports, grid_import, kpi_import, plan_import
from exchange.access import check_format, get_upload_for_importer
from exchange.files import read_upload
from exchange.forms import UploadForm
from exchange.models import ImportMapping, ImportUpload
from exchange.writing import download
from inspections.access import require_view as require_inspections_view
from inspections.models import Framework


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    form = UploadForm(request.POST or None, request.FILES or None, initial={"plan": request.GET.get("plan")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        stored = ImportUpload.objects.create(
            kind=kind,
            plan=data["plan"] if kind != ImportUpload.Kind.RAG_GRID else None,
            framework=data["framework"] if kind == ImportUpload.Kind.RAG_GRID else None,
            filename=data["file"].name[:255],
            content=form.data_bytes,
            uploaded_by=request.user,
        )
        return redirect("exchange:preview", upload=stored.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "exchange/upload.html", {"form": form, "nav": "import"}, status=status)


def _remembered(request: HttpRequest, stored: ImportUpload) -> dict:
    saved = ImportMapping.objects.filter(user=request.user, key=stored.mapping_key).first()
    return saved.mapping if saved else {}


def _number(value, low: int, high: int) -> int | None:
    """Return a whole number from a form or a stored mapping when it is within [low, high], else None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _layout(source, remembered: dict) -> plan_import.Layout:
    """Return the header row, priority name and year chosen on the preview, else the remembered ones."""
    chosen = source if source.get("mapped") else remembered
    return plan_import.Layout(
        header_row=_number(chosen.get("header_row"), 0, 9),
        priority_name=str(chosen.get("priority_name") or "").strip()[:300],
        year=_number(chosen.get("year"), 2000, 2100),
    )


def _plan_context(request: HttpRequest, stored: ImportUpload, source) -> dict:
    """Build the action plan preview from the submitted mapping, else the remembered one, else a guess."""
    sheets = read_upload(stored.filename, bytes(stored.content))
    remembered = _remembered(request, stored)
    layout = _layout(source, remembered)
    header_row = plan_import.header_index(sheets[0], layout)
    headers = [cells.text(value) for value in sheets[0].rows[header_row]]
    # A new header row makes the columns chosen for the old one meaningless: guess them again.
    same_header = str(header_row) == source.get("shown_header_row", str(header_row))
    if source.get("mapped") and same_header:
        mapping = plan_import.clean_mapping(
            {k: source.get(f"col-{k}", "") for k in plan_import.COLUMN_LABELS}, headers
        )
    else:
        mapping = plan_import.guess_mapping(headers)
        remembered_columns = plan_import.clean_mapping(remembered, headers)
        mapping.update({key: index for key, index in remembered_columns.items() if index is not None})
    choices = {key: value for key, value in source.items() if key.startswith("lead-")}
    preview = plan_import.build_preview(
        stored.plan, sheets, mapping, choices, filename=stored.filename, layout=layout
    )
    columns = [
        {
            "key": column.key,
            "label": column.label,
            "required": column.required,
            "selected": mapping.get(column.key),
        }
        for column in plan_import.COLUMNS
    ]
    leads = [
        {"key": key, "name": name, "organisation": organisation, "selected": choices.get(key, "new")}
        for key, name, organisation in preview.unknown_leads
    ]
    saved = {key: headers[index] for key, index in mapping.items() if index is not None}
    saved.update(header_row=header_row, priority_name=layout.priority_name, year=layout.year)
    return {
        "preview": preview,
        "columns": columns,
        "headers": list(enumerate(headers)),
        "leads": leads,
        "layout": layout,
        "mapping": saved,
    }


def _grid_context(request: HttpRequest, stored: ImportUpload, source) -> dict:
    sheet = read_upload(stored.filename, bytes(stored.content))[0]
    headers = sheet.headers
    if source.get("mapped"):
        mapping = grid_import.clean_mapping(
            {"code": source.get("col-code", ""), "rounds": source.getlist("col-rounds")}, headers
        )
    else:
        mapping = grid_import.guess_mapping(headers)
        remembered = grid_import.clean_mapping(_remembered(request, stored), headers)
        if remembered["code"] is not None:
            mapping = remembered
    preview = grid_import.build_preview(stored.framework, sheet, mapping)
    return {
        "preview": preview,
        "headers": list(enumerate(headers)),
        "code_column": mapping["code"],
        "round_columns": mapping["rounds"],
        "mapping": {
            "code": headers[mapping["code"]] if mapping["code"] is not None else "",
            "rounds": [headers[i] for i in mapping["rounds"]],
        },
    }


def _kpi_context(request: HttpRequest, stored: ImportUpload, source) -> dict:
    sheet = read_upload(stored.filename, bytes(stored.content))[0]
    headers = sheet.headers
    keys = kpi_import.KPI_COLUMNS
    if source.get("mapped"):
        mapping = {key: _number(source.get(f"col-{key}"), 0, len(headers) - 1) for key in keys}
    else:
        mapping = kpi_import.guess_mapping(headers)
        remembered = _remembered(request, stored)
        mapping.update(
            {key: headers.index(name) for key, name in remembered.items() if name in headers and name}
        )
    preview = kpi_import.build_preview(stored.plan, sheet, mapping)
    columns = [
        {"key": key, "label": key.replace("_", " ").capitalize(), "selected": mapping.get(key)}
        for key in keys
    ]
    return {
        "preview": preview,
        "columns": columns,
        "headers": list(enumerate(headers)),
        "mapping": {key: headers[index] for key, index in mapping.items() if index is not None},
    }


BUILDERS = {
    ImportUpload.Kind.ACTION_PLAN: _plan_context,
    ImportUpload.Kind.RAG_GRID: _grid_context,
    ImportUpload.Kind.KPI_SHEET: _kpi_context,
}


def _context(request: HttpRequest, stored: ImportUpload, source) -> dict:
    return {"upload": stored, "nav": "import", **BUILDERS[stored.kind](request, stored, source)}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preview(request: HttpRequest, upload: int) -> HttpResponse:
    """The preview; "Update the preview" posts the form here (a POST, so its CSRF token stays out of URLs)."""
    stored = get_upload_for_importer(request, upload)
    source = request.POST if request.method == "POST" else request.GET
    return render(request, _template(stored), _context(request, stored, source))


def _template(stored: ImportUpload) -> str:
    names = {ImportUpload.Kind.ACTION_PLAN: "plan", ImportUpload.Kind.KPI_SHEET: "kpi"}
    return f"exchange/preview_{names.get(stored.kind, 'grid')}.html"


class _AlreadyImported(Exception):
    pass


@login_required
@require_POST
def confirm(request: HttpRequest, upload: int) -> HttpResponse:
    stored = get_upload_for_importer(request, upload)
    if stored.imported_at is not None:
        return _already_imported(request, stored)
    context = _context(request, stored, request.POST)
    preview = context["preview"]
    if preview.problems:
        return render(request, _template(stored), context, status=422)
    try:
        with transaction.atomic():
            # Claimed first, in the import's own transaction: of simultaneous confirms one imports, the others
            # wait here and are refused; an import that fails releases the claim with everything else.
            if not stored.claim_import():
                raise _AlreadyImported
            if stored.kind == ImportUpload.Kind.ACTION_PLAN:
                done = plan_import.apply_preview(preview, author=request.user)
                summary = (
                    f"Imported {stored.filename}: {done['created']} actions created, {done['updated']} "
                    f"updated, {done['logged']} past updates recorded."
                )
                target = reverse("plans:detail", args=[stored.plan_id])
            elif stored.kind == ImportUpload.Kind.KPI_SHEET:
                done = kpi_import.apply_preview(preview, author=request.user)
                summary = (
                    f"Imported {stored.filename}: {done['created']} measures created, {done['updated']} "
                    f"updated, {done['values']} values recorded."
                )
                target = f"{reverse('reports:kpis')}?plan={stored.plan_id}"
            else:
                saved = grid_import.apply_preview(preview, author=request.user)
                summary = f"Imported {stored.filename}: {saved} ratings saved."
                target = f"{reverse('inspections:matrix')}?framework={stored.framework_id}"
            ImportMapping.objects.update_or_create(
                user=request.user, key=stored.mapping_key, defaults={"mapping": context["mapping"]}
            )
    except _AlreadyImported:
        stored.refresh_from_db()
        return _already_imported(request, stored)
    except plan_import.ImportAborted as error:
        stored.imported_at = None
        context["aborted"] = str(error)
        return render(request, _template(stored), context, status=409)
    messages.success(request, summary)
    return redirect(target)


def _already_imported(request: HttpRequest, stored: ImportUpload) -> HttpResponse:
    messages.error(request, "This file has already been imported. Upload it again to import it again.")
    return render(request, _template(stored), _context(request, stored, request.POST), status=409)


@login_required
@require_safe
def export_actions(request: HttpRequest, fmt: str) -> HttpResponse:
    """The actions table as filtered on its page (the same query string)."""
    require_view(request)
    check_format(fmt)
    queryset = Action.objects.for_table()
    action_filter = ActionFilter(request.GET, queryset=queryset, request=request)
    actions = list(
        (action_filter.qs if action_filter.is_valid() else queryset.none()).order_by(
            "plan__title", "priority__order", "order", "reference"
        )
    )
    table = exports.action_table(actions, latest_notes=exports.latest_notes(actions))
    return download([table], filename="actions", fmt=fmt)


@login_required
@require_safe
def export_plan(request: HttpRequest, plan: int, fmt: str) -> HttpResponse:
    """A plan's actions, and in .xlsx its update log as a second sheet (it imports back with its history)."""
    require_view(request)
    check_format(fmt)
    plan = get_object_or_404(Plan, pk=plan)
    return download(exports.plan_tables(plan), filename=f"plan-{plan.pk}", fmt=fmt)


@login_required
@require_safe
def export_matrix(request: HttpRequest, fmt: str) -> HttpResponse:
    require_inspections_view(request)
    check_format(fmt)
    chosen = _int(request.GET.get("framework"))
    # Like the matrix page: the framework asked for, else the one rated most recently.
    frameworks = (
        Framework.objects.filter(pk=chosen)
        if chosen
        else Framework.objects.order_by(F("assessments__assessed_on").desc(nulls_last=True), "-year")
    )
    framework = frameworks.first()
    if framework is None:
        raise Http404("No such framework")
    return download([exports.matrix_table(framework)], filename=f"rag-matrix-{framework.pk}", fmt=fmt)


@login_required
@require_safe
def export_kpis(request: HttpRequest, fmt: str) -> HttpResponse:
    require_view(request)
    check_format(fmt)
    return download([exports.kpi_table()], filename="kpi-values", fmt=fmt)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
