"""Importing a KPI sheet: a measure per row, polarity in words or arrows, milestone target/actual pairs
with their labels, and a national comparator; through the pages, read back on the KPI page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from actions.models import Measure, MeasureTarget, MeasureValue
from exchange.models import ImportUpload
from tests.exchange.sheets import upload, xlsx

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2025, 6, 2, 10, 0, tzinfo=datetime.UTC)
HEADERS = [
    "KPI",
    "Unit",
    "Polarity",
    "Baseline",
    "Final target",
    "M1 Jul 23 target",
    "M1 actual",
    "M2 Oct 23 target",
    "M2 actual",
    "National",
    "National period",
]


def kpi_sheet() -> bytes:
    rows = [
        HEADERS,
        [
            "EHC plans issued within 20 weeks",
            "%",
            "Higher is better",
            38,
            60,
            45,
            "41%",
            50,
            47,
            50.3,
            "2023",
        ],
        ["Days from request to decision", "days", "↓", 30, 20, 28, 29, 25, "", "", ""],
    ]
    return xlsx(("KPIs", rows))


def upload_kpis(client, plan, data: bytes) -> ImportUpload:
    client.post(
        reverse("exchange:upload"), {"kind": "kpi_sheet", "plan": plan.pk, "file": upload("kpis.xlsx", data)}
    )
    return ImportUpload.objects.latest("pk")


def confirm_kpis(client, stored: ImportUpload, **extra):
    response = client.get(reverse("exchange:preview", args=[stored.pk]))
    columns = {
        f"col-{c['key']}": "" if c["selected"] is None else c["selected"] for c in response.context["columns"]
    }
    return client.post(reverse("exchange:confirm", args=[stored.pk]), {"mapped": "1", **columns, **extra})


@time_machine.travel(TODAY)
def test_a_kpi_sheet_imports_measures_milestones_with_labels_and_a_national_figure(lead_client, plan):
    stored = upload_kpis(lead_client, plan, kpi_sheet())
    preview = lead_client.get(reverse("exchange:preview", args=[stored.pk]))
    assert preview.status_code == 200
    assert preview.context["preview"].problems == []
    assert [m.label for m in preview.context["preview"].milestones] == ["M1", "M2"]
    assert Measure.objects.count() == 0  # nothing written by the preview

    response = confirm_kpis(lead_client, stored)
    assert response.status_code == 302, response.context and response.context["preview"].problems
    weeks = Measure.objects.get(name="EHC plans issued within 20 weeks")
    assert (weeks.plan, weeks.higher_is_better, weeks.unit) == (plan, True, Measure.Unit.PERCENT)
    assert (weeks.baseline, weeks.final_target) == (Decimal(38), Decimal(60))
    targets = list(MeasureTarget.objects.filter(measure=weeks).order_by("period_end"))
    assert [(t.label, t.period_end, t.target) for t in targets] == [
        ("M1", datetime.date(2023, 7, 31), Decimal(45)),
        ("M2", datetime.date(2023, 10, 31), Decimal(50)),
    ]
    values = {v.period_end: v for v in MeasureValue.objects.filter(measure=weeks)}
    assert values[datetime.date(2023, 7, 31)].value == Decimal(41)
    national = values[datetime.date(2023, 12, 31)]
    assert (national.value, national.national, national.national_period) == (None, Decimal("50.3"), "2023")
    days = Measure.objects.get(name="Days from request to decision")
    assert (days.higher_is_better, days.unit) == (False, Measure.Unit.DAYS)

    page = lead_client.get(reverse("reports:kpis"), {"plan": plan.pk}).content.decode()
    assert "EHC plans issued within 20 weeks" in page and "Days from request to decision" in page


@time_machine.travel(TODAY)
def test_the_same_kpi_sheet_again_changes_no_figure(lead_client, plan):
    confirm_kpis(lead_client, upload_kpis(lead_client, plan, kpi_sheet()))
    before = (MeasureValue.history.count(), MeasureTarget.history.count(), Measure.objects.count())
    stored = upload_kpis(lead_client, plan, kpi_sheet())
    assert [
        row.operation
        for row in lead_client.get(reverse("exchange:preview", args=[stored.pk])).context["preview"].rows
    ] == ["update", "update"]
    assert confirm_kpis(lead_client, stored).status_code == 302
    assert (MeasureValue.history.count(), Measure.objects.count()) == (before[0], before[2])


def test_a_kpi_sheet_with_an_unreadable_polarity_or_figure_imports_nothing(lead_client, plan):
    rows = [HEADERS, ["Waiting time", "weeks", "sideways", 1, 2, "lots", 3, 4, 5, "", ""]]
    stored = upload_kpis(lead_client, plan, xlsx(("KPIs", rows)))
    response = confirm_kpis(lead_client, stored)
    assert response.status_code == 422
    problems = {(p.row, p.column) for p in response.context["preview"].problems}
    assert {(2, "Polarity"), (2, "M1 target")} <= problems
    assert Measure.objects.count() == 0
