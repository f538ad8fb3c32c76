"""The KPI page: latest value, direction of travel by polarity, national figure and milestones."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Measure, MeasureTarget, MeasureValue
from reports.dashboards import direction_of
from tests.reports.pages import charts, points, table

pytestmark = pytest.mark.django_db
URL = reverse("reports:kpis")
TODAY = timezone.localdate()


def _month_end(months_ago: int) -> datetime.date:
    day = TODAY.replace(day=1)
    for _ in range(months_ago):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return day - datetime.timedelta(days=1)


def make_measure(
    name: str, values: list[str], *, higher_is_better: bool = True, national=None, targets=(), **fields
):
    """Return a measure with a value per month (oldest first, the last at last month-end) and milestones."""
    measure = Measure.objects.create(
        name=name,
        higher_is_better=higher_is_better,
        baseline=Decimal(values[0]),
        final_target=Decimal("90"),
        **fields,
    )
    for index, value in enumerate(values):
        MeasureValue.objects.create(
            measure=measure,
            period_end=_month_end(len(values) - index),
            value=Decimal(value),
            national=Decimal(national[0]) if national else None,
            national_period=national[1] if national else "",
        )
    for months_ago, target in targets:
        period = (
            _month_end(months_ago)
            if months_ago > 0
            else TODAY + datetime.timedelta(days=60 * -months_ago + 30)
        )
        MeasureTarget.objects.create(measure=measure, period_end=period, target=Decimal(target))
    return measure


def _summary(html: str, measure: Measure) -> str:
    start = html.index(f'id="measure-{measure.pk}-heading"')
    return html[start : html.index("</dl>", start)]


@pytest.mark.parametrize(
    ("values", "higher_is_better", "expected"),
    [
        (["50", "55"], True, "Better"),
        (["55", "50"], True, "Worse"),
        (["9.8", "9.1"], False, "Better"),  # lower is better, e.g. exclusions
        (["9.1", "9.8"], False, "Worse"),
        (["60", "60"], True, "No change"),
    ],
)
def test_direction_of_travel_takes_polarity_into_account(
    client, scrutiny_member, values, higher_is_better, expected
):
    measure = make_measure("Exclusions", values, higher_is_better=higher_is_better)
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    summary = _summary(html, measure)
    # The same rule computed independently: compare the last two values, flipping for lower-is-better.
    change = Decimal(values[1]) - Decimal(values[0])
    independent = "No change" if not change else ("Better" if (change > 0) == higher_is_better else "Worse")
    assert independent == expected
    assert (
        f'class="tag tag--{ {"Better": "green", "Worse": "red"}.get(expected, "grey") }">{expected}</strong>'
        in summary
    )


def test_the_latest_value_and_the_national_figure_show_the_period_each_refers_to(client, scrutiny_member):
    measure = make_measure("EHC plans in 20 weeks", ["52", "57.5"], national=("59.9", "2025 calendar year"))
    client.force_login(scrutiny_member)

    summary = _summary(client.get(URL).content.decode(), measure)

    assert f"<strong>57.5%</strong> at {_month_end(1):%B %Y}" in summary
    assert "59.9% for 2025 calendar year" in summary
    assert "Worse than national" in summary


def test_each_milestone_is_rated_against_its_target(client, scrutiny_member):
    measure = make_measure(
        "NEET",
        ["9.8", "9.0", "8.1"],
        higher_is_better=False,
        targets=[(3, "9.9"), (2, "8.5"), (1, "8.1"), (-1, "7")],
    )
    client.force_login(scrutiny_member)

    rows = table(client.get(URL).content.decode(), f"Milestones: {measure.name}")

    values = {v.period_end: v.value for v in measure.values.all()}
    expected = []
    for target in measure.targets.order_by("period_end"):
        actual = values.get(target.period_end)
        if actual is None:
            expected.append("Not due yet" if target.period_end > TODAY else "No figure recorded")
        else:
            expected.append("On target" if actual <= target.target else "Off target")
    assert [row[3] for row in rows[1:]] == expected
    assert expected == ["On target", "Off target", "On target", "Not due yet"]


def test_each_measure_has_a_line_chart_with_a_point_per_value_and_per_milestone(client, scrutiny_member):
    measure = make_measure(
        "Reviews", ["41", "43", "47", "50"], national=("55", "2024/25"), targets=[(2, "45"), (-2, "80")]
    )
    client.force_login(scrutiny_member)

    html = client.get(URL).content.decode()

    svg = charts(html)[f"measure-{measure.pk}"]
    assert points(svg, "Value") == 4
    assert points(svg, "National") == 4
    assert points(svg, "Milestone target") == 2
    assert "Show the data" in html


def test_direction_of_is_symmetric_in_polarity():
    assert direction_of(Decimal(1), Decimal(2), True) == "better"
    assert direction_of(Decimal(1), Decimal(2), False) == "worse"


def test_a_scrutiny_member_sees_no_link_to_record_values(client, scrutiny_member, plan_lead):
    measure = make_measure("Reviews", ["41", "43"])
    client.force_login(scrutiny_member)
    assert reverse("reports:kpi-values", args=[measure.pk]) not in client.get(URL).content.decode()
    client.force_login(plan_lead)
    assert reverse("reports:kpi-values", args=[measure.pk]) in client.get(URL).content.decode()


def test_the_number_of_queries_does_not_grow_with_measures_or_values(
    client, scrutiny_member, django_assert_max_num_queries
):
    make_measure("One", ["1", "2"], targets=[(1, "2")])
    client.force_login(scrutiny_member)
    client.get(URL)
    # session, user, groups and permissions (one query), plans (for the plan filter), the contents (every
    # measure's name), the page's measures (with plan and priority), values, targets; no
    # session save within a minute of the last
    expected = 8
    with django_assert_max_num_queries(expected) as small:
        client.get(URL)
    for index in range(5):
        make_measure(
            f"Measure {index}",
            [str(v) for v in range(12)],
            national=("5", "2024"),
            targets=[(3, "4"), (-3, "9")],
        )
    with django_assert_max_num_queries(expected) as large:
        client.get(URL)
    assert len(small) == len(large)


def test_measures_come_five_to_a_page_and_the_contents_list_them_all(client, scrutiny_member):
    measures = [make_measure(f"Measure {index:02}", ["1", "2"]) for index in range(7)]
    client.force_login(scrutiny_member)

    first = client.get(URL).content.decode()
    shown = [m for m in measures if f'id="measure-{m.pk}-heading"' in first]
    assert shown == measures[:5]
    assert "Showing measures 1 to 5 of 7 in full." in first
    # The contents link a measure on this page to its heading, and one on the next page to that page.
    assert f'<a href="#measure-{measures[0].pk}-heading">Measure 00</a>' in first
    assert f'<a href="?page=2#measure-{measures[6].pk}-heading">Measure 06</a>' in first
    assert 'href="?page=2" rel="next"' in first

    second = client.get(URL, {"page": "2"}).content.decode()
    assert [m for m in measures if f'id="measure-{m.pk}-heading"' in second] == measures[5:]
    assert "Showing measures 6 to 7 of 7 in full." in second
    # A page past the end shows the last page; nonsense shows the first.
    assert f'id="measure-{measures[6].pk}-heading"' in client.get(URL, {"page": "9"}).content.decode()
    assert f'id="measure-{measures[0].pk}-heading"' in client.get(URL, {"page": "x"}).content.decode()
