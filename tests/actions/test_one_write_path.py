"""One write path: the rules of an update live in Action.record_update; the admin cannot lose an update."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from actions.models import Action, ActionUpdate
from core.versioning import StaleVersionError
from tests.factories import (
    make_action,
    make_brag_scale,
    make_person,
    make_plan,
    make_priority,
    make_update,
    rag_level,
)


@pytest.fixture
def action(officer) -> Action:
    return make_action(leads=[officer], status=Action.Status.IN_PROGRESS)


def _state(action: Action) -> tuple:
    return (
        Action.objects.filter(pk=action.pk).values_list("version", "status", "rag_id", "rag_reason").get(),
        ActionUpdate.objects.filter(action=action).count(),
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"narrative": "  "}, "narrative"),
        ({"status": Action.Status.COMPLETE, "evidence": ""}, "evidence"),
        ({"rag": "amber", "rag_reason": "", "recovery_plan": "Agency staff."}, "rag_reason"),
        ({"rag": "red", "rag_reason": "Short of staff.", "recovery_plan": ""}, "recovery_plan"),
        ({"status": "finished"}, "status"),
    ],
)
def test_record_update_refuses_an_update_that_breaks_a_rule(action, officer, changes, field):
    scale = action.plan.rag_scale
    arguments = {"status": action.status, "rag": None, "narrative": "Progress made.", **changes}
    if isinstance(arguments["rag"], str):
        arguments["rag"] = rag_level(scale, arguments["rag"])
    before = _state(action)

    with pytest.raises(ValidationError) as refused:
        action.record_update(author=officer, version=action.version, **arguments)

    assert field in refused.value.message_dict
    assert _state(action) == before


def test_record_update_refuses_a_level_from_another_plans_scale(action, officer):
    other_scale = make_brag_scale("Another council's BRAG")
    before = _state(action)

    with pytest.raises(ValidationError) as refused:
        action.record_update(
            author=officer,
            version=action.version,
            status=action.status,
            rag=rag_level(other_scale, "green"),
            narrative="Rated on the wrong scale.",
        )

    assert "rag" in refused.value.message_dict
    assert _state(action) == before


def test_save_edit_refuses_a_stale_version_and_writes_nothing(action, officer):
    loaded_version = action.version
    make_update(action, officer, "Marked complete.", status=Action.Status.COMPLETE)
    editor_copy = Action.objects.get(pk=action.pk)
    editor_copy.accountable_officer = make_person("Director of Children's Services")

    with pytest.raises(StaleVersionError) as stale:
        editor_copy.save_edit(version=loaded_version)

    assert [update.narrative for update in stale.value.updates_since] == ["Marked complete."]
    action.refresh_from_db()
    assert action.accountable_officer is None
    assert action.status == Action.Status.COMPLETE


def test_save_edit_never_writes_progress_fields(action, officer):
    editor_copy = Action.objects.get(pk=action.pk)
    editor_copy.status = Action.Status.WITHDRAWN
    editor_copy.description = "Audit every EHC plan, with the parent carer forum."

    editor_copy.save_edit(version=action.version)

    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.description == "Audit every EHC plan, with the parent carer forum."
    assert action.version == 2
    assert action.history.first().version == 2


# The admin: progress is read-only there and every save is version-checked.


def _admin_data(action: Action, loaded_version: int, **changes) -> dict:
    data = {
        "priority": action.priority_id,
        "reference": action.reference,
        "order": 0,
        "description": action.description,
        "success_measure": "",
        "accountable_officer": "",
        "leads": [lead.pk for lead in action.leads.all()],
        "due_date": action.due_date.isoformat(),
        "loaded_version": loaded_version,
        # A tampered post naming progress fields: they are read-only, so ignored.
        "status": Action.Status.IN_PROGRESS,
        "rag": rag_level(action.plan.rag_scale, "red").pk,
        "success_criteria-TOTAL_FORMS": 0,
        "success_criteria-INITIAL_FORMS": 0,
        "updates-TOTAL_FORMS": 0,
        "updates-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def _admin_url(action: Action) -> str:
    return reverse("admin:actions_action_change", args=[action.pk])


def test_the_admin_form_has_no_progress_fields_and_carries_the_version(client, administrator, action):
    client.force_login(administrator)
    response = client.get(_admin_url(action))

    form = response.context["adminform"].form
    assert {"status", "rag", "rag_reason", "recovery_plan", "version"}.isdisjoint(form.fields)
    assert form["loaded_version"].value() == action.version
    assert b'name="loaded_version"' in response.content


def test_an_admin_save_over_an_officers_update_is_refused_and_shows_what_changed(
    client, administrator, officer, action
):
    """The issue's scenario: the admin page is open, the officer completes the action, the admin saves."""
    green = rag_level(action.plan.rag_scale, "green")
    director = make_person("Director of Children's Services")
    make_update(action, officer, "Set up the audit.", rag=green)  # version 2, in progress / on track
    client.force_login(administrator)
    loaded_version = client.get(_admin_url(action)).context["adminform"].form["loaded_version"].value()

    officer_client = Client()
    officer_client.force_login(officer)
    officer_client.post(
        reverse("actions:update", args=[action.pk]),
        {
            "version": loaded_version,
            "status": Action.Status.COMPLETE,
            "rag": rag_level(action.plan.rag_scale, "blue").pk,
            "narrative": "All 212 records audited.",
            "evidence": "Audit report to the board.",
        },
    )
    action.refresh_from_db()
    assert (action.status, action.version) == (Action.Status.COMPLETE, 3)
    history_count = action.history.count()

    response = client.post(
        _admin_url(action), _admin_data(action, loaded_version, accountable_officer=director.pk)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "Someone else saved this action" in errors[0]
    assert "Olivia Officer" in errors[0]
    assert "Complete" in errors[0]
    action.refresh_from_db()
    assert (action.status, action.rag.colour, action.version) == (Action.Status.COMPLETE, "blue", 3)
    assert action.accountable_officer is None
    assert action.history.count() == history_count


def test_an_admin_save_at_the_current_version_bumps_it_and_keeps_progress(
    client, administrator, action, officer
):
    make_update(action, officer, "Started.", rag=rag_level(action.plan.rag_scale, "green"))
    director = make_person("Director of Children's Services")
    client.force_login(administrator)

    response = client.post(
        _admin_url(action), _admin_data(action, action.version, accountable_officer=director.pk)
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.accountable_officer == director
    assert (action.status, action.rag.colour, action.version) == (Action.Status.IN_PROGRESS, "green", 3)
    latest = action.history.first()
    assert (latest.history_user, latest.accountable_officer) == (administrator, director)


def test_adding_an_action_in_the_admin_starts_it_not_started(client, administrator):
    priority = make_priority(make_plan())
    client.force_login(administrator)
    data = _admin_data(make_action(priority), "", reference="9.9")

    response = client.post(reverse("admin:actions_action_add"), data)

    assert response.status_code == 302
    added = Action.objects.get(reference="9.9")
    assert (added.status, added.rag, added.version) == (Action.Status.NOT_STARTED, None, 1)
