"""The rules the database and the models enforce for plans, actions, RAG scales, the update log and KPIs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from actions.models import (
    Action,
    ActionUpdate,
    AppendOnlyError,
    Board,
    Measure,
    MeasureTarget,
    MeasureValue,
    Meeting,
    Plan,
    Priority,
    RagLevel,
    RagScale,
)
from tests.factories import make_action, make_brag_scale, make_plan, make_priority, make_user, rag_level

pytestmark = pytest.mark.django_db


def make_update(action: Action, version_after: int = 2, **fields: object) -> ActionUpdate:
    fields.setdefault("author", make_user())
    fields.setdefault("narrative", "Audit started in two teams.")
    fields.setdefault("status_before", Action.Status.NOT_STARTED)
    fields.setdefault("status_after", Action.Status.IN_PROGRESS)
    return ActionUpdate.objects.create(action=action, version_after=version_after, **fields)


# Actions


def test_action_reference_is_unique_within_a_plan() -> None:
    plan = make_plan()
    make_action(make_priority(plan), reference="1.1")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_action(make_priority(plan), reference="1.1")


def test_the_same_action_reference_is_allowed_in_another_plan() -> None:
    first = make_action(reference="1.1")
    second = make_action(reference="1.1")

    assert first.plan != second.plan
    assert Action.objects.filter(reference="1.1").count() == 2


def test_action_due_date_cannot_be_before_its_start_date() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_action(start_date=datetime.date(2030, 2, 1), due_date=datetime.date(2030, 1, 31))


def test_action_may_be_due_the_day_it_starts_or_have_no_start_date() -> None:
    same_day = make_action(start_date=datetime.date(2030, 1, 31), due_date=datetime.date(2030, 1, 31))
    no_start = make_action(start_date=None)

    assert same_day.pk and no_start.pk


def test_action_status_must_be_one_of_the_statuses() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_action(status="finished")


def test_action_status_cannot_be_changed_to_an_unknown_one_in_bulk() -> None:
    action = make_action()

    # queryset.update() skips model validation; the check constraint still holds.
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status="abandoned")


def test_action_save_sets_the_plan_from_the_priority() -> None:
    priority = make_priority()
    action = Action(
        priority=priority, reference="1.1", description="Audit.", due_date=datetime.date(2030, 1, 1)
    )

    action.save()

    assert action.plan == priority.plan


def test_moving_an_action_to_another_priority_moves_it_to_that_plan() -> None:
    action = make_action()
    elsewhere = make_priority()

    action.priority = elsewhere
    action.save()
    action.refresh_from_db()

    assert action.plan == elsewhere.plan


def test_action_clean_rejects_a_rag_level_from_another_scale() -> None:
    action = make_action()  # its plan uses BRAG
    other_scale = make_brag_scale("Council traffic lights")
    action.rag = rag_level(other_scale, "green")

    with pytest.raises(ValidationError) as raised:
        action.full_clean()

    assert "rag" in raised.value.message_dict


def test_action_clean_accepts_a_rag_level_from_its_plans_scale() -> None:
    action = make_action()
    action.rag = rag_level(action.plan.rag_scale, "amber")

    action.full_clean()


# RAG scales and plans


def test_rag_level_colour_must_be_one_of_the_colours() -> None:
    scale = RagScale.objects.create(name="Custom")

    with pytest.raises(IntegrityError), transaction.atomic():
        RagLevel.objects.create(scale=scale, colour="purple", label="Unknown")


def test_two_levels_of_a_scale_may_share_a_colour_told_apart_by_word_and_pattern() -> None:
    scale = make_brag_scale()

    RagLevel.objects.create(scale=scale, colour="amber", label="Reprogrammed", pattern="hatched")

    assert scale.levels.filter(colour="amber").count() == 2


def test_the_same_colour_is_allowed_in_another_scale() -> None:
    make_brag_scale()
    other = RagScale.objects.create(name="Three colours")

    RagLevel.objects.create(scale=other, colour="green", label="Good")

    assert RagLevel.objects.filter(colour="green").count() == 2


def test_a_scale_has_one_level_per_label() -> None:
    scale = make_brag_scale()

    with pytest.raises(IntegrityError), transaction.atomic():
        RagLevel.objects.create(scale=scale, colour="grey", label="On track")


def test_plan_update_cycle_must_be_at_least_one_day() -> None:
    # Cycles of any length are allowed (tests/actions/test_update_cycle.py); zero is not a cycle.
    with pytest.raises(IntegrityError), transaction.atomic():
        make_plan(update_cycle_days=0)


def test_priority_number_is_unique_within_a_plan() -> None:
    plan = make_plan()
    make_priority(plan, number="1")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_priority(plan, number="1")


def test_a_board_meets_once_a_day() -> None:
    board = Board.objects.create(name="SEND Development Board")
    Meeting.objects.create(board=board, date=datetime.date(2024, 3, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(board=board, date=datetime.date(2024, 3, 1), title="Extra")


# The update log


def test_saving_an_existing_action_update_is_refused() -> None:
    update = make_update(make_action())
    update.narrative = "Rewritten history."

    with pytest.raises(AppendOnlyError):
        update.save()

    update.refresh_from_db()
    assert update.narrative == "Audit started in two teams."


def test_deleting_an_action_update_is_refused() -> None:
    update = make_update(make_action())

    with pytest.raises(AppendOnlyError):
        update.delete()

    assert ActionUpdate.objects.filter(pk=update.pk).exists()


def test_one_update_per_action_version() -> None:
    action = make_action()
    make_update(action, version_after=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_update(action, version_after=2)


def test_the_same_version_is_allowed_for_another_action() -> None:
    make_update(make_action(), version_after=2)
    make_update(make_action(), version_after=2)

    assert ActionUpdate.objects.filter(version_after=2).count() == 2


# KPIs


def test_a_measure_has_one_target_and_one_value_per_period() -> None:
    measure = Measure.objects.create(
        name="EHC plans issued within 20 weeks", plan=make_plan(), higher_is_better=True
    )
    period = datetime.date(2025, 3, 31)
    MeasureTarget.objects.create(measure=measure, period_end=period, target=Decimal("60"))
    MeasureValue.objects.create(measure=measure, period_end=period, value=Decimal("48.5"))

    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureTarget.objects.create(measure=measure, period_end=period, target=Decimal("65"))
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureValue.objects.create(measure=measure, period_end=period, value=Decimal("50"))


def test_plans_and_priorities_are_protected_from_deletion_while_they_have_actions() -> None:
    action = make_action()

    with pytest.raises(ProtectedError), transaction.atomic():
        Priority.objects.filter(pk=action.priority_id).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Plan.objects.filter(pk=action.plan_id).delete()


@pytest.mark.django_db
def test_action_updates_refuse_bulk_update_and_delete(officer):
    from actions.models import ActionUpdate, AppendOnlyError

    action = make_action(leads=[officer])
    action.record_update(author=officer, version=1, status="in_progress", rag=None, narrative="Started.")
    with pytest.raises(AppendOnlyError):
        ActionUpdate.objects.all().update(narrative="rewritten")
    with pytest.raises(AppendOnlyError):
        ActionUpdate.objects.all().delete()
    assert ActionUpdate.objects.get().narrative == "Started."
