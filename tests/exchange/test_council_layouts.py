"""A council's own spreadsheets import as they are: each layout is built here with openpyxl, imported through
the pages (upload, preview, confirm) and read back through the pages (plan page, action page, update cycle).
"""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook

from actions.models import Action, ActionUpdate, Person, Priority
from exchange.models import ImportMapping, ImportUpload
from tests.exchange.sheets import xlsx
from tests.exchange.test_plan_import import confirm, post_upload
from tests.factories import make_priority

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)
DUE = datetime.date(2026, 1, 31)


def upload_and_preview(client, plan, data: bytes, name: str = "plan.xlsx", **posted):
    """Upload a file and return (stored upload, preview response); `posted` updates the preview by POST."""
    post_upload(client, plan, data, name)
    stored = ImportUpload.objects.latest("pk")
    url = reverse("exchange:preview", args=[stored.pk])
    response = client.get(url)
    if posted:
        columns = {
            f"col-{c['key']}": "" if c["selected"] is None else c["selected"]
            for c in response.context["columns"]
        }
        response = client.post(url, {"mapped": "1", **columns, **posted})
    assert response.status_code == 200
    return stored, response


def imported(client, stored, **extra):
    response = confirm(client, stored, **extra)
    problems = response.context and response.context["preview"].problems
    assert response.status_code == 302, problems
    return response


def plan_page(client, plan) -> str:
    return client.get(reverse("plans:detail", args=[plan.pk])).content.decode()


def action_page(client, reference: str) -> str:
    action = Action.objects.get(reference=reference)
    return client.get(reverse("actions:detail", args=[action.pk])).content.decode()


@time_machine.travel(TODAY)
def test_title_rows_above_the_header_are_skipped_shown_and_the_choice_is_remembered(lead_client, plan):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Thurrock Written Statement of Action – tracker", None, None, None, None])
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(["Version 3, March 2025"])
    sheet.append(["Ref", "Priority", "Priority title", "Action", "Due date"])
    sheet.append(["1.1", "1", "Records", "Audit EHC plans", DUE])
    sheet.append(["1.2", "1", "Records", "Train caseworkers", DUE])
    buffer = io.BytesIO()
    workbook.save(buffer)

    stored, response = upload_and_preview(lead_client, plan, buffer.getvalue())
    preview = response.context["preview"]
    assert preview.header_row == 3
    assert [row["kind"] for row in preview.sample[:4]] == [
        "Above the header (skipped)",
        "Above the header (skipped)",
        "Above the header (skipped)",
        "Header row",
    ]
    page = response.content.decode()
    assert "The first rows of the sheet as read" in page and "Version 3, March 2025" in page
    assert [row.reference for row in preview.rows] == ["1.1", "1.2"]
    assert [problem.row for problem in preview.problems] == []

    # Choosing another header row re-reads the columns from it.
    _stored, other = upload_and_preview(lead_client, plan, buffer.getvalue(), header_row="0")
    assert other.context["preview"].header_row == 0
    assert other.context["preview"].problems  # "Thurrock …" is no heading of an action

    imported(lead_client, stored, header_row="3")
    assert ImportMapping.objects.get().mapping["header_row"] == 3
    page = plan_page(lead_client, plan)
    assert "Audit EHC plans" in page and "Train caseworkers" in page


@time_machine.travel(TODAY)
def test_banner_rows_start_priorities_created_or_matched(lead_client, plan):
    make_priority(plan, number="2", title="Embedding the graduated response")
    rows = [
        ["Ref", "Action", "Lead", "Due date"],
        ["Area of weakness A: Strategy", None, None, None],
        ["A1", "Write the joint strategy", "", DUE],
        ["A2", "Publish the local offer", "", DUE],
        ["Work stream 2 – Embedding the graduated response", None, None, None],
        ["2.1", "Train SENCOs", "", DUE],
    ]
    stored, response = upload_and_preview(lead_client, plan, xlsx(("Plan", rows)))
    preview = response.context["preview"]
    assert preview.priority_mode == "banners"
    assert [row["kind"] for row in preview.sample[1:3]] == ["Priority banner", ""]
    assert [row.values["priority"] for row in preview.rows] == ["A", "A", "2"]
    assert preview.new_priorities == ["A. Strategy"]

    imported(lead_client, stored)
    assert sorted(Priority.objects.filter(plan=plan).values_list("number", "title")) == [
        ("2", "Embedding the graduated response"),
        ("A", "Strategy"),
    ]
    assert Action.objects.get(reference="2.1").priority.number == "2"
    page = plan_page(lead_client, plan)
    assert "A. Strategy" in page and "Write the joint strategy" in page


@time_machine.travel(TODAY)
def test_a_sharepoint_list_without_references_or_priorities_imports_into_one_named_priority(
    lead_client, plan
):
    rows = [
        ["Title", "Owner", "Due Date", "Status", "Modified", "Created"],
        [
            "Audit EHC plans",
            "Jo Bloggs",
            "2025-06-30T00:00:00Z",
            "In progress",
            "2025-05-01T09:12:00Z",
            "2025-01-01T08:00:00Z",
        ],
        ["Train caseworkers", "", "2025-09-30T00:00:00Z", "Not started", "2025-05-02T09:12:00Z", ""],
    ]
    data = xlsx(("Items", rows))
    stored, response = upload_and_preview(lead_client, plan, data)
    columns = {c["key"]: c["selected"] for c in response.context["columns"]}
    assert columns["due_date"] == 2  # "Modified" and "Created" are never guessed as the due date
    preview = response.context["preview"]
    assert preview.priority_mode == "named"
    assert [p.column for p in preview.problems] == ["Priority"]

    _stored, named = upload_and_preview(lead_client, plan, data, priority_name="Joint commissioning")
    assert [row.reference for row in named.context["preview"].rows] == ["1.1", "1.2"]
    assert named.context["preview"].problems == []
    imported(lead_client, stored, priority_name="Joint commissioning")

    audit = Action.objects.get(reference="1.1")
    assert audit.due_date == datetime.date(2025, 6, 30)
    assert audit.priority.title == "Joint commissioning"
    page = plan_page(lead_client, plan)
    assert "1. Joint commissioning" in page and "30 Jun 2025" in page
    # Importing the same list again matches the numbered references: nothing changes.
    _again, response = upload_and_preview(lead_client, plan, data, priority_name="Joint commissioning")
    assert response.context["preview"].counts == {"create": 0, "update": 0, "unchanged": 2}


@time_machine.travel(TODAY)
def test_several_leads_in_a_cell_with_organisations_and_an_accountable_officer(lead_client, plan):
    rows = [
        ["Reference", "Priority", "Priority title", "Action", "Leads", "Accountable officer", "Due date"],
        [
            "1.1",
            "1",
            "Joint working",
            "Agree the joint commissioning plan",
            "Jo Bloggs (Thurrock Council); Sam Hill (NHS Mid and South Essex ICB)\nAnn Lee / Raj Patel",
            "Sheila Murphy (Thurrock Council)",
            DUE,
        ],
    ]
    stored, response = upload_and_preview(lead_client, plan, xlsx(("Plan", rows)))
    names = sorted(lead["name"] for lead in response.context["leads"])
    assert names == ["Ann Lee", "Jo Bloggs", "Raj Patel", "Sam Hill", "Sheila Murphy"]
    imported(lead_client, stored)

    action = Action.objects.get()
    assert action.accountable_officer.name == "Sheila Murphy"
    assert Person.objects.get(name="Sam Hill").organisation.name == "NHS Mid and South Essex ICB"
    page = plan_page(lead_client, plan)
    assert "Jo Bloggs (Thurrock Council)" in page and "Sam Hill (NHS Mid and South Essex ICB)" in page
    assert "Sheila Murphy (Thurrock Council)" in action_page(lead_client, "1.1")
    # The update-cycle page tallies the leads' organisations (it said "No organisation recorded").
    cycle = lead_client.get(reverse("cycle:status", args=[plan.pk])).content.decode()
    assert "Thurrock Council" in cycle and "NHS Mid and South Essex ICB" in cycle
    assert "No organisation recorded" not in cycle


@time_machine.travel(TODAY)
def test_a_success_criteria_list_becomes_separate_criteria(lead_client, plan):
    rows = [
        ["Reference", "Priority", "Priority title", "Action", "Success criteria", "Due date"],
        ["1.1", "1", "Records", "Audit", "• All EHC plans audited\n• 95% issued within 20 weeks", DUE],
        ["1.2", "1", "Records", "Train", "1. Staff trained\n2) Refresher booked", DUE],
    ]
    stored, _response = upload_and_preview(lead_client, plan, xlsx(("Plan", rows)))
    imported(lead_client, stored)
    audit = Action.objects.get(reference="1.1")
    assert [c.text for c in audit.success_criteria.all()] == [
        "All EHC plans audited",
        "95% issued within 20 weeks",
    ]
    page = action_page(lead_client, "1.2")
    assert "Staff trained" in page and "Refresher booked" in page and "2) Refresher" not in page


@time_machine.travel(TODAY)
def test_original_and_revised_due_dates_import_as_a_rebaseline_even_before_the_start(lead_client, plan):
    rows = [
        ["Ref", "Priority", "Priority title", "Action", "Start", "Original due", "Revised due"],
        ["1.1", "1", "Records", "Audit", datetime.date(2025, 3, 1), DUE, datetime.date(2026, 6, 30)],
        # A real plan's history: revised to a date before its start; it imports as it is.
        ["1.2", "1", "Records", "Train", datetime.date(2025, 9, 1), DUE, datetime.date(2025, 8, 1)],
        ["1.3", "1", "Records", "Review", None, DUE, None],
    ]
    stored, response = upload_and_preview(lead_client, plan, xlsx(("Plan", rows)))
    assert response.context["preview"].problems == []
    imported(lead_client, stored)

    audit = Action.objects.get(reference="1.1")
    assert (audit.original_due_date, audit.due_date) == (DUE, datetime.date(2026, 6, 30))
    assert audit.rebaseline_reason == "Revised in the imported plan"
    assert Action.objects.get(reference="1.2").due_date == datetime.date(2025, 8, 1)
    review = Action.objects.get(reference="1.3")
    assert (review.due_date, review.is_rebaselined) == (DUE, False)
    page = plan_page(lead_client, plan)
    assert "30 Jun 2026, re-baselined from 31 Jan 2026: Revised in the imported plan" in page


@time_machine.travel(TODAY)
def test_rag_descriptions_map_through_the_plans_scale_and_complete_sets_the_status(lead_client, plan):
    headers = ["Reference", "Priority", "Priority title", "Action", "Due date", "RAG"]
    written = ["R – over a month behind", "Amber - at risk", "Complete", "Blue", "G"]
    rows = [headers] + [
        [f"1.{n}", "1", "Records", f"Action {n}", DUE, word] for n, word in enumerate(written, start=1)
    ]
    stored, response = upload_and_preview(lead_client, plan, xlsx(("Plan", rows)))
    preview = response.context["preview"]
    assert preview.problems == []
    assert "means complete: status set to Complete" in response.content.decode()
    imported(lead_client, stored)

    actions = {a.reference: a for a in Action.objects.select_related("rag")}
    assert [actions[f"1.{n}"].rag.label for n in range(1, 6)] == [
        "Off track",
        "At risk",
        "Complete",
        "Complete",
        "On track",
    ]
    assert actions["1.3"].status == actions["1.4"].status == Action.Status.COMPLETE
    assert actions["1.5"].status == Action.Status.NOT_STARTED
    # Red without a written reason imports, marked where the page shows the reason.
    assert "Reason not recorded at import." in action_page(lead_client, "1.1")


def test_a_rag_word_the_scale_cannot_place_is_a_problem_listing_its_levels(lead_client, plan):
    rows = [
        ["Reference", "Priority", "Priority title", "Action", "Due date", "RAG"],
        ["1.1", "1", "Records", "Audit", DUE, "Purple haze"],
    ]
    stored, _response = upload_and_preview(lead_client, plan, xlsx(("Plan", rows)))
    response = confirm(lead_client, stored)
    assert response.status_code == 422
    [problem] = response.context["preview"].problems
    assert (problem.row, problem.column) == (2, "RAG")
    assert "“Complete”, “On track”, “At risk”, “Off track”" in problem.message
    assert Action.objects.count() == 0


@time_machine.travel(TODAY)
def test_past_ratings_without_reasons_import_marked_not_recorded(lead_client, plan):
    rows = [
        ["Reference", "Priority", "Priority title", "Action", "Due date", "Status", "RAG"],
        ["1.1", "1", "Records", "Audit", DUE, "In progress", "On track"],
    ]
    log = [
        ["Reference", "Date", "Status", "RAG", "Note"],
        ["1.1", datetime.date(2025, 1, 15), "In progress", "Off track", "Nothing done yet"],
        ["1.1", datetime.date(2025, 3, 15), "In progress", "At risk", "Started late"],
    ]
    stored, response = upload_and_preview(lead_client, plan, xlsx(("Plan", rows), ("Update log", log)))
    assert response.context["preview"].problems == []
    imported(lead_client, stored)

    updates = list(ActionUpdate.objects.order_by("created_at"))
    assert [u.rag_after.label for u in updates] == ["Off track", "At risk", "On track"]
    assert updates[0].rag_reason == "Reason not recorded at import."
    assert updates[0].recovery_plan == "Recovery not recorded at import."
    assert "Reason not recorded at import." in action_page(lead_client, "1.1")


@time_machine.travel(TODAY)
def test_update_columns_per_period_import_as_dated_past_updates_asking_the_year_once(lead_client, plan):
    rows = [
        ["Reference", "Priority", "Priority title", "Action", "Due date", "Progress update (Nov)"],
        ["1.1", "1", "Records", "Audit", DUE, "Audit scoped"],
        ["1.2", "1", "Records", "Train", DUE, ""],
    ]
    rows[0] += ["Progress update (Jan)", "Update – Q4"]
    rows[1] += ["Half the files read", "Audit finished"]
    rows[2] += ["Trainer booked", ""]
    data = xlsx(("Plan", rows))
    stored, response = upload_and_preview(lead_client, plan, data)
    preview = response.context["preview"]
    assert preview.needs_year
    assert [p.column for p in preview.problems] == ["Progress update (Nov)"]
    assert 'name="year"' in response.content.decode()

    _stored, answered = upload_and_preview(lead_client, plan, data, year="2024")
    counts = {c["heading"]: c["count"] for c in answered.context["preview"].column_counts}
    assert counts["Progress update (Jan)"] == 2
    imported(lead_client, stored, year="2024")

    audit = Action.objects.get(reference="1.1")
    dates = [u.given_on for u in audit.updates.order_by("created_at")]
    assert dates == [datetime.date(2024, 11, 30), datetime.date(2025, 1, 31), datetime.date(2025, 3, 31)]
    page = action_page(lead_client, "1.1")
    assert "Audit scoped" in page and "Half the files read" in page and "Audit finished" in page
    assert ImportMapping.objects.get().mapping["year"] == 2024


def test_a_blank_headed_column_is_not_read_by_fields_left_unmapped(lead_client, plan):
    rows = [
        ["Reference", "Priority", "Priority title", "Action", "Due date", ""],
        ["1.1", "1", "Records", "Audit", DUE, "Complete"],
    ]
    stored, response = upload_and_preview(lead_client, plan, xlsx(("Plan", rows)), leads="")
    assert response.context["leads"] == []
    assert {c["key"]: c["selected"] for c in response.context["columns"]}["leads"] is None
    assert "Complete" not in response.context["preview"].new_organisations
    imported(lead_client, stored)
    assert Person.objects.count() == 0


def test_updating_the_preview_posts_and_keeps_the_csrf_token_out_of_the_url(lead_client, plan):
    rows = [["Reference", "Priority", "Priority title", "Action", "Due date"], ["1.1", "1", "R", "A", DUE]]
    stored, response = upload_and_preview(lead_client, plan, xlsx(("Plan", rows)))
    page = response.content.decode()
    assert 'formmethod="get"' not in page
    assert f'formaction="{reverse("exchange:preview", args=[stored.pk])}"' in page
    url = reverse("exchange:preview", args=[stored.pk])
    assert lead_client.post(url, {"mapped": "1", "col-description": "3"}).status_code == 200


def test_the_import_and_the_plan_pages_create_through_the_same_model_methods(lead_client, plan, monkeypatch):
    calls = []
    add_priority, add_action = type(plan).add_priority, Priority.add_action

    def spy_priority(self, **fields):
        calls.append(("priority", fields["number"]))
        return add_priority(self, **fields)

    def spy_action(self, **fields):
        calls.append(("action", fields["reference"]))
        return add_action(self, **fields)

    monkeypatch.setattr(type(plan), "add_priority", spy_priority)
    monkeypatch.setattr(Priority, "add_action", spy_action)
    rows = [["Reference", "Priority", "Priority title", "Action", "Due date"], ["1.1", "1", "R", "A", DUE]]
    stored, _response = upload_and_preview(lead_client, plan, xlsx(("Plan", rows)))
    imported(lead_client, stored)
    priority = Priority.objects.get()
    lead_client.post(
        reverse("plans:priority-create", args=[plan.pk]), {"number": "2", "title": "Two", "order": "2"}
    )
    lead_client.post(
        reverse("plans:action-create", args=[priority.pk]),
        {
            "priority": priority.pk,
            "reference": "1.2",
            "description": "B",
            "due_date": "2026-01-31",
            "order": 2,
        },
    )
    assert calls == [("priority", "1"), ("action", "1.1"), ("priority", "2"), ("action", "1.2")]


def test_adding_a_priority_or_action_refuses_a_number_or_reference_already_taken(plan):
    from django.core.exceptions import ValidationError

    priority = plan.add_priority(number="1", title="Records")
    with pytest.raises(ValidationError):
        plan.add_priority(number="1", title="Again")
    priority.add_action(reference="1.1", description="Audit", due_date=DUE)
    with pytest.raises(ValidationError):
        priority.add_action(reference="1.1", description="Again", due_date=DUE)
    with pytest.raises(ValidationError):
        priority.add_action(
            reference="1.2", description="Late", due_date=DUE, start_date=DUE + datetime.timedelta(days=1)
        )
    assert Action.objects.count() == 1
