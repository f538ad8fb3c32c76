"""Which plans take updates: an approved plan from its actions' leads, a draft or submitted plan only from
plan leads and administrators, a closed plan from nobody. Action.record_update enforces it for every path."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actions.models import Action, ActionUpdate, Plan, UpdateRefusedError
from tests.factories import make_action, make_brag_scale, make_plan, make_priority, make_update, rag_level

HTMX = {"HX-Request": "true"}


@pytest.fixture
def scale(db):
    return make_brag_scale()


def action_of_plan(status: str, lead, scale) -> Action:
    plan = make_plan(rag_scale=scale, status=status)
    return make_action(make_priority(plan), [lead], reference="1.1", rag=rag_level(scale, "green"))


def valid_update(action: Action, **changes) -> dict:
    data = {"version": action.version, "status": "in_progress", "rag": action.rag_id, "narrative": "Started."}
    return {**data, **changes}


def unchanged(action: Action) -> bool:
    fresh = Action.objects.get(pk=action.pk)
    return fresh.version == 1 and fresh.status == "not_started" and not ActionUpdate.objects.exists()


@pytest.mark.parametrize("persona", ["officer", "plan_lead", "administrator"])
def test_record_update_refuses_everyone_on_a_closed_plan(request, officer, scale, persona):
    action = action_of_plan(Plan.Status.CLOSED, officer, scale)

    with pytest.raises(UpdateRefusedError, match="This plan is closed"):
        make_update(action, request.getfixturevalue(persona), status="in_progress")

    assert unchanged(action)


@pytest.mark.parametrize("status", [Plan.Status.DRAFT, Plan.Status.SUBMITTED])
def test_record_update_refuses_an_officer_on_a_plan_not_yet_approved(officer, scale, status):
    action = action_of_plan(status, officer, scale)

    with pytest.raises(UpdateRefusedError, match="not approved yet"):
        make_update(action, officer, status="in_progress")

    assert unchanged(action)


@pytest.mark.parametrize("status", [Plan.Status.DRAFT, Plan.Status.SUBMITTED])
@pytest.mark.parametrize("persona", ["plan_lead", "administrator"])
def test_record_update_lets_plan_leads_update_a_plan_not_yet_approved(
    request, officer, scale, status, persona
):
    action = action_of_plan(status, officer, scale)

    make_update(action, request.getfixturevalue(persona), status="in_progress")

    assert Action.objects.get(pk=action.pk).status == "in_progress"


def test_record_update_reads_the_plans_status_afresh(officer, scale):
    action = action_of_plan(Plan.Status.ACTIVE, officer, scale)
    Plan.objects.filter(pk=action.plan_id).update(status=Plan.Status.CLOSED)  # closed after it was loaded

    with pytest.raises(UpdateRefusedError):
        make_update(action, officer, status="in_progress")

    assert unchanged(action)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["form", "htmx"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_update_url_refuses_an_action_of_a_closed_plan_with_the_reason(
    client, officer, scale, headers, method
):
    action = action_of_plan(Plan.Status.CLOSED, officer, scale)
    client.force_login(officer)
    url = reverse("actions:update", args=[action.pk])

    if method == "get":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, valid_update(action, context="row"), headers=headers)

    assert response.status_code == 403
    assert "This plan is closed: its actions no longer take updates." in response.content.decode()
    assert unchanged(action)


def test_the_action_page_of_a_closed_plan_has_no_form_and_says_why(client, officer, scale):
    action = action_of_plan(Plan.Status.CLOSED, officer, scale)
    client.force_login(officer)

    html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()

    assert "Save update" not in html
    assert "This plan is closed: its actions no longer take updates." in html


def test_rows_of_a_closed_plan_are_read_only_even_for_a_plan_lead(client, officer, plan_lead, scale):
    closed = action_of_plan(Plan.Status.CLOSED, officer, scale)
    client.force_login(plan_lead)

    row = client.get(reverse("actions:row", args=[closed.pk])).content.decode()

    assert "Read only" in row
    assert reverse("actions:update", args=[closed.pk]) not in row


def test_an_officer_sees_a_draft_plans_action_read_only_and_a_plan_lead_may_update_it(
    client, officer, plan_lead, scale
):
    action = action_of_plan(Plan.Status.DRAFT, officer, scale)
    client.force_login(officer)
    assert (
        "only a plan lead can update its actions"
        in client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    )
    assert client.post(reverse("actions:update", args=[action.pk]), valid_update(action)).status_code == 403

    client.force_login(plan_lead)
    response = client.post(reverse("actions:update", args=[action.pk]), valid_update(action))

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).status == "in_progress"


def test_the_admin_shows_an_actions_progress_but_cannot_change_it(client, administrator, officer, scale):
    # The admin is a path too: progress changes only through the update log, which checks the plan.
    action = action_of_plan(Plan.Status.CLOSED, officer, scale)
    client.force_login(administrator)
    change = reverse("admin:actions_action_change", args=[action.pk])
    form = client.get(change).context["adminform"].form
    assert not {"status", "rag", "rag_reason", "recovery_plan"} & set(form.fields)

    data = {
        "priority": action.priority_id,
        "reference": action.reference,
        "description": action.description,
        "due_date": "2030-01-31",
        "order": 0,
        "status": "complete",
        "rag": rag_level(scale, "blue").pk,
        "rag_reason": "Changed behind the log's back.",
        "loaded_version": action.version,
        **{f"success_criteria-{k}": v for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()},
        **{f"updates-{k}": v for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()},
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    action = Action.objects.get(pk=action.pk)
    assert (action.status, action.rag.colour, action.rag_reason) == ("not_started", "green", "")
