"""My actions says when the next update is due and which board meeting it serves."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from actions import cycle
from actions.models import Board, Meeting
from tests.factories import make_action, make_plan, make_priority


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_my_actions_states_the_next_deadline_and_the_meeting_it_serves(client, officer):
    board = Board.objects.create(name="SEND Improvement Board")
    Meeting.objects.create(board=board, date=datetime.date(2027, 1, 6))
    plan = make_plan(board=board)
    make_action(make_priority(plan), [officer], due_date=datetime.date(2027, 6, 30))
    client.force_login(officer)

    html = client.get(reverse("actions:mine")).content.decode()

    deadline = cycle.meeting_deadline(datetime.date(2027, 1, 6), plan.deadline_working_days)
    assert f"Update by <strong>{deadline:%A} {deadline.day} {deadline:%B}</strong>" in html
    assert "for the SEND Improvement Board on 6 January." in html


def test_no_deadline_is_stated_without_open_actions(client, officer):
    client.force_login(officer)

    assert "Update by" not in client.get(reverse("actions:mine")).content.decode()
