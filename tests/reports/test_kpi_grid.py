"""KPI entry as one grid: every measure (of a plan or all) by month, saved whole or not at all."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Measure, MeasureValue
from reports.dashboards import month_ends
from tests.factories import make_plan

pytestmark = pytest.mark.django_db
URL = reverse("reports:kpi-grid")
TODAY = timezone.localdate()
LAST, BEFORE = month_ends(TODAY, 2)[::-1]


@pytest.fixture
def measures(db):
    wsoa, strategy = make_plan(title="Written Statement of Action"), make_plan(title="SEND strategy")
    timeliness = Measure.objects.create(name="SEN2 timeliness", plan=wsoa, higher_is_better=True)
    absence = Measure.objects.create(
        name="Persistent absence", plan=strategy, higher_is_better=False, unit=Measure.Unit.PERCENT
    )
    MeasureValue.objects.create(measure=timeliness, period_end=BEFORE, value=Decimal("60.5"), note="Kept")
    return {"timeliness": timeliness, "absence": absence, "wsoa": wsoa, "strategy": strategy}


def cell(measure: Measure, period, field: str = "value") -> str:
    return f"m{measure.pk}-{period:%Y-%m-%d}-{field}"


def posted(*measures: Measure, **cells) -> dict:
    """Return the grid's versions as loaded, plus the cells given."""
    return {f"m{m.pk}-version": str(m.version) for m in measures} | cells


def labels(html: str) -> dict[str, str]:
    """Return {input id: its label text} for every label of the page."""
    return {
        target: " ".join(text.split())
        for target, text in re.findall(r'<label for="([^"]+)"[^>]*>(.*?)</label>', html, re.S)
    }


def test_it_shows_every_measure_by_month_with_a_labelled_input_per_figure(client, plan_lead, measures):
    client.force_login(plan_lead)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    timeliness, absence = measures["timeliness"], measures["absence"]
    named = labels(html)
    assert named[f"id_{cell(timeliness, LAST)}"] == f"SEN2 timeliness, {LAST:%B %Y}"
    assert (
        named[f"id_{cell(absence, BEFORE, 'national')}"]
        == f"Persistent absence, national figure, {BEFORE:%B %Y}"
    )
    assert (
        named[f"id_{cell(absence, LAST, 'national_source')}"]
        == f"Persistent absence, source of the national figure, {LAST:%B %Y}"
    )
    # Six months by default: four inputs per measure and month.
    assert sum(1 for target in named if target.startswith(f"id_m{timeliness.pk}-")) == 6 * 4
    assert f'name="{cell(timeliness, BEFORE)}" value="60.5"' in html
    assert f'name="m{timeliness.pk}-version" value="1"' in html


def test_the_plan_filter_and_the_months_choose_the_grid(client, plan_lead, measures):
    client.force_login(plan_lead)

    html = client.get(URL, {"plan": measures["wsoa"].pk, "months": "12"}).content.decode()

    assert f"m{measures['timeliness'].pk}-version" in html
    assert f"m{measures['absence'].pk}-version" not in html
    assert sum(1 for t in labels(html) if t.startswith(f"id_m{measures['timeliness'].pk}-")) == 12 * 4


def test_values_and_national_figures_of_several_measures_are_saved_in_one_go(client, plan_lead, measures):
    timeliness, absence = measures["timeliness"], measures["absence"]
    client.force_login(plan_lead)

    response = client.post(
        URL,
        posted(
            timeliness,
            absence,
            **{
                cell(timeliness, LAST): "66.1",
                cell(timeliness, BEFORE): "60.5",
                cell(absence, BEFORE): "",
                cell(absence, BEFORE, "national"): "21.2",
                cell(absence, BEFORE, "national_period"): "2023/24",
                cell(absence, BEFORE, "national_source"): "DfE absence statistics",
            },
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == URL
    saved = MeasureValue.objects.get(measure=timeliness, period_end=LAST)
    assert (saved.value, saved.recorded_by) == (Decimal("66.1"), plan_lead)
    national_only = MeasureValue.objects.get(measure=absence, period_end=BEFORE)
    assert (national_only.value, national_only.national) == (None, Decimal("21.2"))
    assert (national_only.national_period, national_only.national_source) == (
        "2023/24",
        "DfE absence statistics",
    )
    # The unchanged period was left alone, its note kept.
    unchanged = MeasureValue.objects.get(measure=timeliness, period_end=BEFORE)
    assert (unchanged.recorded_by, unchanged.note) == (None, "Kept")
    assert [m.version for m in Measure.objects.order_by("pk")] == [2, 2]
    assert MeasureValue.objects.count() == 3


def test_an_unchanged_grid_saves_nothing_and_moves_no_version(client, plan_lead, measures):
    client.force_login(plan_lead)

    response = client.post(URL, posted(measures["timeliness"], measures["absence"]))

    assert response.status_code == 302
    assert [m.version for m in Measure.objects.order_by("pk")] == [1, 1]
    assert MeasureValue.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("value", "101", "Enter a percentage between 0 and 100"),
        ("value", "-1", "Enter a figure of 0 or more"),
        ("value", "lots", "Enter a number."),
        ("national_period", "2024", "Enter the national figure for the period or source you gave"),
    ],
)
def test_bad_figures_are_listed_linked_to_their_cells_and_nothing_is_saved(
    client, plan_lead, measures, field, typed, message
):
    timeliness, absence = measures["timeliness"], measures["absence"]
    client.force_login(plan_lead)

    response = client.post(
        URL, posted(timeliness, absence, **{cell(timeliness, LAST): "70", cell(absence, LAST, field): typed})
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in html
    target = "national" if field == "national_period" else field
    assert f'href="#id_{cell(absence, LAST, target)}"' in html
    assert message in html
    assert f'aria-describedby="id_{cell(absence, LAST, target)}_error' in html
    assert MeasureValue.objects.count() == 1
    assert [m.version for m in Measure.objects.order_by("pk")] == [1, 1]


def test_a_recorded_value_cannot_be_blanked(client, plan_lead, measures):
    timeliness = measures["timeliness"]
    client.force_login(plan_lead)

    response = client.post(URL, posted(timeliness, **{cell(timeliness, BEFORE): ""}))

    assert response.status_code == 422
    assert "A recorded value cannot be removed" in response.content.decode()
    assert MeasureValue.objects.get(measure=timeliness, period_end=BEFORE).value == Decimal("60.5")


def test_a_stale_measure_refuses_the_whole_grid_and_says_who_changed_it(
    client, plan_lead, administrator, measures
):
    timeliness, absence = measures["timeliness"], measures["absence"]
    loaded = posted(timeliness, absence)
    # The administrator records a figure after the plan lead loaded the grid.
    Measure.objects.get(pk=timeliness.pk).record_values(
        author=administrator, version=1, rows=[{"period_end": LAST, "value": Decimal("70")}]
    )
    client.force_login(plan_lead)

    response = client.post(
        URL,
        loaded | {cell(timeliness, LAST): "66", cell(absence, LAST): "12", cell(timeliness, BEFORE): "60.5"},
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed 1 measure" in html
    assert f'<a href="#measure-{timeliness.pk}">SEN2 timeliness</a>: changed by {administrator}' in html
    assert "Recorded now: 70" in html
    assert 'value="66"' in html and 'value="12"' in html  # what was typed is kept
    assert f'name="m{timeliness.pk}-version" value="2"' in html
    # Nothing was saved, not even the measure nobody else touched.
    assert MeasureValue.objects.get(measure=timeliness, period_end=LAST).value == Decimal("70")
    assert not MeasureValue.objects.filter(measure=absence).exists()
    absence.refresh_from_db()
    assert absence.version == 1


def test_a_measure_changed_by_someone_else_but_untouched_here_does_not_block_the_save(
    client, plan_lead, administrator, measures
):
    timeliness, absence = measures["timeliness"], measures["absence"]
    client.force_login(plan_lead)
    loaded = client.get(URL)
    assert loaded.status_code == 200
    Measure.objects.get(pk=timeliness.pk).record_values(
        author=administrator, version=1, rows=[{"period_end": LAST, "value": Decimal("70")}]
    )

    # The plan lead's grid still holds the new figure for the other measure: the administrator's is kept.
    response = client.post(
        URL, posted(timeliness, absence) | {cell(timeliness, LAST): "70", cell(absence, LAST): "12"}
    )

    assert response.status_code == 302
    assert MeasureValue.objects.get(measure=absence, period_end=LAST).value == Decimal("12")


@pytest.mark.parametrize("persona", ["scrutiny_member", "officer"])
def test_scrutiny_members_and_officers_cannot_open_or_post_the_grid(client, request, persona, measures):
    timeliness = measures["timeliness"]
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403
    assert client.post(URL, posted(timeliness, **{cell(timeliness, LAST): "99"})).status_code == 403
    assert not MeasureValue.objects.filter(period_end=LAST).exists()


def test_the_grid_runs_a_fixed_number_of_queries(client, plan_lead, measures, django_assert_max_num_queries):
    client.force_login(plan_lead)
    client.get(URL)
    # session, user, groups and permissions (one query), plans (for the filter), measures (with plan), values
    # in the months shown (with who recorded them); no session save within a minute of the last
    expected = 6
    with django_assert_max_num_queries(expected) as small:
        assert client.get(URL).status_code == 200
    plan = make_plan()
    for index in range(8):
        measure = Measure.objects.create(name=f"Measure {index}", plan=plan, higher_is_better=True)
        for period in month_ends(TODAY, 6):
            MeasureValue.objects.create(
                measure=measure,
                period_end=period,
                value=Decimal(index),
                recorded_by=plan_lead,
                recorded_at=timezone.now(),
            )
    with django_assert_max_num_queries(expected) as large:
        assert client.get(URL).status_code == 200
    assert len(small) == len(large)


@pytest.mark.parametrize("field", ["national_source", "national_period"])
def test_a_nul_character_in_a_national_source_or_period_cell_is_refused_with_a_message(
    client, plan_lead, measures, field
):
    # These cells are read from the raw POST; PostgreSQL cannot store NUL (it was a 500 there).
    absence = measures["absence"]
    client.force_login(plan_lead)

    response = client.post(
        URL,
        posted(
            absence,
            **{
                cell(absence, LAST, "national"): "20.5",
                cell(absence, LAST, "national_period"): "2024/25",
                cell(absence, LAST, "national_source"): "DfE",
                cell(absence, LAST, field): "DfE\x00 statistics",
            },
        ),
    )

    assert response.status_code == 422
    assert "Null characters are not allowed." in response.content.decode()
    assert f'href="#id_{cell(absence, LAST, field)}"' in response.content.decode()
    assert MeasureValue.objects.count() == 1
    assert Measure.objects.get(pk=absence.pk).version == 1


def twelve_measures() -> list[Measure]:
    plan = make_plan()
    return [
        Measure.objects.create(name=f"Measure {n:02}", plan=plan, higher_is_better=True) for n in range(12)
    ]


def test_the_grid_shows_a_window_of_measures_and_months_with_links_to_move(client, plan_lead):
    many = twelve_measures()
    client.force_login(plan_lead)

    first = client.get(URL, {"months": "6"}).content.decode()
    second = client.get(URL, {"months": "6", "page": "2"}).content.decode()
    year = client.get(URL, {"months": "12", "page": "2"}).content.decode()

    shown = [[f"m{m.pk}-version" in html for m in many] for html in (first, second, year)]
    assert shown[0] == [True] * 10 + [False] * 2  # 60 measure-months a page: 10 measures of 6 months
    assert shown[1] == [False] * 10 + [True] * 2
    assert shown[2] == [False] * 5 + [True] * 5 + [False] * 2  # 5 measures of 12 months
    assert "Measures 1 to 10 of 12." in first and 'href="?months=6&amp;page=2">Next measures' in first
    assert 'href="?months=6&amp;page=1">Previous measures' in second
    # Earlier months keep the measures shown.
    assert re.search(r'href="\?months=6&amp;page=2&amp;until=\d{4}-\d{2}">Earlier months', second)


def test_figures_posted_from_a_later_page_of_measures_are_saved(client, plan_lead):
    many = twelve_measures()
    last = many[-1]
    client.force_login(plan_lead)

    response = client.post(f"{URL}?months=6&page=2", posted(many[10], last, **{cell(last, LAST): "42"}))

    assert response.status_code == 302 and response["Location"] == f"{URL}?months=6&page=2"
    assert MeasureValue.objects.get(measure=last, period_end=LAST).value == Decimal("42")
