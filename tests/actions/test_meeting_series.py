"""A board's meetings are added as a series, then edited or cancelled one by one; deadlines follow them."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from actions.models import Board, Meeting
from actions.models.boards import every_n_weeks, nth_weekday_monthly
from tests.factories import make_plan

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 1, 2, 9, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def board(db) -> Board:
    return Board.objects.create(name="SEND Improvement Board")


def series_data(board, **fields) -> dict:
    data = {
        "version": str(board.version),
        "pattern": "weeks",
        "starts_on": "2025-01-13",
        "until": "2025-07-31",
        "weeks": "6",
        "title": "Improvement board",
        "location": "Civic Offices",
    }
    data.update(fields)
    return data


def url(board) -> str:
    return reverse("boards:meeting-series", kwargs={"board": board.pk})


def test_every_six_weeks_from_13_january_until_july(client, plan_lead, board):
    plan = make_plan(board=board, deadline_working_days=5)
    client.force_login(plan_lead)

    response = client.post(url(board), series_data(board))

    assert response.status_code == 302
    dates = list(board.meetings.order_by("date").values_list("date", flat=True))
    assert dates == [D(2025, 1, 13), D(2025, 2, 24), D(2025, 4, 7), D(2025, 5, 19), D(2025, 6, 30)]
    assert Meeting.history.filter(history_user=plan_lead).count() == 5
    status = client.get(reverse("cycle:status", kwargs={"plan": plan.pk}))
    assert status.context["deadlines"].next == D(2025, 1, 6)  # five working days before Monday 13 January


def test_the_first_tuesday_of_each_month(client, plan_lead, board):
    client.force_login(plan_lead)

    response = client.post(
        url(board),
        series_data(
            board,
            pattern="monthly",
            weeks="",
            which="1",
            weekday="1",
            starts_on="2025-01-01",
            until="2025-04-30",
        ),
    )

    assert response.status_code == 302
    dates = list(board.meetings.order_by("date").values_list("date", flat=True))
    assert dates == [D(2025, 1, 7), D(2025, 2, 4), D(2025, 3, 4), D(2025, 4, 1)]


def test_a_date_that_already_has_a_meeting_is_skipped(client, plan_lead, board):
    Meeting.objects.create(board=board, date=D(2025, 2, 24), title="Already there")
    client.force_login(plan_lead)

    response = client.post(url(board), series_data(board), follow=True)

    assert board.meetings.count() == 5
    assert board.meetings.get(date=D(2025, 2, 24)).title == "Already there"
    assert "4 meetings added; 1 date already had a meeting" in response.content.decode()


def test_meetings_of_a_series_are_then_cancelled_one_by_one(client, plan_lead, board):
    client.force_login(plan_lead)
    client.post(url(board), series_data(board))
    second = board.meetings.get(date=D(2025, 2, 24))

    response = client.post(
        reverse("boards:meeting-edit", kwargs={"meeting": second.pk}),
        {
            "version": second.version,
            "date": "2025-02-24",
            "title": "Improvement board",
            "location": "",
            "cancelled": "on",
            "papers": "",
            "minutes": "",
        },
    )

    assert response.status_code == 302
    assert list(board.meetings.filter(cancelled=True).values_list("date", flat=True)) == [D(2025, 2, 24)]
    assert board.meetings.filter(cancelled=False).count() == 4


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"until": "2025-01-01"}, "until"),
        ({"weeks": ""}, "weeks"),
        ({"pattern": "monthly", "which": "", "weekday": ""}, "which"),
        ({"starts_on": ""}, "starts_on"),
    ],
)
def test_a_series_that_does_not_add_up_is_refused(client, plan_lead, board, fields, field):
    client.force_login(plan_lead)

    response = client.post(url(board), series_data(board, **fields))

    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not board.meetings.exists()


def test_an_overlong_series_is_refused(client, plan_lead, board):
    client.force_login(plan_lead)

    response = client.post(url(board), series_data(board, weeks="1", until="2027-12-31"))

    assert response.status_code == 422
    assert "at most 60" in response.content.decode()
    assert not board.meetings.exists()


def test_a_stale_series_is_refused(client, plan_lead, board):
    client.force_login(plan_lead)
    board.edit(version=1, chair="Director of Children's Services")

    response = client.post(url(board), series_data(board, version="1"))

    assert response.status_code == 409
    assert not board.meetings.exists()
    assert response.context["form"]["version"].value() == "2"


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_officers_and_scrutiny_cannot_add_a_series(client, request, persona, board):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url(board)).status_code == 403
    assert client.post(url(board), series_data(board)).status_code == 403
    assert not board.meetings.exists()


def test_the_date_rules():
    assert every_n_weeks(D(2025, 1, 13), 6, D(2025, 2, 24)) == [D(2025, 1, 13), D(2025, 2, 24)]
    assert nth_weekday_monthly(D(2025, 1, 10), 1, 1, D(2025, 3, 1)) == [D(2025, 2, 4)]  # January's was past
    assert nth_weekday_monthly(D(2025, 1, 1), 4, -1, D(2025, 2, 28)) == [D(2025, 1, 31), D(2025, 2, 28)]
