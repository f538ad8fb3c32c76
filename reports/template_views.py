"""Paper templates edited in the app by plan leads and administrators: start one from a shipped template or
from a paper, then change its style, sections and sign-offs. Every save goes through
PaperTemplate.edit_layout with the version check; a stale save shows the 409 page with what changed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.versioning import StaleVersionError, conflict_response, save_or_conflict
from reports.models import PaperTemplate
from reports.papers.access import get_paper_for_user
from reports.template_forms import SaveAsTemplateForm, StartTemplateForm, TemplateForm, row_formsets

EDIT_TEMPLATE = "reports.change_papertemplate"


def require_template_writer(request: HttpRequest) -> None:
    """Plan leads and administrators edit templates; everyone else is refused."""
    if not request.user.has_perm(EDIT_TEMPLATE):
        raise PermissionDenied


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    require_template_writer(request)
    templates = PaperTemplate.objects.filter(archived_at__isnull=True)
    context = {"templates": templates, "start_form": StartTemplateForm(), "nav": "papers"}
    return render(request, "papers/templates/list.html", context)


@login_required
@require_POST
def start_template(request: HttpRequest) -> HttpResponse:
    require_template_writer(request)
    form = StartTemplateForm(request.POST)
    if not form.is_valid():
        templates = PaperTemplate.objects.filter(archived_at__isnull=True)
        context = {"templates": templates, "start_form": form, "nav": "papers"}
        return render(request, "papers/templates/list.html", context, status=422)
    data = form.cleaned_data
    template = PaperTemplate.start_from(data["source"], by=request.user, name=data["name"])
    messages.success(
        request, f"Template “{template.name}” made from “{data['source'].name}”: change it below."
    )
    return redirect("papers:template", template=template.pk)


def _edit_page(request, template, form, sections, sign_offs, status=200, error=None) -> HttpResponse:
    context = {
        "template_obj": template,
        "form": form,
        "sections": sections,
        "sign_offs": sign_offs,
        "nav": "papers",
    }
    if error is not None:
        return conflict_response(request, "papers/templates/edit.html", context, error)
    return render(request, "papers/templates/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_template(request: HttpRequest, template: int) -> HttpResponse:
    require_template_writer(request)
    template_obj = get_object_or_404(PaperTemplate, pk=template, archived_at__isnull=True)
    if request.method == "GET":
        return _edit_page(
            request, template_obj, TemplateForm(instance=template_obj), *row_formsets(template_obj)
        )
    form = TemplateForm(request.POST, instance=PaperTemplate.objects.get(pk=template_obj.pk))
    sections, sign_offs = row_formsets(template_obj, request.POST)
    if not (form.is_valid() and sections.is_valid() and sign_offs.is_valid()):
        return _edit_page(request, template_obj, form, sections, sign_offs, status=422)

    def again(error: StaleVersionError) -> HttpResponse:
        fresh = error.current
        return _edit_page(request, fresh, TemplateForm(instance=fresh), *row_formsets(fresh), error=error)

    try:
        _, conflict = save_or_conflict(
            request,
            lambda: template_obj.edit_layout(
                by=request.user,
                version=form.cleaned_data["version"],
                fields={name: form.cleaned_data[name] for name in PaperTemplate.EDITABLE_FIELDS},
                sections=sections.rows(),
                sign_offs=sign_offs.rows(),
            ),
            on_stale=again,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _edit_page(request, template_obj, form, sections, sign_offs, status=422)
    if conflict:
        return conflict
    messages.success(request, "Template saved. Papers made from it from now on follow it.")
    return redirect("papers:template", template=template_obj.pk)


@login_required
@require_POST
def save_as_template(request: HttpRequest, paper: int) -> HttpResponse:
    require_template_writer(request)
    paper_obj = get_paper_for_user(request, paper, write=True)
    form = SaveAsTemplateForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Not saved as a template. {' '.join(form.errors.get('name', []))}")
        return redirect("papers:structure", paper=paper_obj.pk)
    template = PaperTemplate.from_paper(paper_obj, by=request.user, name=form.cleaned_data["name"])
    messages.success(request, f"Template “{template.name}” made from this paper.")
    return redirect("papers:template", template=template.pk)
