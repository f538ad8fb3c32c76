"""The one date input (core/dates.py): every form with a date shows day, month and year boxes, loads its
saved value, saves unchanged, and words its errors for the field (GOV.UK's date input pattern)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Board, CadenceChange, Measure, Meeting
from tests.factories import make_action, make_paper, make_plan, make_priority, make_review
from tests.html_forms import form_with

DAY = datetime.date(2026, 3, 27)


def _plan():
    return make_plan(starts_on=datetime.date(2025, 9, 1), ends_on=DAY)


def _action():
    return make_action(make_priority(_plan()), start_date=datetime.date(2025, 10, 6), due_date=DAY)


def _meeting():
    return Meeting.objects.create(board=Board.objects.create(name="SEND Improvement Board"), date=DAY)


def _review():
    return make_review(end_date=datetime.date(2019, 3, 8), report_published_on=datetime.date(2019, 5, 1))


def _cadence_change():
    return CadenceChange.objects.create(plan=_plan(), starts_on=DAY, cycle_days=91)


def _measure():
    return Measure.objects.create(
        name="EHC plans issued within 20 weeks",
        higher_is_better=True,
        baseline=Decimal("40"),
        baseline_on=datetime.date(2025, 3, 31),
        final_target=Decimal("90"),
        final_target_on=DAY,
    )


# (make the record, the URL of its edit form, a date field of it, the button the form is saved with)
EDIT_FORMS = {
    "plan": (_plan, lambda plan: reverse("plans:edit", args=[plan.pk]), "ends_on", None),
    "action": (_action, lambda action: reverse("plans:action-edit", args=[action.pk]), "start_date", None),
    "paper cover": (
        make_paper,
        lambda paper: reverse("papers:edit", args=[paper.pk]),
        "meeting_date",
        "cover",
    ),
    "meeting": (_meeting, lambda meeting: reverse("boards:meeting-edit", args=[meeting.pk]), "date", None),
    "review": (
        _review,
        lambda review: reverse("inspections:review-edit", args=[review.pk]),
        "end_date",
        None,
    ),
    "change of cadence": (
        _cadence_change,
        lambda change: reverse("plans:cadence-edit", args=[change.pk]),
        "starts_on",
        None,
    ),
    "measure": (
        _measure,
        lambda measure: reverse("reports:kpi-definition", args=[measure.pk]),
        "final_target_on",
        None,
    ),
}


@pytest.mark.parametrize("kind", EDIT_FORMS)
def test_every_edit_form_with_a_date_loads_it_and_saves_unchanged(client, plan_lead, kind):
    make, url_of, date_field, button = EDIT_FORMS[kind]
    record = make()
    before = getattr(record, date_field)
    client.force_login(plan_lead)

    page = client.get(url_of(record))
    form = form_with(page.content.decode(), f"{date_field}_day")
    sent = form.submission(press=button)
    response = client.post(form.action or url_of(record), sent)

    # The date loaded into the three boxes (the old date input loaded blank, and saving said "required").
    assert (sent[f"{date_field}_day"], sent[f"{date_field}_month"], sent[f"{date_field}_year"]) == (
        [str(before.day)],
        [str(before.month)],
        [str(before.year)],
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record.refresh_from_db()
    assert getattr(record, date_field) == before


def _pages(plan_lead):
    action = _action()
    paper = make_paper(plan=action.plan)
    measure = _measure()
    board = Board.objects.create(name="Board")
    return {
        reverse("plans:create"): ("starts_on", "ends_on"),
        reverse("plans:action-create", args=[action.priority_id]): ("start_date", "due_date"),
        reverse("plans:action-rebaseline", args=[action.pk]): ("due_date",),
        reverse("boards:meeting-create", args=[board.pk]): ("date",),
        reverse("papers:create"): ("meeting_date",),
        reverse("papers:edit", args=[paper.pk]): ("meeting_date",),
        reverse("cycle:record", args=[action.pk]): ("given_on",),
        reverse("reports:kpi-values", args=[measure.pk]): ("new-period_end",),
        reverse("reports:kpi-definition", args=[measure.pk]): ("baseline_on",),
        reverse("reports:overview"): ("since",),
        reverse("actions:list"): ("not_updated_since",),
    }


def test_every_form_with_a_date_uses_the_three_boxes_and_no_browser_date_picker(client, plan_lead):
    client.force_login(plan_lead)

    for url, names in _pages(plan_lead).items():
        html = client.get(url).content.decode()
        assert 'type="date"' not in html, url
        for name in names:
            for part in ("day", "month", "year"):
                assert f'_{part}"' in html and f"{name}_{part}" in html, (url, name, part)
        assert "<legend" in html, url


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the meeting date"),
        ("12", "3", "", "Meeting date must include a year"),
        ("", "", "2026", "Meeting date must include a day and month"),
        ("31", "2", "2026", "Meeting date must be a real date"),
        ("12", "3", "26", "Meeting date must include a year with 4 numbers"),
    ],
)
def test_a_wrong_date_is_refused_with_a_message_naming_the_field(
    client, plan_lead, day, month, year, message
):
    paper = make_paper()
    client.force_login(plan_lead)
    url = reverse("papers:edit", args=[paper.pk])
    sent = form_with(client.get(url).content.decode(), "meeting_date_day").submission(press="cover")
    sent.update(meeting_date_day=day, meeting_date_month=month, meeting_date_year=year)

    response = client.post(url, sent)

    assert response.status_code == 422
    html = response.content.decode()
    assert f'<a href="#id_meeting_date_day">{message}' in html  # the error summary links to the first box
    assert f'value="{year}"' in html or not year  # what was typed is shown again
    paper.refresh_from_db()
    assert paper.meeting_date == datetime.date(2030, 3, 12)


def test_a_month_may_be_written_as_a_word(client, plan_lead):
    paper = make_paper()
    client.force_login(plan_lead)
    url = reverse("papers:edit", args=[paper.pk])
    sent = form_with(client.get(url).content.decode(), "meeting_date_day").submission(press="cover")
    sent.update(meeting_date_day="6", meeting_date_month="Jan", meeting_date_year="2027")

    assert client.post(url, sent).status_code == 302
    paper.refresh_from_db()
    assert paper.meeting_date == datetime.date(2027, 1, 6)


def test_a_date_in_a_link_still_works(client, scrutiny_member):
    client.force_login(scrutiny_member)

    html = client.get(reverse("reports:overview"), {"since": "2025-01-31"}).content.decode()

    assert "There is a problem" not in html
    assert 'name="since_day" value="31"' in html


def test_a_new_model_form_gets_the_three_boxes_by_either_way_of_adopting_them():
    from django import forms

    from core import dates
    from reports.models import CommitteePaper

    class ByBaseClass(dates.ModelForm):
        class Meta:
            model = CommitteePaper
            fields = ["meeting_date", "title"]

    class ByCallback(forms.ModelForm):
        class Meta:
            model = CommitteePaper
            fields = ["meeting_date", "title"]
            formfield_callback = dates.formfield_callback

    for form in (ByBaseClass(), ByCallback()):
        assert isinstance(form.fields["meeting_date"], dates.DateField)
        assert isinstance(form.fields["meeting_date"].widget, dates.DateInput)
        assert not isinstance(form.fields["title"], dates.DateField)


def test_the_overview_reads_a_date_typed_into_the_three_boxes(client, scrutiny_member):
    client.force_login(scrutiny_member)

    html = client.get(
        reverse("reports:overview"), {"since_day": "1", "since_month": "1", "since_year": "2019"}
    ).content.decode()

    assert "What changed since 1 January 2019" in html
