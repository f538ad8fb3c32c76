"""The browser tests' demo data comes back from a copy exactly as a fresh load leaves it."""

from __future__ import annotations

import pytest
from django.apps import apps

from actions.models import Action, Organisation
from tests.demo_snapshot import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def _rows() -> dict[str, list]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
    }


def test_a_copy_puts_back_every_row_and_new_rows_get_new_ids():
    load_demo()
    loaded = _rows()
    Action.objects.all().update(description="Changed by a test")
    Organisation.objects.create(name="Written by a test")

    load_demo()

    assert _rows() == loaded
    assert Action.objects.filter(description="Changed by a test").count() == 0
    added = Organisation.objects.create(name="Written after the copy came back")
    assert added.pk > max(pk for pk, *_ in loaded["actions.Organisation"])
