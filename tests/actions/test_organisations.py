"""Organisations are renamed or replaced (a CCG by an ICB) without losing who led what."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Organisation
from tests.factories import make_action, make_organisation, make_person


@pytest.fixture
def lead_client(plan_lead) -> Client:
    client = Client()
    client.force_login(plan_lead)
    return client


def test_renaming_keeps_what_the_organisation_led_and_its_old_name(lead_client):
    ccg = make_organisation("NHS Thurrock CCG", kind=Organisation.Kind.HEALTH)
    action = make_action()
    action.lead_organisations.set([ccg])

    response = lead_client.post(
        reverse("plans:organisation-edit", args=[ccg.pk]),
        {"name": "NHS Thurrock Clinical Commissioning Group", "kind": "health", "version": 1},
    )

    assert response.status_code == 302
    ccg.refresh_from_db()
    assert (ccg.name, ccg.version) == ("NHS Thurrock Clinical Commissioning Group", 2)
    assert list(action.lead_organisations.all()) == [ccg]
    assert ccg.history.last().name == "NHS Thurrock CCG"


def test_a_stale_rename_is_refused(lead_client):
    ccg = make_organisation("NHS Thurrock CCG", kind=Organisation.Kind.HEALTH)
    url = reverse("plans:organisation-edit", args=[ccg.pk])
    lead_client.post(url, {"name": "First", "kind": "health", "version": 1})

    response = lead_client.post(url, {"name": "Second", "kind": "health", "version": 1})

    assert response.status_code == 409
    ccg.refresh_from_db()
    assert ccg.name == "First"


def test_a_ccg_is_replaced_by_an_icb_and_its_people_move_without_losing_who_led_what(lead_client):
    ccg = make_organisation("NHS Thurrock CCG", kind=Organisation.Kind.HEALTH)
    icb = make_organisation("NHS Mid and South Essex ICB", kind=Organisation.Kind.HEALTH)
    lead = make_person("Dalvinder Kaur", organisation=ccg)
    action = make_action(leads=[lead])
    action.lead_organisations.set([ccg])

    response = lead_client.post(
        reverse("plans:organisation-succeed", args=[ccg.pk]),
        {
            "succession-version": 1,
            "succession-successor": icb.pk,
            "succession-on": "2022-07-01",
            "succession-move_people": "on",
        },
    )

    assert response.status_code == 302
    ccg.refresh_from_db()
    lead.refresh_from_db()
    assert ccg.succeeded_by == icb and str(ccg.succeeded_on) == "2022-07-01"
    assert lead.organisation == icb
    assert lead.history.last().organisation_id == ccg.pk  # where they were is kept
    assert list(action.lead_organisations.all()) == [ccg]  # the action still says the CCG led it
    assert list(action.leads.all()) == [lead]


def test_an_organisation_cannot_succeed_itself(lead_client):
    ccg = make_organisation("NHS Thurrock CCG")

    response = lead_client.post(
        reverse("plans:organisation-succeed", args=[ccg.pk]),
        {"succession-version": 1, "succession-successor": ccg.pk, "succession-on": "2022-07-01"},
    )

    assert response.status_code == 422
    ccg.refresh_from_db()
    assert ccg.succeeded_by is None


def test_the_organisation_list_is_a_fixed_number_of_queries(lead_client, django_assert_max_num_queries):
    def grow(name: str) -> None:
        icb = make_organisation(name)
        for n in range(3):
            ccg = make_organisation(f"{name} CCG {n}")
            ccg.succeeded_by = icb
            ccg.save()
            make_person(organisation=ccg)

    grow("ICB")
    lead_client.get(reverse("plans:organisations"))

    # session, user, groups and permissions (one query), the organisations with successor and member
    # count (no session save: its expiry is under a minute old)
    with django_assert_max_num_queries(4) as small:
        response = lead_client.get(reverse("plans:organisations"))
    assert len(response.context["organisations"]) == 4
    grow("Second ICB")
    with django_assert_max_num_queries(4) as large:
        response = lead_client.get(reverse("plans:organisations"))
    assert len(response.context["organisations"]) == 8
    assert len(small) == len(large)
