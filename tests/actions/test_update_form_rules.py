"""The update form asks the model for the rules of an update: one source, shown on each field."""

from __future__ import annotations

import pytest
from django.utils import timezone

from actions.forms import ActionUpdateForm
from tests.factories import make_action, make_brag_scale, make_plan, make_priority, rag_level


@pytest.fixture
def action(db):
    scale = make_brag_scale()
    return make_action(make_priority(make_plan(rag_scale=scale)), rag=rag_level(scale, "green"))


def form_for(action, **changes) -> ActionUpdateForm:
    data = {"version": action.version, "status": "in_progress", "rag": action.rag_id, "narrative": "Done."}
    data.update(changes)
    return ActionUpdateForm(data, action=action)


@pytest.mark.parametrize(
    "changes",
    [
        {"narrative": ""},
        {"status": "complete"},
        {"rag": "amber"},
        {"rag": "red", "narrative": "  "},
    ],
)
def test_the_form_shows_exactly_the_models_problems_on_their_fields(action, changes):
    if "rag" in changes:
        changes["rag"] = rag_level(action.plan.rag_scale, changes["rag"]).pk
    form = form_for(action, **changes)

    assert not form.is_valid()
    data = form.cleaned_data | {name: form.data.get(name, "") for name in ("narrative", "evidence")}
    expected = action.update_problems(
        status=form.data["status"],
        rag=action.plan.rag_scale.levels.get(pk=form.data["rag"]),
        narrative=data["narrative"],
        evidence=data["evidence"],
    )
    assert {field: errors for field, errors in form.errors.items()} == {
        field: [message] for field, message in expected.items()
    }


def test_a_retired_level_is_refused_by_the_form_with_the_models_message(action):
    amber = rag_level(action.plan.rag_scale, "amber")
    amber.retired_at = timezone.now()
    amber.save()

    form = form_for(action, rag=amber.pk, rag_reason="Staff off sick.", recovery_plan="Agency cover.")

    assert not form.is_valid()
    assert form.errors["rag"] == ["“At risk” is retired; choose another level"]


def test_a_field_that_already_failed_keeps_its_own_message_only(action):
    form = form_for(action, narrative="x" * 5001)

    assert not form.is_valid()
    assert len(form.errors["narrative"]) == 1
    assert "at most 5000" in form.errors["narrative"][0]
