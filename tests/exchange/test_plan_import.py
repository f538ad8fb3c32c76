"""Importing an action plan: upload, map, preview every row and problem, then all or nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from actions.models import Action, ActionUpdate, Organisation, Person, Priority
from exchange.models import ImportMapping, ImportUpload
from tests.exchange.sheets import PLAN_HEADERS, csv_bytes, upload, xlsx
from tests.factories import make_action, make_person, make_priority

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)


def plan_rows(count: int = 2, **overrides) -> list[list]:
    rows = [PLAN_HEADERS]
    for number in range(1, count + 1):
        rows.append(
            [
                f"1.{number}",
                "1",
                "Records and oversight",
                f"Audit EHC plan batch {number}",
                "Jo Bloggs (Thurrock Council)",
                datetime.date(2026, 1, 31),
                "In progress",
                "On track",
            ]
        )
    return rows


def post_upload(client, plan, data: bytes, name: str = "plan.xlsx"):
    return client.post(
        reverse("exchange:upload"), {"kind": "action_plan", "plan": plan.pk, "file": upload(name, data)}
    )


def confirm(client, stored: ImportUpload, mapping: dict | None = None, **extra):
    response = client.get(reverse("exchange:preview", args=[stored.pk]))
    columns = {
        f"col-{c['key']}": "" if c["selected"] is None else c["selected"] for c in response.context["columns"]
    }
    return client.post(
        reverse("exchange:confirm", args=[stored.pk]), {"mapped": "1", **columns, **(mapping or {}), **extra}
    )


@time_machine.travel(TODAY)
def test_a_plan_lead_imports_an_action_plan_creating_people_organisations_and_priorities(lead_client, plan):
    response = post_upload(lead_client, plan, xlsx(("Plan", plan_rows(2))))
    stored = ImportUpload.objects.get()
    assert response["Location"] == reverse("exchange:preview", args=[stored.pk])

    preview = lead_client.get(response["Location"])
    assert preview.status_code == 200
    assert preview.context["preview"].counts == {"create": 2, "update": 0, "unchanged": 0}
    assert preview.context["preview"].problems == []
    assert Action.objects.count() == 0  # nothing written by the preview

    done = confirm(lead_client, stored)
    assert done["Location"] == reverse("plans:detail", args=[plan.pk])
    actions = list(Action.objects.filter(plan=plan).order_by("reference"))
    assert [a.reference for a in actions] == ["1.1", "1.2"]
    assert actions[0].due_date == datetime.date(2026, 1, 31)
    assert actions[0].status == Action.Status.IN_PROGRESS
    assert actions[0].rag.label == "On track"
    jo = Person.objects.get(name="Jo Bloggs")
    assert jo.organisation.name == "Thurrock Council"
    assert list(actions[0].leads.all()) == [jo]
    assert Priority.objects.get(plan=plan).title == "Records and oversight"
    # Status and RAG came in through record_update: one logged update per action.
    assert ActionUpdate.objects.count() == 2
    assert ImportUpload.objects.get().imported_at is not None


@time_machine.travel(TODAY)
def test_importing_the_same_file_again_updates_nothing_and_duplicates_nothing(lead_client, plan):
    data = xlsx(("Plan", plan_rows(3)))
    post_upload(lead_client, plan, data)
    confirm(lead_client, ImportUpload.objects.latest("pk"))
    before = (
        Action.objects.count(),
        ActionUpdate.objects.count(),
        Person.objects.count(),
        Action.history.count(),
    )

    post_upload(lead_client, plan, data)
    stored = ImportUpload.objects.latest("pk")
    preview = lead_client.get(reverse("exchange:preview", args=[stored.pk]))
    assert preview.context["preview"].counts == {"create": 0, "update": 0, "unchanged": 3}
    confirm(lead_client, stored)

    after = (
        Action.objects.count(),
        ActionUpdate.objects.count(),
        Person.objects.count(),
        Action.history.count(),
    )
    assert after == before


@time_machine.travel(TODAY)
def test_a_changed_row_updates_the_action_through_its_version_check(lead_client, plan):
    action = make_action(
        priority=make_priority(plan, number="1", title="Records and oversight"), reference="1.1"
    )
    version = action.version
    rows = plan_rows(1)
    rows[1][3] = "A new description"
    post_upload(lead_client, plan, xlsx(("Plan", rows)))
    stored = ImportUpload.objects.latest("pk")
    preview = lead_client.get(reverse("exchange:preview", args=[stored.pk])).context["preview"]
    assert preview.rows[0].operation == "update"
    assert "Action" in preview.rows[0].changes
    confirm(lead_client, stored)
    action.refresh_from_db()
    assert action.description == "A new description"
    assert action.version > version
    assert Action.objects.count() == 1


@time_machine.travel(TODAY)
def test_every_problem_is_listed_with_its_row_and_column_and_nothing_is_imported(lead_client, plan):
    rows = plan_rows(4)
    rows[1][5] = "31st of Smarch"  # unparseable date
    rows[2][7] = "Purple"  # not a level
    rows[3][0] = "1.1"  # duplicate reference
    rows[4][6] = "Nearly there"  # not a status
    post_upload(lead_client, plan, xlsx(("Plan", rows)))
    stored = ImportUpload.objects.latest("pk")
    response = confirm(lead_client, stored)
    assert response.status_code == 422
    problems = {(p.row, p.column) for p in response.context["preview"].problems}
    assert {(2, "Due date"), (3, "RAG"), (4, "Reference"), (5, "Status")} <= problems
    assert "31st of Smarch" in response.content.decode()
    assert Action.objects.count() == 0
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("written", "label"),
    [
        ("Amber", "At risk"),
        ("A", "At risk"),
        ("amber - at risk", "At risk"),
        ("G", "On track"),
        ("red", "Off track"),
    ],
)
def test_rag_is_read_as_people_write_it(written, label, lead_client, plan):
    rows = [[*PLAN_HEADERS, "RAG reason", "Recovery"], [*plan_rows(1)[1], "Staff off sick", "Agency cover"]]
    rows[1][7] = written
    post_upload(lead_client, plan, xlsx(("Plan", rows)))
    response = confirm(lead_client, ImportUpload.objects.latest("pk"))
    assert response.status_code == 302, response.context and response.context["preview"].problems
    assert Action.objects.get().rag.label == label


def test_an_unknown_lead_can_be_picked_instead_of_created(lead_client, plan):
    existing = make_person(
        "Joanne Bloggs", organisation=Organisation.objects.create(name="TC", kind="council")
    )
    post_upload(lead_client, plan, xlsx(("Plan", plan_rows(1))))
    stored = ImportUpload.objects.latest("pk")
    preview = lead_client.get(reverse("exchange:preview", args=[stored.pk]))
    [lead] = preview.context["leads"]
    assert lead["name"] == "Jo Bloggs"
    confirm(lead_client, stored, {lead["key"]: str(existing.pk)})
    assert list(Action.objects.get().leads.all()) == [existing]
    assert not Person.objects.filter(name="Jo Bloggs").exists()


@time_machine.travel(TODAY)
def test_an_error_in_row_500_leaves_the_database_unchanged(lead_client, plan):
    rows = plan_rows(600)
    rows[500][5] = "not a date"
    post_upload(lead_client, plan, xlsx(("Plan", rows)))
    stored = ImportUpload.objects.latest("pk")
    response = confirm(lead_client, stored)
    assert response.status_code == 422
    assert [(p.row, p.column) for p in response.context["preview"].problems] == [(501, "Due date")]
    assert Action.objects.count() == 0
    assert Priority.objects.count() == 0
    assert Person.objects.count() == 0


@time_machine.travel(TODAY)
def test_a_failure_while_writing_rolls_back_every_row_already_written(lead_client, plan, monkeypatch):
    post_upload(lead_client, plan, xlsx(("Plan", plan_rows(3))))
    stored = ImportUpload.objects.latest("pk")
    original = Action.record_update
    calls = []

    def fail_on_third(self, **kwargs):
        calls.append(self.reference)
        if len(calls) == 3:
            from actions.models import UpdateRefusedError

            raise UpdateRefusedError("The plan was closed meanwhile.")
        return original(self, **kwargs)

    monkeypatch.setattr(Action, "record_update", fail_on_third)
    response = confirm(lead_client, stored)
    assert response.status_code == 409
    assert "Nothing was imported" in response.content.decode()
    assert Action.objects.count() == 0
    assert ActionUpdate.objects.count() == 0
    assert ImportUpload.objects.get().imported_at is None


@time_machine.travel(TODAY)
def test_an_update_log_sheet_imports_as_past_updates_with_their_dates_in_order(lead_client, plan):
    log = [
        ["Reference", "Date", "Author", "Status", "RAG", "Note", "RAG reason", "Recovery"],
        [
            "1.1",
            datetime.date(2025, 3, 1),
            "Jo Bloggs",
            "In progress",
            "At risk",
            "Second",
            "Late",
            "Catch up",
        ],
        ["1.1", datetime.date(2025, 1, 15), "Jo Bloggs", "In progress", "On track", "First", "", ""],
        ["1.1", datetime.date(2025, 5, 1), "Sam Hill", "In progress", "On track", "Third", "", ""],
    ]
    post_upload(lead_client, plan, xlsx(("Plan", plan_rows(1)), ("Update log", log)))
    stored = ImportUpload.objects.latest("pk")
    assert lead_client.get(reverse("exchange:preview", args=[stored.pk])).context["preview"].log_count == 3
    assert confirm(lead_client, stored).status_code == 302

    action = Action.objects.get()
    updates = list(action.updates.order_by("created_at"))
    assert [u.narrative.split("\n")[0] for u in updates] == ["First", "Second", "Third"]
    assert [u.given_on for u in updates] == [
        datetime.date(2025, 1, 15),
        datetime.date(2025, 3, 1),
        datetime.date(2025, 5, 1),
    ]
    assert updates[0].created_at.date() == datetime.date(2025, 1, 15)
    assert updates[0].on_behalf_of.name == "Jo Bloggs"
    assert "(Given by Sam Hill.)" in updates[2].narrative
    assert action.last_updated_at.date() == datetime.date(2025, 5, 1)
    assert action.created_at.date() == datetime.date(2025, 1, 15)
    # Again: the log is not recorded twice.
    post_upload(lead_client, plan, xlsx(("Plan", plan_rows(1)), ("Update log", log)))
    confirm(lead_client, ImportUpload.objects.latest("pk"))
    assert action.updates.count() == 3


def test_the_mapping_is_remembered_for_the_user_and_plan(lead_client, plan):
    rows = [["Ref no", "Theme no", "What we will do", "By when"], ["1.1", "1", "Audit", "31/01/2026"]]
    make_priority(plan, number="1")
    post_upload(lead_client, plan, csv_bytes(rows), "plan.csv")
    stored = ImportUpload.objects.latest("pk")
    mapping = {"col-reference": "0", "col-priority": "1", "col-description": "2", "col-due_date": "3"}
    response = lead_client.post(reverse("exchange:confirm", args=[stored.pk]), {"mapped": "1", **mapping})
    assert response.status_code == 302
    assert ImportMapping.objects.get().mapping["reference"] == "Ref no"

    post_upload(lead_client, plan, csv_bytes(rows), "plan.csv")
    again = lead_client.get(reverse("exchange:preview", args=[ImportUpload.objects.latest("pk").pk]))
    selected = {c["key"]: c["selected"] for c in again.context["columns"]}
    assert selected["reference"] == 0 and selected["priority"] == 1 and selected["due_date"] == 3


@pytest.mark.parametrize("role", ["officer", "scrutiny_member"])
def test_only_plan_leads_and_administrators_import(role, request, client, plan):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("exchange:upload")).status_code == 403
    assert post_upload(client, plan, xlsx(("Plan", plan_rows(1)))).status_code == 403
    assert ImportUpload.objects.count() == 0


def test_an_administrator_imports_too(client, administrator, plan):
    client.force_login(administrator)
    post_upload(client, plan, xlsx(("Plan", plan_rows(1))))
    assert confirm(client, ImportUpload.objects.get()).status_code == 302
    assert Action.objects.count() == 1


def test_the_preview_runs_the_same_number_of_queries_whatever_the_rows(lead_client, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The plan already holds actions (their leads and organisations are compared), and the file has a log.
    post_upload(lead_client, plan, xlsx(("Plan", plan_rows(3))))
    confirm(lead_client, ImportUpload.objects.latest("pk"))
    log = [["Reference", "Date", "Note"], ["1.1", datetime.date(2025, 1, 1), "Started"]]
    counts = []
    for size in (5, 200):
        post_upload(lead_client, plan, xlsx(("Plan", plan_rows(size)), ("Update log", log)))
        url = reverse("exchange:preview", args=[ImportUpload.objects.latest("pk").pk])
        with CaptureQueriesContext(connection) as captured:
            assert lead_client.get(url).status_code == 200
        counts.append(len(captured))
    # session, user, permissions and groups (one query), upload with its plan, remembered mapping, scale
    # levels, actions, their leads, their organisations, their success criteria, priorities, organisations,
    # people, past updates (only with a log sheet); no session save (its expiry is under a minute old).
    assert counts[0] == counts[1] <= 14


@time_machine.travel(TODAY)
def test_an_import_refuses_a_status_and_rag_pair_the_two_tier_scale_does_not_allow(lead_client, plan):
    for level in plan.rag_scale.levels.all():
        level.status = "complete" if level.colour == "blue" else "in_progress"
        level.save()
    rows = plan_rows(2)
    rows[2][6] = "Complete"  # "On track" goes with "In progress" only
    post_upload(lead_client, plan, xlsx(("Plan", rows)))

    response = confirm(lead_client, ImportUpload.objects.latest("pk"))

    assert response.status_code == 422
    problems = {(p.row, p.column): p.message for p in response.context["preview"].problems}
    assert problems[(3, "RAG")] == "“On track” goes with “In progress”; with “Complete” choose “Complete”"
    assert Action.objects.count() == 0
