"""Boards and meetings: plan leads and administrators keep them; everyone with access reads them."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from actions.models import Board, Meeting
from tests.factories import make_plan

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 2, 9, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def board(db) -> Board:
    return Board.objects.create(name="SEND Development Board", meeting_cadence="Fortnightly")


def board_data(**fields) -> dict:
    data = {"name": "Strategic SEND Partnership", "kind": "board", "chair": "Director"}
    return {**data, "meeting_cadence": "Termly", **fields}


def meeting_data(**fields) -> dict:
    data = {"date": "2025-06-12", "title": "Highlight report", "location": "Online"}
    return {**data, "papers": "", "minutes": "", **fields}


def test_everyone_with_access_reads_the_boards_and_their_meetings(client, scrutiny_member, board):
    Meeting.objects.create(board=board, date=D(2025, 5, 22), minutes="Agreed the recovery plan for 2.3.")
    Meeting.objects.create(board=board, date=D(2025, 6, 12), title="Off-track actions")
    make_plan(title="Written Statement of Action", board=board)
    client.force_login(scrutiny_member)

    listing = client.get(reverse("boards:list")).content.decode()
    detail = client.get(reverse("boards:detail", kwargs={"board": board.pk})).content.decode()

    assert "SEND Development Board" in listing and "12 Jun 2025" in listing and "22 May 2025" in listing
    assert "Add a board" not in listing
    assert "Agreed the recovery plan for 2.3." in detail
    assert "Off-track actions" in detail and "Written Statement of Action" in detail
    assert "Add a meeting" not in detail and "Edit the board" not in detail


def test_the_board_pages_take_the_same_number_of_queries_however_many_boards_and_meetings(
    client, plan_lead, django_assert_max_num_queries
):
    made, counts = 0, []
    for count in (2, 12):
        for i in range(made, count):
            board = Board.objects.create(name=f"Board {i}")
            for day in range(1, count + 1):
                Meeting.objects.create(board=board, date=D(2025, 6, day))
            make_plan(board=board)
        made = count
        client.force_login(plan_lead)

        # 1 session, 2 user, 3 groups and permissions (one query), 4 boards with next and last meeting
        # and plan count. No session write: its expiry is under a minute old (core.sessions).
        with django_assert_max_num_queries(4) as listing:
            assert client.get(reverse("boards:list")).status_code == 200
        # As above but 4 the board, 5 its meetings, 6 its plans.
        with django_assert_max_num_queries(6) as page:
            assert client.get(reverse("boards:detail", kwargs={"board": board.pk})).status_code == 200
        counts.append((len(listing), len(page)))
    assert counts[0] == counts[1]


def test_plan_lead_adds_a_board(client, plan_lead, db):
    client.force_login(plan_lead)
    assert "Add a board" in client.get(reverse("boards:list")).content.decode()

    response = client.post(reverse("boards:create"), board_data())

    board = Board.objects.get(name="Strategic SEND Partnership")
    assert response["Location"] == reverse("boards:detail", kwargs={"board": board.pk})
    assert (board.meeting_cadence, board.version, board.history.count()) == ("Termly", 1, 1)


@pytest.mark.parametrize(
    ("fields", "error_field"), [({"name": ""}, "name"), ({"name": "SEND Development Board"}, "name")]
)
def test_a_board_without_a_unique_name_is_refused(client, plan_lead, board, fields, error_field):
    client.force_login(plan_lead)
    response = client.post(reverse("boards:create"), board_data(**fields))
    assert response.status_code == 422
    assert f'href="#id_{error_field}"' in response.content.decode()
    assert Board.objects.count() == 1


def test_plan_lead_edits_a_board_against_the_version_they_loaded(client, plan_lead, board):
    client.force_login(plan_lead)
    url = reverse("boards:edit", kwargs={"board": board.pk})
    assert 'name="version" value="1"' in client.get(url).content.decode()

    response = client.post(url, board_data(name=board.name, chair="Portfolio Holder", version=1))

    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.chair, board.version) == ("Portfolio Holder", 2)


def test_a_stale_board_edit_is_refused_and_overwrites_nothing(client, plan_lead, administrator, board):
    client.force_login(administrator)
    client.post(reverse("boards:edit", kwargs={"board": board.pk}), board_data(chair="First", version=1))
    client.force_login(plan_lead)

    response = client.post(
        reverse("boards:edit", kwargs={"board": board.pk}), board_data(chair="Second", version=1)
    )

    assert response.status_code == 409
    # The one conflict page: who changed what since the form was loaded.
    assert "Someone else changed this while you were editing" in response.content.decode()
    assert "Chair: " in response.content.decode()
    assert "<strong>First</strong>" in response.content.decode()
    assert 'name="version" value="2"' in response.content.decode()
    board.refresh_from_db()
    assert (board.chair, board.version) == ("First", 2)


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_officers_and_scrutiny_members_cannot_change_boards_or_meetings(client, request, persona, board):
    meeting = Meeting.objects.create(board=board, date=D(2025, 5, 22))
    client.force_login(request.getfixturevalue(persona))
    urls = [
        (reverse("boards:create"), board_data()),
        (reverse("boards:edit", kwargs={"board": board.pk}), board_data(version=1)),
        (reverse("boards:meeting-create", kwargs={"board": board.pk}), meeting_data()),
        (reverse("boards:meeting-edit", kwargs={"meeting": meeting.pk}), meeting_data(version=1)),
    ]
    for url, data in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert Board.objects.count() == 1 and Meeting.objects.count() == 1
    board.refresh_from_db()
    assert board.version == 1


def test_plan_lead_adds_a_meeting_which_sets_the_plans_deadline(client, plan_lead, board):
    plan = make_plan(board=board, deadline_working_days=3)
    client.force_login(plan_lead)

    response = client.post(reverse("boards:meeting-create", kwargs={"board": board.pk}), meeting_data())

    assert response.status_code == 302
    assert Meeting.objects.get(board=board).date == D(2025, 6, 12)
    status = client.get(reverse("cycle:status", kwargs={"plan": plan.pk}))
    assert status.context["deadlines"].next == D(2025, 6, 9)  # three working days before Thursday 12 June


def test_a_second_meeting_on_the_same_day_is_refused(client, plan_lead, board):
    Meeting.objects.create(board=board, date=D(2025, 6, 12))
    client.force_login(plan_lead)
    response = client.post(reverse("boards:meeting-create", kwargs={"board": board.pk}), meeting_data())
    assert response.status_code == 422
    assert "The board already has a meeting on that day" in response.content.decode()
    assert Meeting.objects.count() == 1


def test_minutes_of_a_meeting_still_to_come_are_refused(client, plan_lead, board):
    client.force_login(plan_lead)
    response = client.post(
        reverse("boards:meeting-create", kwargs={"board": board.pk}), meeting_data(minutes="Agreed.")
    )
    assert response.status_code == 422
    assert "Record the minutes after the meeting has taken place" in response.content.decode()
    assert not Meeting.objects.exists()


def test_after_the_meeting_plan_lead_records_its_papers_and_decisions(client, plan_lead, board):
    meeting = Meeting.objects.create(board=board, date=D(2025, 5, 22))
    client.force_login(plan_lead)
    url = reverse("boards:meeting-edit", kwargs={"meeting": meeting.pk})
    detail = client.get(reverse("boards:detail", kwargs={"board": board.pk})).content.decode()
    assert "or record the minutes" in detail

    response = client.post(
        url,
        meeting_data(
            date="2025-05-22",
            papers="WSOA highlight report\nKPI dashboard",
            minutes="Decision: agreed the recovery plan for action 2.3.\nAction: the DCO to report in July.",
            version=1,
        ),
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.papers == "WSOA highlight report\nKPI dashboard"
    assert "agreed the recovery plan" in meeting.minutes
    assert (meeting.version, meeting.history.count()) == (2, 2)
    detail = client.get(reverse("boards:detail", kwargs={"board": board.pk})).content.decode()
    assert "Action: the DCO to report in July." in detail


def test_a_stale_meeting_edit_is_refused(client, plan_lead, board):
    meeting = Meeting.objects.create(board=board, date=D(2025, 5, 22))
    meeting.edit(version=1, papers="First")
    client.force_login(plan_lead)

    url = reverse("boards:meeting-edit", kwargs={"meeting": meeting.pk})
    response = client.post(url, meeting_data(date="2025-05-22", papers="Second", version=1))

    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.papers == "First"


def test_a_cancelled_meeting_is_kept_and_shown_as_cancelled(client, plan_lead, board):
    meeting = Meeting.objects.create(board=board, date=D(2025, 6, 12))
    client.force_login(plan_lead)

    url = reverse("boards:meeting-edit", kwargs={"meeting": meeting.pk})
    client.post(url, meeting_data(cancelled="on", version=1))

    meeting.refresh_from_db()
    assert meeting.cancelled
    assert "Cancelled" in client.get(reverse("boards:detail", kwargs={"board": board.pk})).content.decode()
