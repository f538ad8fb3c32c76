"""A person's page, and an administrator giving that person a sign-in with a role (outside the admin).

Plan leads see people and add them; only administrators give sign-ins, because choosing a role is choosing
what someone may do (a plan lead could otherwise make anyone an administrator).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from accounts.views import send_password_reset
from actions.models import Action, Person
from actions.plan_access import require_planner
from actions.plan_forms import PersonSignInForm
from actions.plan_views import GET_POST
from core.versioning import unsaved_form

GIVE_SIGN_INS = "send_tracker.add_user"
INVITATION_EMAIL = "account/invitation_email.txt"
INVITATION_SUBJECT = "account/invitation_subject.txt"


def can_give_sign_ins(user) -> bool:
    return user.is_authenticated and user.has_perm(GIVE_SIGN_INS)


def _person(request: HttpRequest, pk: int) -> Person:
    """Return the person with what their page shows, or 404; PermissionDenied unless a planner."""
    require_planner(request)
    live = (
        Action.objects.filter(archived_at__isnull=True).select_related("plan").order_by("plan", "reference")
    )
    return get_object_or_404(
        Person.objects.select_related("organisation", "user").prefetch_related(
            Prefetch("actions_led", queryset=live, to_attr="live_actions_led"),
            Prefetch("actions_accountable_for", queryset=live, to_attr="live_actions_accountable_for"),
            "user__groups",
        ),
        pk=pk,
    )


@login_required
@require_safe
def person_detail(request: HttpRequest, person: int) -> HttpResponse:
    person = _person(request, person)
    context = {"person": person, "can_give_sign_in": can_give_sign_ins(request.user), "nav": "plans"}
    return render(request, "plans/person_detail.html", context)


@sensitive_post_parameters()
@login_required
@require_http_methods(GET_POST)
def person_sign_in(request: HttpRequest, person: int) -> HttpResponse:
    person = _person(request, person)
    if not can_give_sign_ins(request.user):
        raise PermissionDenied("Only an administrator gives people a sign-in.")
    if person.user_id is not None:
        messages.info(request, f"{person.name} already signs in as {person.user.username}.")
        return redirect("plans:person-detail", person=person.pk)
    form = PersonSignInForm(request.POST or None, person=person)
    context = {"person": person, "form": form, "nav": "plans"}
    response = unsaved_form(request, form, "plans/person_sign_in.html", context)
    if response is not None:
        return response
    try:
        user = person.give_sign_in(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
    except ValidationError as refused:
        form.add_error(None, refused)
        return render(request, "plans/person_sign_in.html", context, status=409)
    send_password_reset(request, user, subject_template=INVITATION_SUBJECT, email_template=INVITATION_EMAIL)
    messages.success(
        request,
        f"{person.name} can now sign in as {user.username} ({form.cleaned_data['role']}). "
        f"We have emailed {user.email} a link to choose their password.",
    )
    return redirect("plans:person-detail", person=person.pk)
