"""A KPI's chart and data table plot its shared comparator series, each figure with its period and source."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import ComparatorSeries, ComparatorValue, Measure, MeasureValue
from reports.dashboard_charts import measure_chart
from reports.dashboards import measure_figures
from reports.papers.appendices import kpi_tables
from tests.factories import make_plan
from tests.reports.pages import charts, points, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared():
    """A national series shared by two measures of two plans, and one measure's own stale national figure."""
    series = ComparatorSeries.objects.create(name="EHC plans within 20 weeks", source="DfE SEN2")
    ComparatorValue.objects.create(
        series=series, period_end=datetime.date(2019, 12, 31), period_label="2019", value=Decimal("58.7")
    )
    ComparatorValue.objects.create(
        series=series,
        period_end=datetime.date(2024, 12, 31),
        period_label="2024",
        value=Decimal("46.4"),
        source="DfE SEN2 2025",
    )
    measures = []
    for title in ("Written statement of action", "Strategy"):
        measure = Measure.objects.create(
            name=f"Timeliness ({title})",
            plan=make_plan(title=title),
            higher_is_better=True,
            comparator=series,
        )
        for month in (10, 11):
            MeasureValue.objects.create(
                measure=measure, period_end=datetime.date(2024, month, 28), value=Decimal("50")
            )
        measures.append(measure)
    MeasureValue.objects.filter(measure=measures[0]).update(national=Decimal("1"), national_period="old")
    return measures


def test_each_measure_plots_the_shared_series_not_its_own_national_figures(shared):
    for figures in measure_figures(Measure.objects.filter(pk__in=[m.pk for m in shared]).order_by("pk")):
        chart = measure_chart(figures)

        svg = charts(str(chart.svg))[f"measure-{figures.measure.pk}"]
        assert points(svg, "National") == 2
        rows = dict(chart.rows)
        assert rows["Dec 2019"] == ["–", "58.7 (2019; source: DfE SEN2)"]
        assert rows["Dec 2024"] == ["–", "46.4 (2024; source: DfE SEN2 2025)"]
        assert rows["Oct 2024"] == ["50", "–"]  # not the measure's own "1"


def test_the_kpi_page_shows_the_shared_series_in_the_chart_and_its_data_table(
    client, scrutiny_member, shared
):
    client.force_login(scrutiny_member)

    html = client.get(reverse("reports:kpis")).content.decode()

    rows = table(html, shared[0].name)
    assert ["Dec 2019", "–", "58.7 (2019; source: DfE SEN2)"] in rows
    assert "46.4% for 2024 (source: DfE SEN2 2025)" in html  # the latest national figure, in words
    assert points(charts(html)[f"measure-{shared[1].pk}"], "National") == 2


def test_a_paper_appendix_takes_the_shared_series_with_its_periods(shared):
    appendix = type("Appendix", (), {"plan_id": shared[0].plan_id})()

    values = kpi_tables(appendix)["measures"][0]["values"]

    national = [(v["period_iso"], v["value"], v["national"], v["national_period"]) for v in values]
    assert national[0][1:] == ("", "58.7", "2019")
    assert ("2024-10-28", "50", "", "") in national
    assert values[-1]["national_source"] == "DfE SEN2 2025"
