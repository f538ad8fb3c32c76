"""Pages a plan lead uses to prepare, approve, publish and withdraw a plan's public progress page.

Nothing here reaches the public until "Publish" freezes the approved words into the page's snapshot.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.models import Measure, Priority
from core.versioning import current_version, save_or_conflict, versioned_edit
from public.access import get_item, get_measure, get_plan, get_priority
from public.forms import MeasureForm, PurposeForm, SummaryForm, VersionOnlyForm, YouSaidWeDidForm
from public.models import PrioritySummary, Publication, PublicMeasure, YouSaidWeDid
from public.reading_age import reading_age_warning

GET_POST = ["GET", "HEAD", "POST"]


@login_required
@require_safe
def plan_page(request: HttpRequest, plan: int) -> HttpResponse:
    plan_obj = get_plan(request, plan)
    items = YouSaidWeDid.objects.filter(retired_at__isnull=True)
    priorities = (
        Priority.objects.filter(plan=plan_obj)
        .select_related("public_summary")
        .prefetch_related(Prefetch("you_said_we_did", queryset=items, to_attr="items"))
    )
    measures = Measure.objects.filter(plan=plan_obj).select_related("public")
    publication = getattr(plan_obj, "publication", None)
    return render(
        request,
        "publishing/plan.html",
        {
            "plan": plan_obj,
            "publication": publication,
            "version": current_version(publication),
            "priorities": priorities,
            "measures": measures,
            "nav": "plans",
        },
    )


@login_required
@require_http_methods(GET_POST)
def purpose(request: HttpRequest, plan: int) -> HttpResponse:
    plan_obj = get_plan(request, plan)
    publication = getattr(plan_obj, "publication", None)
    initial = {"version": current_version(publication), "purpose": publication.purpose if publication else ""}
    form = PurposeForm(request.POST or None, initial=initial)
    context = {"plan": plan_obj, "form": form, "nav": "plans"}
    response = versioned_edit(
        request,
        form,
        template="publishing/purpose.html",
        context=context,
        make_form=lambda data, current: PurposeForm(data),
        save=lambda: Publication.save_at_version(
            {"plan": plan_obj}, form.cleaned_data["version"], {"purpose": form.cleaned_data["purpose"]}
        ),
    )
    if response is not None:
        return response
    messages.success(request, "Purpose saved. It reaches the public page when you next publish.")
    return redirect("publishing:plan", plan=plan_obj.pk)


@login_required
@require_http_methods(GET_POST)
def summary(request: HttpRequest, priority: int) -> HttpResponse:
    priority_obj = get_priority(request, priority)
    current = PrioritySummary.objects.filter(priority=priority_obj).first()
    initial = {"version": current_version(current)}
    if current is not None:
        initial.update(done=current.done, next_steps=current.next_steps)
    form = SummaryForm(request.POST or None, initial=initial)
    context = {"priority": priority_obj, "plan": priority_obj.plan, "form": form, "nav": "plans"}
    if request.method != "POST":
        context["warning"] = reading_age_warning(initial.get("done", ""), initial.get("next_steps", ""))
        return render(request, "publishing/summary.html", context)
    response = versioned_edit(
        request,
        form,
        template="publishing/summary.html",
        context=context,
        make_form=lambda data, current: SummaryForm(data),
        save=lambda: PrioritySummary.save_at_version(
            {"priority": priority_obj},
            form.cleaned_data["version"],
            {"done": form.cleaned_data["done"], "next_steps": form.cleaned_data["next_steps"]},
        ),
    )
    if response is not None:
        return response
    data = form.cleaned_data
    warning = reading_age_warning(data["done"], data["next_steps"])
    if warning:
        messages.warning(request, f"Summary saved, not yet approved. {warning}")
    else:
        messages.success(request, "Summary saved, not yet approved.")
    return redirect(f"{reverse('publishing:plan', args=[priority_obj.plan_id])}#priority-{priority_obj.pk}")


@login_required
@require_POST
def approve_summary(request: HttpRequest, priority: int) -> HttpResponse:
    priority_obj = get_priority(request, priority)
    current = PrioritySummary.objects.filter(priority=priority_obj).first()
    return _act(
        request,
        current,
        lambda version: current.approve(author=request.user, version=version),
        done=f"Summary of priority {priority_obj.number} approved.",
        plan=priority_obj.plan_id,
    )


@login_required
@require_http_methods(GET_POST)
def item_add(request: HttpRequest, priority: int) -> HttpResponse:
    priority_obj = get_priority(request, priority)
    form = YouSaidWeDidForm(request.POST or None, initial={"version": 0})
    context = {"priority": priority_obj, "plan": priority_obj.plan, "form": form, "nav": "plans"}
    if request.method != "POST":
        return render(request, "publishing/item.html", context)
    if not form.is_valid():
        return render(request, "publishing/item.html", context, status=422)
    YouSaidWeDid.objects.create(
        priority=priority_obj, you_said=form.cleaned_data["you_said"], we_did=form.cleaned_data["we_did"]
    )
    messages.success(request, "“You said, we did” added, not yet approved.")
    return redirect("publishing:plan", plan=priority_obj.plan_id)


@login_required
@require_http_methods(GET_POST)
def item_edit(request: HttpRequest, you_said_we_did: int) -> HttpResponse:
    item_obj = get_item(request, you_said_we_did)
    initial = {"version": item_obj.version, "you_said": item_obj.you_said, "we_did": item_obj.we_did}
    form = YouSaidWeDidForm(request.POST or None, initial=initial)
    priority_obj = item_obj.priority
    context = {
        "priority": priority_obj,
        "plan": priority_obj.plan,
        "item": item_obj,
        "form": form,
        "nav": "plans",
    }
    response = versioned_edit(
        request,
        form,
        template="publishing/item.html",
        context=context,
        make_form=lambda data, current: YouSaidWeDidForm(data),
        save=lambda: item_obj.edit(
            version=form.cleaned_data["version"],
            you_said=form.cleaned_data["you_said"],
            we_did=form.cleaned_data["we_did"],
        ),
    )
    if response is not None:
        return response
    messages.success(request, "“You said, we did” saved, not yet approved.")
    return redirect("publishing:plan", plan=priority_obj.plan_id)


@login_required
@require_POST
def item_approve(request: HttpRequest, you_said_we_did: int) -> HttpResponse:
    item_obj = get_item(request, you_said_we_did)
    return _act(
        request,
        item_obj,
        lambda version: item_obj.approve(author=request.user, version=version),
        done="“You said, we did” approved.",
        plan=item_obj.priority.plan_id,
    )


@login_required
@require_POST
def item_retire(request: HttpRequest, you_said_we_did: int) -> HttpResponse:
    item_obj = get_item(request, you_said_we_did)
    return _act(
        request,
        item_obj,
        lambda version: item_obj.retire(version=version),
        done="“You said, we did” retired: it leaves the public page when you next publish.",
        plan=item_obj.priority.plan_id,
    )


@login_required
@require_POST
def measure(request: HttpRequest, measure: int) -> HttpResponse:
    measure_obj = get_measure(request, measure)
    form = MeasureForm(request.POST)
    if not form.is_valid():
        return _incomplete(request, measure_obj.plan_id)
    shown = form.cleaned_data["is_public"]
    _, conflict = save_or_conflict(
        request,
        lambda: PublicMeasure.save_at_version(
            {"measure": measure_obj}, form.cleaned_data["version"], {"is_public": shown}
        ),
        back_to=reverse("publishing:plan", args=[measure_obj.plan_id]),
    )
    if conflict:
        return conflict
    where = "shown on" if shown else "left off"
    messages.success(request, f"“{measure_obj.name}” will be {where} the public page when you next publish.")
    return redirect("publishing:plan", plan=measure_obj.plan_id)


@login_required
@require_http_methods(GET_POST)
def publish(request: HttpRequest, plan: int) -> HttpResponse:
    """A check page saying what will happen, then the publish itself."""
    plan_obj = get_plan(request, plan)
    publication = getattr(plan_obj, "publication", None)
    if request.method != "POST":
        context = {
            "plan": plan_obj,
            "publication": publication,
            "version": current_version(publication),
            "nav": "plans",
        }
        return render(request, "publishing/publish.html", context)
    form = VersionOnlyForm(request.POST)
    if not form.is_valid():
        return _incomplete(request, plan_obj.pk)

    def publish_now() -> None:
        record, version = publication, form.cleaned_data["version"]
        if record is None:
            record = Publication.save_at_version({"plan": plan_obj}, version, {})
            version = record.version
        record.publish(author=request.user, version=version)

    _, conflict = save_or_conflict(
        request, publish_now, back_to=reverse("publishing:plan", args=[plan_obj.pk])
    )
    if conflict:
        return conflict
    messages.success(request, "Published. Families now see the page as it is below.")
    return redirect("publishing:plan", plan=plan_obj.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, plan: int) -> HttpResponse:
    plan_obj = get_plan(request, plan)
    publication = getattr(plan_obj, "publication", None)
    if publication is not None and not publication.is_live:
        publication = None  # nothing to withdraw
    return _act(
        request,
        publication,
        lambda version: publication.withdraw(author=request.user, version=version),
        done="Withdrawn. The public page now says it has been removed.",
        plan=plan_obj.pk,
    )


def _act(request: HttpRequest, record, action, *, done: str, plan: int) -> HttpResponse:
    """Run a one-button action against the version the page showed; say what happened either way."""
    form = VersionOnlyForm(request.POST)
    if not form.is_valid():
        return _incomplete(request, plan)
    if record is None:
        messages.error(request, "There is nothing to do that to. Open the page again.")
        return redirect("publishing:plan", plan=plan)
    _, conflict = save_or_conflict(
        request,
        lambda: action(form.cleaned_data["version"]),
        back_to=reverse("publishing:plan", args=[plan]),
    )
    if conflict:
        return conflict
    messages.success(request, done)
    return redirect("publishing:plan", plan=plan)


def _incomplete(request: HttpRequest, plan: int) -> HttpResponse:
    """A button's form arrived without what the page puts in it (422): nothing was done."""
    return render(request, "publishing/incomplete.html", {"plan_pk": plan, "nav": "plans"}, status=422)
