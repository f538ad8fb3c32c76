"""A period can have a national figure and no local value: every KPI view, chart and appendix cope."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions.models import Measure, MeasureValue
from reports.dashboard_charts import measure_chart
from reports.dashboards import measure_figures, month_ends
from reports.papers.appendices import kpi_tables
from reports.papers.kpi_charts import appendix_charts
from tests.factories import make_plan
from tests.reports.pages import charts, points, table

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
THIRD, SECOND, FIRST = month_ends(TODAY, 3)  # oldest first


@pytest.fixture
def measure(db):
    """Two local values, and a national figure published for a month with no local value yet."""
    measure = Measure.objects.create(
        name="SEN2 timeliness", plan=make_plan(title="Written Statement of Action"), higher_is_better=True
    )
    MeasureValue.objects.create(measure=measure, period_end=THIRD, value=Decimal("50"))
    MeasureValue.objects.create(measure=measure, period_end=SECOND, value=Decimal("55"))
    MeasureValue.objects.create(
        measure=measure,
        period_end=FIRST,
        value=None,
        national=Decimal("49.2"),
        national_period="2024",
        national_source="DfE SEN2 2025",
    )
    return measure


def test_the_latest_value_and_direction_skip_the_national_only_row(measure):
    figures = measure_figures(Measure.objects.filter(pk=measure.pk))[0]

    assert [v.value for v in figures.values] == [Decimal("50"), Decimal("55")]
    assert (figures.latest.period_end, figures.direction) == (SECOND, "better")
    assert (figures.national.period_end, figures.against_national) == (FIRST, "better")


def test_the_chart_draws_local_points_without_it_and_the_national_point_with_its_period(measure):
    chart = measure_chart(measure_figures(Measure.objects.filter(pk=measure.pk))[0])

    svg = charts(str(chart.svg))[f"measure-{measure.pk}"]
    assert points(svg, "Value") == 2
    assert points(svg, "National") == 1
    assert dict(chart.rows)[f"{FIRST:%b %Y}"] == ["–", "49.2 (2024)"]
    assert "National figure 49.2% (2024), source: DfE SEN2 2025." in chart.summary


def test_the_kpi_page_shows_it_as_the_national_comparator(client, scrutiny_member, measure):
    client.force_login(scrutiny_member)

    response = client.get(reverse("reports:kpis"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "49.2% for 2024 (source: DfE SEN2 2025)" in html
    assert f"<strong>55%</strong> at {SECOND:%B %Y}" in html


def test_a_measure_with_only_a_national_figure_still_renders(client, scrutiny_member, db):
    lonely = Measure.objects.create(name="Exclusions", higher_is_better=False)
    MeasureValue.objects.create(measure=lonely, period_end=FIRST, national=Decimal("0.1"))
    client.force_login(scrutiny_member)

    html = client.get(reverse("reports:kpis")).content.decode()

    assert "No values recorded yet" in html
    assert points(charts(html)[f"measure-{lonely.pk}"], "National") == 1


def test_the_per_measure_form_loads_the_national_only_row_with_a_blank_value(client, plan_lead, measure):
    client.force_login(plan_lead)

    html = client.get(reverse("reports:kpi-values", args=[measure.pk])).content.decode()

    assert 'value="DfE SEN2 2025"' in html
    assert 'value="49.20"' in html


def test_the_kpi_grid_shows_the_national_only_row(client, plan_lead, measure):
    client.force_login(plan_lead)

    html = client.get(reverse("reports:kpi-grid")).content.decode()

    stem = f"m{measure.pk}-{FIRST:%Y-%m-%d}"
    assert f'name="{stem}-value" value=""' in html
    assert f'name="{stem}-national" value="49.2"' in html
    assert f'name="{stem}-national_source" value="DfE SEN2 2025"' in html


def test_the_paper_appendix_prints_a_dash_for_the_value_and_the_national_figure_with_its_period(measure):
    data = kpi_tables(SimpleNamespace(plan_id=measure.plan_id))

    kpis = appendix_charts({"number": 1, "data": data})
    html = render_to_string("papers/_appendix_kpis.html", {"kpis": kpis})

    rows = table(html, "Figures for SEN2 timeliness (per cent, higher is better).")
    national_only = next(row for row in rows if row[0] == f"{FIRST:%-d %b %Y}")
    assert national_only[1:] == ["–", "–", "49.2 (2024); DfE SEN2 2025"]
    assert [row[1] for row in rows[1:3]] == ["50", "55"]


def test_month_ends_are_what_the_fixture_assumes():
    assert THIRD < SECOND < FIRST < TODAY
    assert FIRST + datetime.timedelta(days=1) == TODAY.replace(day=1)
