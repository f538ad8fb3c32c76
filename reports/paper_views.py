"""Committee paper pages: the list, the preview (live for a draft, frozen for a published version), PDFs,
publishing and corrections. Every write goes through a CommitteePaper method with its version check."""

from __future__ import annotations

import functools
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.db.models.fields.json import KT
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.versioning import StaleVersionError, save_or_conflict
from reports.models import (
    Appendix,
    BackgroundPaper,
    CommitteePaper,
    Implication,
    PaperFrozenError,
    PaperRuleError,
    PdfIntegrityError,
    PublishedVersion,
    Section,
    SignOff,
)
from reports.paper_forms import (
    AddSectionForm,
    AppendixForm,
    BackgroundPaperForm,
    CorrectionForm,
    CoverForm,
    ImplicationForm,
    NewPaperForm,
    PartChangeForm,
    PartsForm,
    SignOffForm,
    SignOffNeedForm,
    VersionForm,
)
from reports.papers import starters
from reports.papers.access import can_write, get_paper_for_user, require_view, visible_papers
from reports.papers.render import paper_context, render_paper_pdf
from reports.papers.snapshot import build_snapshot, with_parts
from reports.template_forms import SaveAsTemplateForm

logger = logging.getLogger(__name__)


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(data))
    return response


def _filename(paper: CommitteePaper, suffix: str, title: str | None = None) -> str:
    """Return the PDF's download name: meeting date, title (a version's own, if given) and `suffix`."""
    title = paper.title if title is None else title
    return f"{paper.meeting_date:%Y-%m-%d}-{slugify(title)[:60] or 'paper'}-{suffix}.pdf"


@login_required
@require_GET
def paper_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    papers = (
        visible_papers(request.user)
        .with_published_title()
        .select_related("committee")
        .annotate(version_count=Count("versions", distinct=True), latest_version=Max("versions__number"))
        .order_by("-meeting_date", "title")
    )
    return render(
        request,
        "papers/list.html",
        {"papers": papers, "can_write": can_write(request.user), "nav": "papers"},
    )


def _versions(paper: CommitteePaper) -> list[PublishedVersion]:
    """Return the published versions, each with `title`: its own, not a correction's draft title."""
    versions = paper.versions.select_related("published_by").defer("snapshot").order_by("-number")
    return list(versions.annotate(title=KT("snapshot__cover__title")))


def _detail(
    request: HttpRequest,
    paper: CommitteePaper,
    *,
    status: int = 200,
    problem: str = "",
    correction_form: CorrectionForm | None = None,
) -> HttpResponse:
    """Render the paper page: a writer sees the live draft, a reader the latest published version."""
    writer = can_write(request.user)
    versions = _versions(paper)
    if writer and not paper.is_published:
        snapshot = build_snapshot(with_parts(paper), read=False)  # its sign-offs are read below too
        showing = None
    else:
        showing = versions[0] if versions else None
        if showing is None:
            raise Http404
        snapshot = PublishedVersion.objects.values_list("snapshot", flat=True).get(pk=showing.pk)
    context = paper_context(
        snapshot,
        paper_obj=paper,
        versions=versions,
        showing=showing,
        can_write=writer,
        unsigned=[s.role for s in paper.unsigned_required()] if writer and not paper.is_published else [],
        problem=problem,
        correction_form=correction_form or CorrectionForm(initial={"version": paper.version}),
        nav="papers",
    )
    return render(request, "papers/detail.html", context, status=status)


@login_required
@require_GET
def paper_detail(request: HttpRequest, paper: int) -> HttpResponse:
    return _detail(request, get_paper_for_user(request, paper))


@login_required
@require_GET
def draft_pdf(request: HttpRequest, paper: int) -> HttpResponse:
    paper_obj = get_paper_for_user(request, paper, write=True)
    rendered = render_paper_pdf(build_snapshot(paper_obj), attachments=paper_obj.pdf_attachments())
    return pdf_response(rendered.data, _filename(paper_obj, "draft"))


def _version(request: HttpRequest, paper: int, number: int) -> tuple[CommitteePaper, PublishedVersion]:
    paper_obj = get_paper_for_user(request, paper)
    versions = PublishedVersion.objects.select_related("published_by")
    return paper_obj, get_object_or_404(versions, paper=paper_obj, number=number)


@login_required
@require_GET
def version_detail(request: HttpRequest, paper: int, number: int) -> HttpResponse:
    paper_obj, version = _version(request, paper, number)
    context = paper_context(
        version.snapshot,
        paper_obj=paper_obj,
        versions=_versions(paper_obj),
        showing=version,
        can_write=False,
        nav="papers",
    )
    return render(request, "papers/version.html", context)


@login_required
@require_GET
def version_pdf(request: HttpRequest, paper: int, number: int) -> HttpResponse:
    paper_obj, version = _version(request, paper, number)
    try:
        data = version.read_verified_pdf()
    except (PdfIntegrityError, FileNotFoundError):
        logger.error("Published PDF of paper %s version %s failed its checksum", paper_obj.pk, number)
        context = {"paper": paper_obj, "version": version}
        html = render_to_string("papers/integrity_error.html", context, request)
        return HttpResponse(html, status=500)
    title = version.snapshot["cover"]["title"]  # the version's own, never a correction's draft title
    return pdf_response(data, _filename(paper_obj, f"v{version.number}", title))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request: HttpRequest, paper: int) -> HttpResponse:
    """Publish the paper as its next version, after a check page (GET) saying what that does."""
    paper_obj = get_paper_for_user(request, paper, write=True)
    if request.method != "POST":
        if paper_obj.is_published or paper_obj.unsigned_required():
            return redirect("papers:detail", paper=paper_obj.pk)
        number = paper_obj.versions.count() + 1
        check = {
            "caption": paper_obj.title,
            "title": f"Publish version {number}",
            "paragraphs": [
                f"Publishing stores this paper's PDF and the data it shows as version {number}. Later"
                " changes to actions, ratings or KPIs never change it, and scrutiny members can read it.",
            ],
            "warning": "A published version cannot be taken back: a mistake is put right by a correction, "
            "published as a new version beside this one.",
            "action": request.path,
            "fields": {"version": paper_obj.version},
            "button": f"Publish version {number}",
            "cancel_url": reverse("papers:detail", kwargs={"paper": paper_obj.pk}),
        }
        return render(request, "check.html", {"check": check, "nav": "papers"})
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _detail(request, paper_obj, status=422, problem="The form was incomplete: reload the page.")
    try:
        published, conflict = save_or_conflict(
            request,
            lambda: paper_obj.publish(by=request.user, version=form.cleaned_data["version"]),
            on_stale=functools.partial(_stale_detail, request),
        )
    except PaperFrozenError:
        return _detail(request, paper_obj, status=409, problem="This paper is already published.")
    except PaperRuleError as error:
        return _detail(request, paper_obj, status=422, problem=str(error))
    if conflict:
        return conflict
    messages.success(request, f"Published version {published.number}: the PDF and its data are frozen.")
    return redirect("papers:detail", paper=paper_obj.pk)


def _stale_detail(request: HttpRequest, error: StaleVersionError) -> HttpResponse:
    """Show the paper as it is now, with the conflict message (409)."""
    problem = "Someone else changed this paper since you opened it. Check the paper below, then try again."
    return _detail(request, error.current, status=409, problem=problem)


@login_required
@require_POST
def open_correction(request: HttpRequest, paper: int) -> HttpResponse:
    paper_obj = get_paper_for_user(request, paper, write=True)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _detail(request, paper_obj, status=422, correction_form=form)
    try:
        _, conflict = save_or_conflict(
            request,
            lambda: paper_obj.open_correction(
                by=request.user, version=form.cleaned_data["version"], reason=form.cleaned_data["reason"]
            ),
            on_stale=functools.partial(_stale_detail, request),
        )
    except PaperRuleError as error:
        return _detail(request, paper_obj, status=422, problem=str(error))
    if conflict:
        return conflict
    messages.success(
        request,
        "Correction opened: edit the draft and publish it as a new version. "
        "The published versions stay as they are.",
    )
    return redirect("papers:detail", paper=paper_obj.pk)


@login_required
@require_http_methods(["GET", "POST"])
def create_paper(request: HttpRequest) -> HttpResponse:
    require_view(request)
    if not can_write(request.user):
        raise PermissionDenied
    form = NewPaperForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cover = {name: value for name, value in form.cleaned_data.items() if name != "starter"}
        paper = starters.create_paper(form.cleaned_data["starter"], by=request.user, **cover)
        messages.success(request, "Paper created. Write its sections, then ask the reviewers to sign it off.")
        return redirect("papers:edit", paper=paper.pk)
    status = 422 if form.errors else 200
    return render(request, "papers/create.html", {"form": form, "nav": "papers"}, status=status)


def _edit_page(
    request: HttpRequest,
    paper: CommitteePaper,
    cover: CoverForm,
    parts: PartsForm,
    status: int = 200,
    appendix_form: AppendixForm | None = None,
) -> HttpResponse:
    sign_offs = list(paper.sign_offs.all())
    for row in sign_offs:
        row.form = SignOffForm(initial={"version": paper.version, "name": row.name}, prefix=f"s{row.pk}")
    context = {
        "paper_obj": paper,
        "cover_form": cover,
        "parts_form": parts,
        "sign_offs": sign_offs,
        "appendix_form": appendix_form or AppendixForm(initial={"version": paper.version}, prefix="appendix"),
        "stale": status == 409,
        "nav": "papers",
    }
    return render(request, "papers/edit.html", context, status=status)


def _stale_edit(request: HttpRequest, error: StaleVersionError) -> HttpResponse:
    """Show the edit page as the paper is now, with the conflict message (409)."""
    fresh = CommitteePaper.objects.get(pk=error.current.pk)
    return _edit_page(request, fresh, *_forms_for(fresh), status=409)


def _forms_for(paper: CommitteePaper, data=None, *, which: str = "") -> tuple[CoverForm, PartsForm]:
    initial = {"version": paper.version}
    cover = CoverForm(data if which == "cover" else None, instance=paper, initial=initial)
    parts = PartsForm(data if which == "parts" else None, paper=paper, initial=initial)
    return cover, parts


@login_required
@require_http_methods(["GET", "POST"])
def edit_paper(request: HttpRequest, paper: int) -> HttpResponse:
    paper_obj = get_paper_for_user(request, paper, write=True)
    if paper_obj.is_published:
        messages.error(request, "A published paper cannot be edited: open a correction first.")
        return redirect("papers:detail", paper=paper_obj.pk)
    if request.method == "GET":
        return _edit_page(request, paper_obj, *_forms_for(paper_obj))
    which = "parts" if "parts" in request.POST else "cover"
    cover, parts = _forms_for(CommitteePaper.objects.get(pk=paper_obj.pk), request.POST, which=which)
    form = parts if which == "parts" else cover
    if not form.is_valid():
        return _edit_page(request, paper_obj, cover, parts, status=422)
    version = form.cleaned_data["version"]

    def save() -> None:
        if which == "parts":
            paper_obj.edit_parts(
                by=request.user,
                version=version,
                sections=parts.by_pk("section_"),
                recommendations=parts.by_pk("recommendation_"),
                new_recommendation=parts.cleaned_data["new_recommendation"],
            )
        else:
            fields = {name: cover.cleaned_data[name] for name in cover.Meta.fields}
            paper_obj.edit(by=request.user, version=version, **fields)

    try:
        _, conflict = save_or_conflict(request, save, on_stale=functools.partial(_stale_edit, request))
    except PaperFrozenError:
        return redirect("papers:detail", paper=paper_obj.pk)
    if conflict:
        return conflict
    messages.success(request, "Saved.")
    return redirect("papers:edit", paper=paper_obj.pk)


@login_required
@require_POST
def sign_off(request: HttpRequest, paper: int, sign_off: int) -> HttpResponse:
    paper_obj = get_paper_for_user(request, paper, write=True)
    row = get_object_or_404(SignOff, pk=sign_off, paper=paper_obj)
    if paper_obj.is_published:
        messages.error(request, "A published paper cannot be signed again: open a correction first.")
        return redirect("papers:detail", paper=paper_obj.pk)
    form = SignOffForm(request.POST, prefix=f"s{row.pk}")
    if not form.is_valid():
        messages.error(request, f"{row.role} sign-off: give a name and a valid date.")
        return redirect("papers:edit", paper=paper_obj.pk)
    try:
        _, conflict = save_or_conflict(
            request,
            lambda: paper_obj.sign(
                row,
                by=request.user,
                version=form.cleaned_data["version"],
                name=form.cleaned_data["name"],
                signed_on=form.cleaned_data["signed_on"],
            ),
            on_stale=functools.partial(_stale_edit, request),
        )
    except PaperFrozenError:
        return redirect("papers:detail", paper=paper_obj.pk)
    if conflict:
        return conflict
    messages.success(request, f"{row.role} sign-off recorded.")
    return redirect("papers:edit", paper=paper_obj.pk)


@login_required
@require_POST
def add_appendix(request: HttpRequest, paper: int) -> HttpResponse:
    paper_obj = get_paper_for_user(request, paper, write=True)
    if paper_obj.is_published:
        messages.error(request, "A published paper cannot be changed: open a correction first.")
        return redirect("papers:detail", paper=paper_obj.pk)
    form = AppendixForm(request.POST, request.FILES, prefix="appendix")
    if not form.is_valid():
        return _edit_page(request, paper_obj, *_forms_for(paper_obj), status=422, appendix_form=form)
    fields = {name: form.cleaned_data[name] for name in AppendixForm.Meta.fields}
    _, conflict = save_or_conflict(
        request,
        lambda: paper_obj.add_appendix(
            by=request.user,
            version=form.cleaned_data["version"],
            document=form.cleaned_data.get("document"),
            **fields,
        ),
        on_stale=functools.partial(_stale_edit, request),
    )
    if conflict:
        return conflict
    removed = getattr(form, "removed_from_document", [])
    if removed:
        messages.info(
            request,
            "For safety, removed from the uploaded PDF: " + ", ".join(dict.fromkeys(removed)) + ". Its pages "
            "and web links are kept.",
        )
    messages.success(request, "Appendix added.")
    return redirect("papers:edit", paper=paper_obj.pk)


# The parts the edit page changes one at a time, by the name their URL uses.
PART_MODELS = {
    "section": Section,
    "appendix": Appendix,
    "background": BackgroundPaper,
    "implication": Implication,
}


def draft_only(view):
    """Give the view the draft paper (writers only); a published paper sends the writer back to it."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, paper: int, **kwargs) -> HttpResponse:
        paper_obj = get_paper_for_user(request, paper, write=True)
        if paper_obj.is_published:
            messages.error(request, "A published paper cannot be changed: open a correction first.")
            return redirect("papers:detail", paper=paper_obj.pk)
        return view(request, paper_obj, **kwargs)

    return wrapper


def _structure_page(request: HttpRequest, paper: CommitteePaper, status: int = 200) -> HttpResponse:
    """The paper's sections, implications, background papers and appendices, each changed on its own."""
    implications = list(paper.implications.all())
    present = {implication.kind for implication in implications}
    missing = [(kind, label) for kind, label in Implication.Kind.choices if kind not in present]
    implication_form = ImplicationForm(initial={"version": paper.version}, prefix="implication")
    implication_form.fields["kind"].choices = missing
    context = {
        "paper_obj": paper,
        "sections": list(paper.sections.all()),
        "implications": implications,
        "implication_form": implication_form,
        "missing_implications": missing,
        "background_papers": list(paper.background_papers.all()),
        "background_form": BackgroundPaperForm(initial={"version": paper.version}, prefix="background"),
        "appendices": list(paper.appendices.select_related("plan", "framework")),
        "section_form": AddSectionForm(initial={"version": paper.version}, prefix="section"),
        "sign_offs": [
            (
                row,
                SignOffNeedForm(initial={"version": paper.version, "need": row.need}, prefix=f"need{row.pk}"),
            )
            for row in paper.sign_offs.all()
        ],
        "template_form": SaveAsTemplateForm(),
        "stale": status == 409,
        "nav": "papers",
    }
    return render(request, "papers/structure.html", context, status=status)


@login_required
@require_GET
@draft_only
def paper_structure(request: HttpRequest, paper_obj: CommitteePaper) -> HttpResponse:
    return _structure_page(request, paper_obj)


def _part_change(request: HttpRequest, paper_obj: CommitteePaper, part, form) -> str:
    """Apply one change to a part through the paper's methods; return the message to show."""
    data, version, user = form.cleaned_data, form.cleaned_data["version"], request.user
    action = data.get("action", "save")
    if action in ("up", "down"):
        paper_obj.move_part(part, by=user, version=version, step=-1 if action == "up" else 1)
        return f"Moved {action}: {part}."
    if action == "remove":
        paper_obj.archive_part(part, by=user, version=version)
        return f"Removed from the paper: {part}. It is kept in the paper's history."
    if action == "rename":
        paper_obj.rename_part(part, by=user, version=version, name=data["name"])
        return "Renamed."
    if isinstance(part, BackgroundPaper):
        paper_obj.save_background_paper(
            by=user, version=version, background=part, title=data["title"], location=data["location"]
        )
    else:
        fields = {name: data[name] for name in ("body", "verified_by_name", "verified_by_title")}
        paper_obj.save_implication(by=user, version=version, implication=part, **fields)
    return "Saved."


@login_required
@require_POST
@draft_only
def change_part(request: HttpRequest, paper_obj: CommitteePaper, kind: str, part: int) -> HttpResponse:
    """Rename, move, remove or save one part of a draft paper (the buttons beside each on the edit page)."""
    model = PART_MODELS.get(kind)
    if model is None:
        raise Http404
    part_obj = get_object_or_404(model.objects, pk=part, paper=paper_obj)
    action = request.POST.get("action", "save")
    if action == "save" and kind == "background":
        form = BackgroundPaperForm(request.POST)
    elif action == "save" and kind == "implication":
        form = ImplicationForm(request.POST)
    else:
        form = PartChangeForm(request.POST)
    return _apply(request, paper_obj, form, lambda: _part_change(request, paper_obj, part_obj, form))


def _apply(request: HttpRequest, paper_obj: CommitteePaper, form, change) -> HttpResponse:
    """Run a valid form's change: a stale version shows the conflict (409), a broken rule a message."""
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label or name}: {' '.join(errors)}"
            for name, errors in form.errors.items()
            if name in form.fields
        )
        messages.error(request, f"Not saved. {problems or 'Reload the page and try again.'}")
        return redirect("papers:structure", paper=paper_obj.pk)
    try:
        message, conflict = save_or_conflict(
            request,
            change,
            on_stale=lambda error: _structure_page(
                request, CommitteePaper.objects.get(pk=error.current.pk), status=409
            ),
        )
    except (PaperRuleError, ValidationError) as error:
        detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, f"Not saved. {detail}")
        return redirect("papers:structure", paper=paper_obj.pk)
    if conflict:
        return conflict
    messages.success(request, message)
    return redirect("papers:structure", paper=paper_obj.pk)


@login_required
@require_POST
@draft_only
def add_background_paper(request: HttpRequest, paper_obj: CommitteePaper) -> HttpResponse:
    form = BackgroundPaperForm(request.POST, prefix="background")

    def change() -> str:
        data = form.cleaned_data
        paper_obj.save_background_paper(
            by=request.user, version=data["version"], title=data["title"], location=data["location"]
        )
        return "Background paper added."

    return _apply(request, paper_obj, form, change)


@login_required
@require_POST
@draft_only
def add_implication(request: HttpRequest, paper_obj: CommitteePaper) -> HttpResponse:
    form = ImplicationForm(request.POST, prefix="implication")
    form.fields["kind"].required = True

    def change() -> str:
        data = form.cleaned_data
        fields = {name: data[name] for name in ("body", "verified_by_name", "verified_by_title")}
        paper_obj.save_implication(by=request.user, version=data["version"], kind=data["kind"], **fields)
        return "Implications added."

    return _apply(request, paper_obj, form, change)


@login_required
@require_POST
@draft_only
def add_section(request: HttpRequest, paper_obj: CommitteePaper) -> HttpResponse:
    form = AddSectionForm(request.POST, prefix="section")

    def change() -> str:
        data = form.cleaned_data
        paper_obj.add_section(by=request.user, version=data["version"], heading=data["heading"])
        return "Section added at the end of the body: move it where it belongs."

    return _apply(request, paper_obj, form, change)


@login_required
@require_POST
@draft_only
def sign_off_need(request: HttpRequest, paper_obj: CommitteePaper, sign_off: int) -> HttpResponse:
    """Make one sign-off required, not required or not applicable for this paper."""
    row = get_object_or_404(SignOff, pk=sign_off, paper=paper_obj)
    form = SignOffNeedForm(request.POST, prefix=f"need{row.pk}")

    def change() -> str:
        data = form.cleaned_data
        paper_obj.set_sign_off_need(row, by=request.user, version=data["version"], need=data["need"])
        return f"{row.role} sign-off: {SignOff.Need(data['need']).label.lower()}."

    return _apply(request, paper_obj, form, change)
