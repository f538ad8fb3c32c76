"""The private corners of Django and django-simple-history that the speed work leans on.

Each test fails loudly if a library upgrade moves the corner, rather than leaving a page slower or a history
silently incomplete.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db.models.query import ModelIterable, ValuesIterable
from django.db.models.signals import post_save
from simple_history.models import HistoricalRecords

from actions.history import SnapshotHistoricalRecords
from actions.models import Action
from core import roles
from tests.factories import make_action, make_person, make_user, rag_level

pytestmark = pytest.mark.django_db


def test_a_queryset_keeps_its_iterable_class_through_chaining():
    """actions.querysets.for_rows swaps `_iterable_class`, as QuerySet.values() does with its own."""
    assert Action.objects.all()._iterable_class is ModelIterable
    assert Action.objects.values("pk")._iterable_class is ValuesIterable
    make_action(leads=[make_person("Nadia Lead")])
    rows = Action.objects.for_rows()
    chained = rows.order_by("pk").filter(pk__gt=0)
    assert chained._iterable_class is rows._iterable_class is not ModelIterable
    assert [person.name for person in next(iter(chained)).lead_people] == ["Nadia Lead"]


def test_the_model_backend_reads_the_permission_caches_that_group_names_fills(django_assert_num_queries):
    """core.roles.group_names fills ModelBackend's `_group_perm_cache` and `_user_perm_cache` in one query."""
    user = make_user(role=roles.PLAN_LEAD)
    expected = ModelBackend().get_all_permissions(make_user_like(user))
    with django_assert_num_queries(1):
        roles.group_names(user)
    with django_assert_num_queries(0):
        assert ModelBackend().get_all_permissions(user) == expected
    assert roles.UPDATE_ANY_ACTION in expected


def make_user_like(user):
    """Return a fresh copy of `user`, with no caches, for the backend to read from the database."""
    return type(user)._default_manager.get(pk=user.pk)


def test_simple_history_still_calls_the_m2m_snapshot_hook_we_replace(monkeypatch):
    """actions.history overrides create_historical_record_m2ms(history_instance, instance)."""
    assert "create_historical_record_m2ms" in vars(HistoricalRecords)
    assert issubclass(SnapshotHistoricalRecords, HistoricalRecords)
    lead, other = make_person("Ann Lead"), make_person("Ben Lead")
    action = make_action(leads=[lead, other])
    ours, calls = SnapshotHistoricalRecords.create_historical_record_m2ms, []

    def counted(self, history_instance, instance):
        calls.append(instance.pk)
        return ours(self, history_instance, instance)

    # Were the library to stop calling the hook, its own snapshot would pass the check below silently.
    monkeypatch.setattr(SnapshotHistoricalRecords, "create_historical_record_m2ms", counted)
    action.edit(version=action.version, description="Re-audit every EHC plan record.")
    assert calls == [action.pk]
    latest = action.history.latest("history_id")
    assert sorted(row.person.name for row in latest.leads.all()) == ["Ann Lead", "Ben Lead"]


def test_the_update_that_saves_with_one_query_is_still_recorded_by_the_history():
    """record_update writes the action with a compare-and-set UPDATE and sends post_save by hand."""
    assert post_save.has_listeners(Action)
    author = make_user(role=roles.PLAN_LEAD)
    action = make_action(leads=[author])
    red = rag_level(action.plan.rag_scale, "red")
    action.record_update(
        author=author,
        version=action.version,
        status=Action.Status.IN_PROGRESS,
        rag=red,
        narrative="Panel delayed.",
        rag_reason="Staff shortage.",
        recovery_plan="Agency cover from May.",
    )
    latest = action.history.latest("history_id")
    assert (latest.version, latest.rag_id, latest.rag_reason) == (action.version, red.pk, "Staff shortage.")
