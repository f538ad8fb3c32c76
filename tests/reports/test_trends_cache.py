"""The trends page's month-end RAG counts come from Django's cache until the data they count changes.

Each test loads the page (which fills the cache), changes the data the way a person does, through the app's
own pages, loads it again and checks its counts against the same counts replayed with the cache bypassed.
Django's cache is emptied before every test (tests/conftest.py): SQLite hands a rolled-back test's ids out
again, so a later test's data could otherwise carry an earlier test's fingerprint.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, RagLevel, RagScale
from reports import dashboards, rag_history
from tests.factories import (
    make_action,
    make_brag_scale,
    make_plan,
    make_priority,
    make_update,
    rag_level,
    signed_in,
)
from tests.reports.pages import table

pytestmark = pytest.mark.django_db
URL = reverse("reports:trends")
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


@pytest.fixture
def plan(officer):
    """A plan whose actions' RAG moved over the last months: green, amber, and one never updated."""
    scale = make_brag_scale()
    plan = make_plan(title="Written Statement of Action", rag_scale=scale)
    priority = make_priority(plan)
    with time_machine.travel(_at(150)):
        green = make_action(priority, [officer], reference="1.1")
        amber = make_action(priority, [officer], reference="1.2")
        make_action(priority, [officer], reference="1.3")
    with time_machine.travel(_at(100)):
        make_update(green, officer, status=Action.Status.IN_PROGRESS, rag=rag_level(scale, "green"))
    with time_machine.travel(_at(40)):
        make_update(amber, officer, status=Action.Status.IN_PROGRESS, rag=rag_level(scale, "amber"))
    return plan


@pytest.fixture
def reader(scrutiny_member) -> Client:
    return signed_in(scrutiny_member)


@pytest.fixture
def lead(plan_lead) -> Client:
    return signed_in(plan_lead)


@pytest.fixture
def officer_client(officer) -> Client:
    return signed_in(officer)


def _trend(client: Client, plan) -> list[list[str]]:
    response = client.get(URL, {"plan": plan.pk})
    assert response.status_code == 200
    return table(response.content.decode(), f"Delivery RAG of the actions in {plan.title} over time")


def _uncached_trend(client: Client, plan) -> list[list[str]]:
    """Return the page's table with no cache at all: every count replayed from the update log."""
    with override_settings(CACHES=NO_CACHE):
        return _trend(client, plan)


def _dates() -> list[datetime.date]:
    today = timezone.localdate()
    return [*dashboards.month_ends(today, 12), today]


def _history(plan, *, cached: bool) -> list[dict[str, int]]:
    counts = rag_history.brag_history(_dates(), [plan], cached=cached).get(plan.pk, [])
    return [dict(day) for day in counts]


def _officers_update(client, plan, **fields):
    action = Action.objects.get(plan=plan, reference="1.1")
    data = {
        "version": str(action.version),
        "status": Action.Status.IN_PROGRESS,
        "rag": str(rag_level(plan.rag_scale, "red").pk),
        "narrative": "The audit has stalled.",
        "rag_reason": "Two of the three auditors are off sick.",
        "recovery_plan": "Agency auditor starts next week.",
    } | fields
    response = client.post(reverse("actions:update", args=[action.pk]), data)
    assert response.status_code == 302, response.content.decode()


def an_officers_update(plan, officer_client, lead):
    _officers_update(officer_client, plan)


def a_withdrawal(plan, officer_client, lead):
    _officers_update(lead, plan, status=Action.Status.WITHDRAWN, narrative="No longer needed.")


def an_action_archived(plan, officer_client, lead):
    action = Action.objects.get(plan=plan, reference="1.2")
    url = reverse("plans:action-archive", args=[action.pk])
    assert lead.post(url, {"version": action.version, "reason": "Merged into 1.1."}).status_code == 302


def an_action_restored(plan, officer_client, lead):
    action = Action.objects.get(plan=plan, reference="1.2")
    url = reverse("plans:action-restore", args=[action.pk])
    assert lead.post(url, {"version": action.version}).status_code == 302


def a_levels_colour_edited(plan, officer_client, lead):
    green = rag_level(plan.rag_scale, "green")
    data = {"label": green.label, "colour": "grey", "pattern": "dotted", "meaning": "", "order": green.order}
    response = lead.post(reverse("plans:level-edit", args=[green.pk]), data | {"version": green.version})
    assert response.status_code == 302, response.content.decode()


def a_plan_moved_to_another_scale(plan, officer_client, lead):
    three = RagScale.objects.create(name="Three-level RAG")
    good = RagLevel.objects.create(scale=three, colour="green", label="On track", order=0)
    worry = RagLevel.objects.create(scale=three, colour="red", label="Concern", order=1)
    scale = plan.rag_scale
    data = {
        "version": plan.version,
        "scale": three.pk,
        f"map_{rag_level(scale, 'green').pk}": worry.pk,
        f"map_{rag_level(scale, 'amber').pk}": good.pk,
    }
    assert lead.post(reverse("plans:plan-scale", args=[plan.pk]), data).status_code == 302


@pytest.mark.parametrize(
    "change",
    [
        an_officers_update,
        a_withdrawal,
        an_action_archived,
        an_action_restored,
        a_levels_colour_edited,
        a_plan_moved_to_another_scale,
    ],
)
def test_each_change_shows_on_the_next_load_as_the_uncached_replay_counts_it(
    reader, officer_client, lead, plan, change
):
    if change is an_action_restored:  # archived before the page is first loaded: it is left out
        an_action_archived(plan, officer_client, lead)
    before = _trend(reader, plan), _history(plan, cached=False)
    assert _history(plan, cached=True) == before[1]

    change(plan, officer_client, lead)

    plan.refresh_from_db()
    after = _trend(reader, plan), _history(plan, cached=False)
    assert after[0] == _uncached_trend(reader, plan)
    assert _history(plan, cached=True) == after[1]
    # The change moved the counts (a colour's edit moves them from one colour to another under the same
    # label): a page that still showed `before` would have been served a stale count.
    assert after != before


def test_archiving_a_plan_changes_the_fingerprint_and_its_trend_is_still_counted_as_replayed(
    reader, lead, plan
):
    before = _trend(reader, plan)
    fingerprint = rag_history.history_fingerprint()

    response = lead.post(reverse("plans:archive", args=[plan.pk]), {"version": plan.version, "archived": "1"})

    assert response.status_code == 302
    assert rag_history.history_fingerprint() != fingerprint
    after = _trend(reader, plan)
    assert after == _uncached_trend(reader, plan) == before


def test_a_second_load_with_nothing_changed_does_not_replay_the_update_log(reader, plan, monkeypatch):
    first = _trend(reader, plan)

    def replayed(*args, **kwargs):
        raise AssertionError("the update log was replayed although nothing changed")

    monkeypatch.setattr(rag_history, "rag_spans", replayed)

    assert _trend(reader, plan) == first


def test_each_plan_and_each_day_has_its_own_counts(reader, plan, officer, scrutiny_member):
    other = make_plan(title="Accelerated progress plan", rag_scale=plan.rag_scale)
    with time_machine.travel(_at(20)):
        action = make_action(make_priority(other), [officer], reference="9.1")
        make_update(action, officer, status=Action.Status.IN_PROGRESS, rag=rag_level(plan.rag_scale, "blue"))

    assert _trend(reader, plan) == _uncached_trend(reader, plan)
    assert _trend(reader, other) == _uncached_trend(reader, other)
    assert _trend(reader, plan) != _trend(reader, other)
    # A month later the month ends are other cutoffs: the counts are replayed for them, not read back.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
        reader.force_login(scrutiny_member)
        assert _trend(reader, plan) == _uncached_trend(reader, plan)
