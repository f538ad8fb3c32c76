"""Exports: typed .xlsx and .csv with a header row, safe to open in Excel, and an export imports back."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from actions.models import Action, ActionUpdate, Measure, MeasureValue
from exchange.models import ImportUpload
from inspections.models import Assessment
from tests.exchange.sheets import read_xlsx, upload
from tests.factories import (
    make_action,
    make_criterion,
    make_person,
    make_plan,
    make_priority,
    make_update,
    rag_level,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)


def test_the_actions_export_has_typed_columns_and_a_header_row(client, officer, plan):
    action = make_action(
        priority=make_priority(plan, number="1"), reference="1.1", start_date=datetime.date(2025, 1, 1)
    )
    client.force_login(officer)
    response = client.get(reverse("exchange:export-actions", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="actions.xlsx"'
    rows = read_xlsx(response.content)["Actions"]
    assert rows[0][:4] == ("Plan", "Priority", "Priority title", "Reference")
    assert rows[1][3] == "1.1"
    headers = rows[0]
    assert rows[1][headers.index("Due date")] == datetime.datetime(2030, 1, 31)  # a real date cell
    assert rows[1][headers.index("Start date")] == datetime.datetime(2025, 1, 1)
    assert action.description in rows[1]


def test_the_actions_export_keeps_the_tables_filters(client, officer, plan):
    priority = make_priority(plan, number="1")
    make_action(priority=priority, reference="1.1", status=Action.Status.COMPLETE)
    make_action(priority=priority, reference="1.2")
    client.force_login(officer)
    response = client.get(reverse("exchange:export-actions", args=["csv"]) + "?status=complete")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["1.1"]
    listing = client.get(reverse("actions:list") + "?status=complete")
    assert reverse("exchange:export-actions", args=["xlsx"]) + "?status=complete" in listing.content.decode()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_that_would_start_a_formula_are_neutralised(start, client, officer, plan):
    make_action(priority=make_priority(plan, number="1"), description=f'{start}HYPERLINK("http://x")')
    client.force_login(officer)
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("exchange:export-actions", args=[fmt]))
        if fmt == "xlsx":
            cell = read_xlsx(response.content)["Actions"][1][4]
        else:
            cell = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))[1][4]
        # XML keeps no carriage return: the .xlsx reads back a line feed, still behind the quote.
        expected = f'\'{start}HYPERLINK("http://x")'
        assert cell == (expected.replace("\r", "\n") if fmt == "xlsx" else expected)


def test_exports_follow_read_permissions(client, plan):
    from tests.factories import make_user

    client.force_login(make_user("nobody"))
    for name, args in [
        ("exchange:export-actions", ["xlsx"]),
        ("exchange:export-plan", [plan.pk, "csv"]),
        ("exchange:export-kpis", ["xlsx"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403
    client.logout()
    assert client.get(reverse("exchange:export-kpis", args=["xlsx"])).status_code == 302


def test_an_unknown_format_is_not_found(client, officer):
    client.force_login(officer)
    assert client.get(reverse("exchange:export-actions", args=["xls"])).status_code == 404


def test_the_rag_matrix_exports_criteria_as_rows_and_rounds_as_columns(client, scrutiny_member, plan_lead):
    criterion = make_criterion("A1")
    round_one = Assessment.objects.create(
        framework=criterion.framework, label="Feb 18", assessed_on=datetime.date(2018, 2, 28)
    )
    round_one.rate(criterion=criterion, author=plan_lead, version=0, rag="R", commentary="", next_steps="")
    client.force_login(scrutiny_member)
    response = client.get(
        reverse("exchange:export-matrix", args=["xlsx"]) + f"?framework={criterion.framework_id}"
    )
    rows = read_xlsx(response.content)["RAG matrix"]
    assert rows[0] == ("Code", "Criterion", "Feb 18")
    assert rows[1][0] == "A1" and rows[1][2] == "Red"


def test_kpi_values_export_with_numbers_as_numbers(client, scrutiny_member, plan):
    measure = Measure.objects.create(name="EHC plans in 20 weeks", plan=plan, higher_is_better=True)
    MeasureValue.objects.create(
        measure=measure, period_end=datetime.date(2024, 3, 31), value=58.5, national=50
    )
    client.force_login(scrutiny_member)
    rows = read_xlsx(client.get(reverse("exchange:export-kpis", args=["xlsx"])).content)["KPI values"]
    assert rows[1][0] == "EHC plans in 20 weeks"
    assert rows[1][4] == datetime.datetime(2024, 3, 31)
    assert rows[1][5] == 58.5 and rows[1][7] == 50


def test_exports_run_a_constant_number_of_queries(client, officer, plan, django_assert_max_num_queries):
    priority = make_priority(plan, number="1")
    made, counts = 0, []
    for size in (3, 30):
        for number in range(made, size):
            make_action(priority=priority, leads=[make_person()], reference=f"1.{number}")
        made = size
        client.force_login(officer)
        # session, user, permissions (2), the filter's checks, the actions with plan/priority/RAG, their
        # leads, lead organisations, success criteria, latest notes. The plan export adds the plan, the
        # stale-flag deadlines and its log.
        with django_assert_max_num_queries(8) as actions:
            client.get(reverse("exchange:export-actions", args=["xlsx"]))
        with django_assert_max_num_queries(10) as plan_export:
            client.get(reverse("exchange:export-plan", args=[plan.pk, "xlsx"]))
        counts.append((len(actions), len(plan_export)))
    assert counts[0] == counts[1]


@time_machine.travel(TODAY)
def test_a_plan_exported_and_imported_into_a_new_plan_reproduces_its_actions_and_history(
    client, plan_lead, plan
):
    scale = plan.rag_scale
    priority = make_priority(plan, number="1", title="Records and oversight")
    jo = make_person("Jo Bloggs")
    first = make_action(
        priority=priority,
        leads=[jo],
        reference="1.1",
        description="=Audit records",
        success_measure="All audited",
        start_date=datetime.date(2025, 1, 6),
    )
    first.accountable_officer = make_person("Sheila Murphy")
    first.save_edit(version=first.version, fields=["accountable_officer"])
    first.set_success_criteria(["All EHC plans audited", "95% within 20 weeks"])
    second = make_action(priority=priority, reference="1.2", description="Train staff")
    second.rebaseline(
        due_date=second.due_date + datetime.timedelta(days=30), reason="Late", version=second.version
    )
    with time_machine.travel(datetime.datetime(2025, 2, 3, 9, tzinfo=datetime.UTC)):
        make_update(
            first,
            plan_lead,
            "Started the audit",
            status=Action.Status.IN_PROGRESS,
            rag=rag_level(scale, "green"),
        )
    with time_machine.travel(datetime.datetime(2025, 4, 7, 9, tzinfo=datetime.UTC)):
        first.refresh_from_db()
        make_update(first, plan_lead, "Behind: sickness", rag=rag_level(scale, "amber"))
    client.force_login(plan_lead)
    exported = client.get(reverse("exchange:export-plan", args=[plan.pk, "xlsx"])).content

    copy = make_plan(rag_scale=scale, title="The copy")
    response = client.post(
        reverse("exchange:upload"),
        {"kind": "action_plan", "plan": copy.pk, "file": upload("plan.xlsx", exported)},
    )
    preview = client.get(response["Location"])
    assert preview.context["preview"].problems == []
    columns = {
        f"col-{c['key']}": "" if c["selected"] is None else c["selected"] for c in preview.context["columns"]
    }
    assert (
        client.post(
            reverse("exchange:confirm", args=[ImportUpload.objects.get().pk]), {"mapped": "1", **columns}
        ).status_code
        == 302
    )

    def snapshot(of_plan):
        actions = Action.objects.filter(plan=of_plan).order_by("reference")
        return [
            (
                a.reference,
                a.priority.number,
                a.priority.title,
                a.description,
                a.success_measure,
                a.start_date,
                a.due_date,
                a.original_due_date,
                a.accountable_officer.name if a.accountable_officer else "",
                [c.text for c in a.success_criteria.all()],
                a.status,
                a.rag_id,
                a.rag_reason,
                a.recovery_plan,
                sorted(p.name for p in a.leads.all()),
                [
                    (
                        u.given_on or u.created_at.date(),
                        u.status_after,
                        u.rag_after_id,
                        u.narrative.split("\n")[0],
                    )
                    for u in ActionUpdate.objects.filter(action=a).order_by("created_at", "pk")
                ],
            )
            for a in actions
        ]

    assert snapshot(copy) == snapshot(plan)
    # And the copy exports to the same sheets (but for the plan's title).
    again = read_xlsx(client.get(reverse("exchange:export-plan", args=[copy.pk, "xlsx"])).content)
    original = read_xlsx(exported)
    strip = lambda rows: [row[1:-1] for row in rows]  # noqa: E731  (title and "last updated" differ)
    assert strip(again["Actions"]) == strip(original["Actions"])
    assert [row[:2] + row[3:] for row in again["Update log"]] == [
        row[:2] + row[3:] for row in original["Update log"]
    ]
