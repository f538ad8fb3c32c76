"""My actions says when the next update is due and which board meeting it serves."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from actions import cycle
from actions.models import Board, Meeting
from tests.factories import make_action, make_brag_scale, make_plan, make_priority, rag_level


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


def test_my_actions_has_a_key_to_the_ratings_its_rows_show(client, officer):
    scale = make_brag_scale()
    red = rag_level(scale, "red")
    red.meaning = "Will not be delivered on time without help from the board."
    red.save()
    make_action(make_priority(make_plan(rag_scale=scale)), [officer], rag=red)
    client.force_login(officer)

    html = client.get(reverse("actions:mine")).content.decode()

    key = html.split("What the delivery RAG ratings mean", 1)[1].split("</details>", 1)[0]
    assert '<strong class="tag tag--red">Off track</strong>' in key
    assert "Will not be delivered on time without help from the board." in key
    assert "On track" not in key  # only the levels the page shows
