"""The action form's success criteria rows (add, remove, move up) and its inline field checks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actions.models import Action, Priority
from tests.factories import make_action, make_person, make_plan, make_priority

HTMX = {"HX-Request": "true"}


@pytest.fixture
def priority(db) -> Priority:
    return make_priority(make_plan(), number="2")


@pytest.fixture
def action(priority) -> Action:
    action = make_action(priority, reference="2.1", description="Audit EHC plans.")
    action.set_success_criteria(["Audit tool agreed", "Findings reported", "Plans re-audited"])
    return action


def create_url(priority: Priority) -> str:
    return reverse("plans:action-create", args=[priority.pk])


def edit_url(action: Action) -> str:
    return reverse("plans:action-edit", args=[action.pk])


def edit_data(action: Action, **changes) -> dict:
    data = {
        "version": action.version,
        "priority": action.priority_id,
        "reference": action.reference,
        "description": action.description,
        "order": 1,
        "criterion": [criterion.text for criterion in action.success_criteria.all()],
    }
    data.update(changes)
    return data


def rows(response) -> list[str]:
    return response.context["form"].criteria_rows


def test_without_javascript_add_another_shows_the_form_again_with_a_new_row_and_saves_nothing(
    client, plan_lead, priority
):
    client.force_login(plan_lead)

    response = client.post(create_url(priority), {"criterion": ["Audit tool agreed"], "add_criterion": "1"})

    assert response.status_code == 200
    assert rows(response) == ["Audit tool agreed", ""]
    html = response.content.decode()
    assert "<h1>Add an action</h1>" in html
    assert 'id="id_criterion_2"' in html and "data-focus-after-swap" in html
    assert "There is a problem" not in html  # nothing was submitted yet, so nothing is judged
    assert Action.objects.count() == 0


def test_removing_a_row_keeps_what_was_typed_and_leaves_the_action_as_it_was(client, plan_lead, action):
    client.force_login(plan_lead)

    response = client.post(
        edit_url(action), edit_data(action, description="Typed but not saved.", remove_criterion="1")
    )

    assert response.status_code == 200
    assert rows(response) == ["Audit tool agreed", "Plans re-audited", ""]
    form = response.context["form"]
    assert form["description"].value() == "Typed but not saved."
    assert form["version"].value() == str(action.version)  # the version it was loaded at, not a newer one
    action.refresh_from_db()
    assert (action.version, action.description) == (1, "Audit EHC plans.")
    assert action.success_criteria.count() == 3


def test_a_row_moves_up_and_the_order_is_saved_with_the_action(client, plan_lead, action):
    client.force_login(plan_lead)

    moved = client.post(edit_url(action), edit_data(action, move_criterion_up="2"))
    assert rows(moved) == ["Audit tool agreed", "Plans re-audited", "Findings reported", ""]

    saved = client.post(edit_url(action), edit_data(action, criterion=rows(moved)))

    assert saved.status_code == 302
    texts = [criterion.text for criterion in action.success_criteria.all()]
    assert texts == ["Audit tool agreed", "Plans re-audited", "Findings reported"]


def test_htmx_gets_only_the_rows_back_with_focus_on_the_new_one(client, plan_lead, action):
    client.force_login(plan_lead)

    response = client.post(edit_url(action), edit_data(action, add_criterion="1"), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<fieldset class="fieldset criteria-rows" id="criteria-rows"')
    assert "<h1>" not in html
    assert '<input type="text" name="criterion" id="id_criterion_4" value="" data-focus-after-swap>' in html
    assert 'data-hx-post="' + edit_url(action) + '"' in html
    assert "HX-Request" in response["Vary"]


def test_every_row_has_its_own_label_and_buttons_named_for_it(client, plan_lead, action):
    client.force_login(plan_lead)

    html = client.get(edit_url(action)).content.decode()

    for number in (1, 2, 3, 4):
        assert f'<label for="id_criterion_{number}">Success criterion {number}</label>' in html
    assert 'Remove<span class="visually-hidden"> success criterion 3</span>' in html
    assert 'Move up<span class="visually-hidden"> success criterion 2</span>' in html
    assert 'Move up<span class="visually-hidden"> success criterion 1</span>' not in html


def test_a_criterion_that_is_too_long_is_refused_with_a_message(client, plan_lead, action):
    client.force_login(plan_lead)

    response = client.post(edit_url(action), edit_data(action, criterion=["x" * 5001]))

    assert response.status_code == 422
    assert "Success criterion 1 must be at most 5000 characters" in response.content.decode()
    assert action.success_criteria.count() == 3


# Inline checks: the field the user leaves is checked by the server, with the submit's own messages.


def test_leaving_a_field_asks_the_server_and_gets_the_submits_message_on_that_field(
    client, plan_lead, action, priority
):
    make_action(priority, reference="2.9")
    client.force_login(plan_lead)
    data = edit_data(action, reference="2.9")

    checked = client.post(f"{edit_url(action)}?validate=reference", data, headers=HTMX)
    submitted = client.post(edit_url(action), data)

    assert checked.status_code == 200
    html = checked.content.decode().strip()
    assert html.startswith('<div class="form-group form-group--error">')
    assert "Another action in this plan has this reference" in html
    assert 'id="id_reference"' in html
    assert submitted.status_code == 422
    assert submitted.context["form"].errors["reference"] == ["Another action in this plan has this reference"]
    action.refresh_from_db()
    assert (action.reference, action.version) == ("2.1", 1)


def test_a_field_that_passes_comes_back_without_a_message(client, plan_lead, action):
    client.force_login(plan_lead)

    response = client.post(f"{edit_url(action)}?validate=reference", edit_data(action), headers=HTMX)

    html = response.content.decode()
    assert 'class="form-group"' in html
    assert "error-message" not in html


def test_a_check_that_needs_another_field_uses_what_the_form_holds(client, plan_lead, priority):
    client.force_login(plan_lead)
    data = {"priority": priority.pk, "start_date": "2026-05-01", "due_date": "2026-04-01"}

    response = client.post(f"{create_url(priority)}?validate=start_date", data, headers=HTMX)

    assert "The start date must be on or before the due date" in response.content.decode()
    assert Action.objects.count() == 0


def test_the_fields_carry_their_inline_check_and_checkbox_groups_do_not(client, plan_lead, priority):
    make_person("Jo Adeyemi")
    client.force_login(plan_lead)

    form = client.get(create_url(priority)).context["form"]

    attrs = form.fields["description"].widget.attrs
    assert attrs["data-hx-post"] == f"{create_url(priority)}?validate=description"
    assert attrs["data-hx-trigger"] == "blur changed"
    assert attrs["data-hx-target"] == "closest .form-group"
    assert "data-hx-post" not in form.fields["leads"].widget.attrs


def test_without_htmx_a_validate_query_is_an_ordinary_submit(client, plan_lead, action):
    client.force_login(plan_lead)

    response = client.post(f"{edit_url(action)}?validate=reference", edit_data(action, description="Saved."))

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.description == "Saved."


def test_the_edit_page_takes_the_same_number_of_queries_however_many_criteria(
    client, plan_lead, priority, django_assert_max_num_queries
):
    action = make_action(priority, reference="2.1")
    made, counts = 0, []
    for criteria_count in (1, 8):
        action.set_success_criteria([f"Criterion {n}" for n in range(criteria_count)])
        for n in range(made, criteria_count):
            make_person(f"Person {n}")
        made = criteria_count
        client.force_login(plan_lead)

        # 1 session, 2 user, 3 the user's groups with their permissions and the user's own (one query), 4
        # the action with plan, priority and officer, 5 its leads, 6 its lead organisations (the form's
        # initial values), 7 its criteria, 8 the priorities to choose from, 9 people (once, for leads and
        # accountable officer), 10 organisations.
        with django_assert_max_num_queries(10) as queries:
            response = client.get(edit_url(action))

        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
