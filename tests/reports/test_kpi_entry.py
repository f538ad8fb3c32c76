"""KPI entry for plan leads: values and national figures in a grid, the definition, no lost updates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Measure, MeasureTarget, MeasureValue
from core.versioning import StaleVersionError
from reports.dashboards import month_ends

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST, BEFORE = month_ends(TODAY, 2)[::-1]  # p0 is the newest period of the grid, p1 the one before


@pytest.fixture
def measure(db):
    measure = Measure.objects.create(
        name="% of new EHC plans issued within 20 weeks",
        higher_is_better=True,
        baseline=Decimal("69"),
        final_target=Decimal("85"),
    )
    MeasureValue.objects.create(measure=measure, period_end=BEFORE, value=Decimal("60.5"))
    MeasureTarget.objects.create(measure=measure, period_end=LAST, target=Decimal("65"))
    return measure


def values_url(measure) -> str:
    return reverse("reports:kpi-values", args=[measure.pk])


def definition_url(measure) -> str:
    return reverse("reports:kpi-definition", args=[measure.pk])


def test_a_plan_lead_sees_a_grid_of_periods_with_who_recorded_each(client, plan_lead, measure):
    MeasureValue.objects.filter(measure=measure).update(recorded_by=plan_lead, recorded_at=timezone.now())
    client.force_login(plan_lead)

    response = client.get(values_url(measure))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('name="p') >= 12 * 4  # value, national, national period and note for twelve months
    assert 'name="p1-value"' in html and 'value="60.50"' in html
    assert "Priya Lead" in html
    assert f'name="version" value="{measure.version}"' in html


def test_a_plan_lead_records_a_value_and_the_national_figure_with_its_period(client, plan_lead, measure):
    client.force_login(plan_lead)

    response = client.post(
        values_url(measure),
        {
            "version": "1",
            "p0-value": "66.1",
            "p0-national": "59.9",
            "p0-national_period": "2025",
            "p1-value": "60.5",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:kpis") + f"#measure-{measure.pk}-heading"
    saved = MeasureValue.objects.get(measure=measure, period_end=LAST)
    assert (saved.value, saved.national, saved.national_period) == (Decimal("66.1"), Decimal("59.9"), "2025")
    assert saved.recorded_by == plan_lead
    assert saved.recorded_at is not None
    assert saved.history.count() == 1
    # The unchanged row was left alone: not re-stamped.
    assert MeasureValue.objects.get(measure=measure, period_end=BEFORE).recorded_by is None
    measure.refresh_from_db()
    assert measure.version == 2


def test_a_national_figure_is_recorded_for_a_period_without_a_local_value(client, plan_lead, measure):
    client.force_login(plan_lead)

    response = client.post(
        values_url(measure),
        {
            "version": "1",
            "p1-value": "60.5",
            "p0-national": "59.9",
            "p0-national_period": "2024/25",
            "p0-national_source": "DfE SEN2 2025",
        },
    )

    assert response.status_code == 302
    saved = MeasureValue.objects.get(measure=measure, period_end=LAST)
    assert (saved.value, saved.national, saved.national_period, saved.national_source) == (
        None,
        Decimal("59.9"),
        "2024/25",
        "DfE SEN2 2025",
    )
    # The row loads again as it was saved, and can be saved again unchanged.
    html = client.get(values_url(measure)).content.decode()
    assert 'value="DfE SEN2 2025"' in html
    again = client.post(
        values_url(measure),
        {
            "version": "2",
            "p1-value": "60.5",
            "p0-national": "59.9",
            "p0-national_period": "2024/25",
            "p0-national_source": "DfE SEN2 2025",
        },
    )
    assert again.status_code == 302
    assert MeasureValue.objects.get(measure=measure, period_end=LAST).version == 1


def test_a_value_for_an_older_period_is_recorded_from_the_extra_row(client, plan_lead, measure):
    client.force_login(plan_lead)
    older = datetime.date(2020, 3, 31)

    response = client.post(
        values_url(measure),
        {"version": "1", "p1-value": "60.5", "new-period_end": older.isoformat(), "new-value": "41"},
    )

    assert response.status_code == 302
    assert MeasureValue.objects.get(measure=measure, period_end=older).value == Decimal("41")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"p0-value": "101"}, "id_p0-value", "Enter a percentage between 0 and 100"),
        ({"p0-value": "-1"}, "id_p0-value", "Enter a figure of 0 or more"),
        ({"p0-value": "lots"}, "id_p0-value", "Value must be a number, like 12 or 12.5"),
        ({"p0-note": "Late return"}, "id_p0-value", "Enter the value or the national figure for this period"),
        ({"p0-value": "60", "p0-national_period": "2025"}, "id_p0-national", "Enter the national figure"),
        ({"p0-value": "60", "p0-national_source": "SEN2"}, "id_p0-national", "Enter the national figure"),
        ({"p1-value": ""}, "id_p1-value", "A recorded value cannot be removed"),
        ({"new-value": "40"}, "id_new-period_end_day", "Enter the date the period ends"),
        (
            {"new-period_end": LAST.isoformat(), "new-value": "3"},
            "id_new-period_end_day",
            "already in the grid",
        ),
    ],
)
def test_bad_figures_are_explained_and_nothing_is_saved(client, plan_lead, measure, data, field, message):
    client.force_login(plan_lead)
    before = list(MeasureValue.objects.values_list("period_end", "value", "national"))

    response = client.post(values_url(measure), {"version": "1", "p1-value": "60.5", **data})

    html = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in html
    assert f'href="#{field}"' in html
    assert message in html
    assert list(MeasureValue.objects.values_list("period_end", "value", "national")) == before
    measure.refresh_from_db()
    assert measure.version == 1


def test_a_stale_grid_is_refused_and_keeps_what_was_typed(client, plan_lead, administrator, measure):
    other = client.__class__()
    other.force_login(administrator)
    client.force_login(plan_lead)
    # Both load version 1; the administrator saves first.
    assert (
        other.post(values_url(measure), {"version": "1", "p0-value": "70", "p1-value": "60.5"}).status_code
        == 302
    )

    response = client.post(values_url(measure), {"version": "1", "p0-value": "66", "p1-value": "60.5"})

    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this measure" in html
    assert 'value="66"' in html
    assert 'name="version" value="2"' in html
    assert MeasureValue.objects.get(measure=measure, period_end=LAST).value == Decimal("70")


def test_two_saves_of_the_same_version_cannot_both_win(plan_lead, measure):
    copy = Measure.objects.get(pk=measure.pk)
    measure.record_values(author=plan_lead, version=1, rows=[{"period_end": LAST, "value": Decimal("1")}])

    with pytest.raises(StaleVersionError):
        copy.record_values(author=plan_lead, version=1, rows=[{"period_end": LAST, "value": Decimal("2")}])

    assert MeasureValue.objects.get(measure=measure, period_end=LAST).value == Decimal("1")


def _definition(measure, **fields) -> dict:
    data = {
        "version": str(measure.version),
        "name": measure.name,
        "description": "",
        "unit": "percent",
        "higher_is_better": "True",
        "baseline": "69",
        "baseline_on": "2019-03-31",
        "final_target": "85",
        "final_target_on": "2027-07-31",
        "source": "SEN2 return",
        "t0-target": "65",
    }
    data.update(fields)
    return data


def test_a_plan_lead_edits_the_definition_and_milestones(client, plan_lead, measure):
    client.force_login(plan_lead)

    response = client.post(
        definition_url(measure),
        _definition(
            measure,
            higher_is_better="False",
            unit="days",
            baseline="120",
            final_target="90",
            **{
                "t0-target": "110",
                "new0-period_end": "2027-01-31",
                "new0-target": "100",
            },
        ),
    )

    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.higher_is_better, measure.unit, measure.baseline, measure.final_target) == (
        False,
        "days",
        Decimal("120"),
        Decimal("90"),
    )
    assert measure.version == 2
    targets = list(measure.targets.order_by("period_end").values_list("period_end", "target"))
    assert targets == [(LAST, Decimal("110")), (datetime.date(2027, 1, 31), Decimal("100"))]
    assert measure.history.count() == 2  # created, then edited


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"final_target_on": "2018-01-01"}, "id_final_target_on_day", "must be after the baseline date"),
        ({"final_target": "140"}, "id_final_target", "Enter a percentage between 0 and 100"),
        ({"t0-target": ""}, "id_t0-target", "A milestone cannot be removed"),
        ({"new0-period_end": "2027-01-31"}, "id_new0-target", "Enter the target for this milestone"),
        (
            {"new0-period_end": LAST.isoformat(), "new0-target": "3"},
            "id_new0-period_end_day",
            "already a milestone",
        ),
        ({"name": ""}, "id_name", "Enter the name"),
    ],
)
def test_a_bad_definition_is_explained_and_nothing_is_saved(
    client, plan_lead, measure, fields, field, message
):
    client.force_login(plan_lead)

    response = client.post(definition_url(measure), _definition(measure, **fields))

    html = response.content.decode()
    assert response.status_code == 422
    assert f'href="#{field}"' in html
    assert message in html
    measure.refresh_from_db()
    assert (measure.version, measure.final_target) == (1, Decimal("85"))


def test_a_stale_definition_is_refused(client, plan_lead, measure):
    client.force_login(plan_lead)
    Measure.objects.get(pk=measure.pk).edit_definition(version=1, source="Someone else's edit")

    response = client.post(definition_url(measure), _definition(measure, source="Mine"))

    assert response.status_code == 409
    assert "Someone else changed this measure" in response.content.decode()
    # What changed since the form was loaded, from the history.
    assert "Source: (empty) → <strong>Someone else&#x27;s edit</strong>" in response.content.decode()
    assert 'name="version" value="2"' in response.content.decode()
    measure.refresh_from_db()
    assert measure.source == "Someone else's edit"


def test_a_definition_loaded_before_values_were_recorded_still_saves(client, plan_lead, measure):
    """Recording values moves the version on but changes nothing of the definition: no conflict."""
    client.force_login(plan_lead)
    Measure.objects.get(pk=measure.pk).record_values(
        author=plan_lead, version=1, rows=[{"period_end": LAST, "value": Decimal("70")}]
    )

    response = client.post(definition_url(measure), _definition(measure, source="Mine"))

    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.source, measure.version) == ("Mine", 3)
    assert MeasureValue.objects.get(measure=measure, period_end=LAST).value == Decimal("70")


def test_a_definition_edit_after_values_and_another_edit_is_still_refused(plan_lead, measure):
    Measure.objects.get(pk=measure.pk).record_values(
        author=plan_lead, version=1, rows=[{"period_end": LAST, "value": Decimal("70")}]
    )
    Measure.objects.get(pk=measure.pk).edit_definition(version=2, source="Someone else's edit")

    with pytest.raises(StaleVersionError):
        Measure.objects.get(pk=measure.pk).edit_definition(version=1, source="Mine")
    measure.refresh_from_db()
    assert (measure.source, measure.version) == ("Someone else's edit", 3)


@pytest.mark.parametrize("persona", ["scrutiny_member", "officer"])
def test_scrutiny_members_and_officers_cannot_record_or_edit(client, request, persona, measure):
    client.force_login(request.getfixturevalue(persona))

    for url in (values_url(measure), definition_url(measure)):
        assert client.get(url).status_code == 403
    assert (
        client.post(values_url(measure), {"version": "1", "p0-value": "99", "p1-value": "60.5"}).status_code
        == 403
    )
    assert client.post(definition_url(measure), _definition(measure, source="Changed")).status_code == 403

    measure.refresh_from_db()
    assert (measure.version, measure.source) == (1, "")
    assert not MeasureValue.objects.filter(period_end=LAST).exists()


def test_the_grid_page_runs_a_fixed_number_of_queries(
    client, plan_lead, measure, django_assert_max_num_queries
):
    client.force_login(plan_lead)
    client.get(values_url(measure))
    # session, user, groups and permissions (one query), measure, values (with recorder); no session save
    # within a minute of the last
    expected = 5
    with django_assert_max_num_queries(expected) as small:
        client.get(values_url(measure))
    for period in month_ends(TODAY, 24)[:-2]:
        MeasureValue.objects.create(
            measure=measure, period_end=period, value=Decimal("50"), recorded_by=plan_lead
        )
    with django_assert_max_num_queries(expected) as large:
        client.get(values_url(measure))
    assert len(small) == len(large)
