"""Confirming the same import twice at once: one request imports, every other one gets a 409."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Action, ActionUpdate
from exchange import plan_import
from exchange.models import ImportUpload
from tests.exchange.sheets import PLAN_HEADERS, upload, xlsx
from tests.factories import make_plan, make_user
from tests.racing import postgresql_only, race


def rows(count: int) -> list[list]:
    due = datetime.date.today() + datetime.timedelta(days=200)
    return [PLAN_HEADERS] + [
        [f"1.{n}", "1", "Records", f"Audit batch {n}", "", due, "In progress", "On track"]
        for n in range(1, count + 1)
    ]


def uploaded(client: Client, plan) -> ImportUpload:
    response = client.post(
        reverse("exchange:upload"),
        {"kind": "action_plan", "plan": plan.pk, "file": upload("plan.xlsx", xlsx(("Plan", rows(5))))},
    )
    assert response.status_code == 302
    return ImportUpload.objects.get()


@pytest.mark.django_db
def test_a_confirm_that_finishes_while_another_is_reading_the_file_refuses_the_other(
    lead_client, plan, monkeypatch
):
    """The "already imported" check and the import are one step: the later confirm gets 409, never a 500."""
    stored = uploaded(lead_client, plan)
    url = reverse("exchange:confirm", args=[stored.pk])
    original, inner = plan_import.build_preview, {}

    def another_confirm_lands_meanwhile(*args, **kwargs):
        if "response" not in inner:
            inner["response"] = None
            # This request has passed the "already imported" check and written nothing: the other one wins.
            inner["response"] = lead_client.post(url)
        return original(*args, **kwargs)

    monkeypatch.setattr(plan_import, "build_preview", another_confirm_lands_meanwhile)
    response = lead_client.post(url)

    assert inner["response"].status_code == 302
    assert response.status_code == 409
    assert "already been imported" in response.content.decode()
    assert Action.objects.count() == 5
    assert ActionUpdate.objects.count() == 5


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_confirms_of_one_import_give_one_import_and_nine_409s(transactional_db):
    lead = make_user("racing_lead", "Plan lead")
    plan = make_plan()
    client = Client()
    client.force_login(lead)
    stored = uploaded(client, plan)
    url = reverse("exchange:confirm", args=[stored.pk])

    statuses = race(client, [(url, {})] * 10)

    assert sorted(statuses) == [302] + [409] * 9
    assert Action.objects.filter(plan=plan).count() == 5
    assert ActionUpdate.objects.count() == 5
    assert ImportUpload.objects.get().imported_at is not None
