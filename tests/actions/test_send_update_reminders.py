"""send_update_reminders: one email per lead per deadline, listing their actions that need an update."""

from __future__ import annotations

import datetime
import zoneinfo
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from actions.models import Action, Board, Meeting, Person, Plan, ReminderSent
from tests.factories import make_action, make_plan, make_priority, make_user, set_last_updated

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
# Monday 2 June 2025. The board met on Thursday 22 May (deadline Thursday 15 May) and meets next on
# Thursday 12 June: five working days' notice puts the next deadline on Thursday 5 June.
MONDAY = datetime.datetime(2025, 6, 2, 7, tzinfo=LONDON)


def run() -> str:
    out = StringIO()
    call_command("send_update_reminders", stdout=out)
    return out.getvalue()


@pytest.fixture
def board(fortnightly_board) -> Board:
    return fortnightly_board


@pytest.fixture
def plan_lead_person(db):
    return make_user(
        "plan_lead_mail", "Plan lead", first_name="Priya", last_name="Lead", email="priya@example.org"
    )


@pytest.fixture
def setting(db, board, plan_lead_person):
    """Two leads with stale actions in two plans of the board, and everything that must not be listed."""
    olivia = make_user(
        "olivia", "Officer", first_name="Olivia", last_name="Officer", email="olivia@example.org"
    )
    oscar = make_user("oscar", "Officer", first_name="Oscar", last_name="Other", email="oscar@example.org")
    wsoa = make_priority(make_plan(title="Written Statement of Action", board=board, lead=plan_lead_person))
    strategy = make_priority(make_plan(title="SEND Strategy", board=board, lead=plan_lead_person))
    draft = make_priority(make_plan(title="Draft plan", board=board, status=Plan.Status.DRAFT))
    actions = {
        "stale": make_action(wsoa, [olivia, oscar], reference="1.1", description="Audit EHC plans."),
        "never": make_action(strategy, [olivia], reference="2.1", description="Publish the local offer."),
        "fresh": make_action(wsoa, [olivia], reference="1.2", description="Train the panel."),
        "complete": make_action(wsoa, [olivia], reference="1.3", status=Action.Status.COMPLETE),
        "draft": make_action(draft, [olivia], reference="9.1"),
    }
    set_last_updated(actions["stale"], datetime.datetime(2025, 5, 15, 16, tzinfo=LONDON))
    set_last_updated(actions["fresh"], datetime.datetime(2025, 5, 16, 9, tzinfo=LONDON))
    return {"olivia": olivia, "oscar": oscar, **actions}


@time_machine.travel(MONDAY, tick=False)
def test_each_lead_gets_one_email_listing_their_actions_that_need_an_update(setting):
    output = run()

    assert "Reminders sent: 2;" in output
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["olivia@example.org", "oscar@example.org"]
    olivia = by_recipient["olivia@example.org"]
    assert olivia.subject == "Update needed by Thursday 5 June 2025: 2 actions"
    assert "1.1: Audit EHC plans." in olivia.body
    assert "2.1: Publish the local offer." in olivia.body
    for not_listed in ("1.2", "1.3", "9.1"):
        assert f"{not_listed}:" not in olivia.body
    assert "http://localhost:8000/actions/mine/" in olivia.body
    assert "for the SEND Development Board meeting on Thursday 12 June 2025" in olivia.body
    oscar = by_recipient["oscar@example.org"]
    assert "1.1: Audit EHC plans." in oscar.body and "2.1:" not in oscar.body
    assert set(ReminderSent.objects.values_list("lead__user__username", "deadline", "action_count")) == {
        ("olivia", D(2025, 6, 5), 2),
        ("oscar", D(2025, 6, 5), 1),
    }


@time_machine.travel(MONDAY, tick=False)
def test_running_twice_sends_one_email_per_lead(setting):
    run()
    second = run()

    assert len(mail.outbox) == 2
    assert "Reminders sent: 0;" in second
    assert ReminderSent.objects.count() == 2


def test_nobody_gets_two_reminders_for_one_deadline_but_does_for_the_next(setting, board):
    with time_machine.travel(MONDAY, tick=False):
        run()
    with time_machine.travel(MONDAY + datetime.timedelta(days=2), tick=False):
        run()
    assert len(mail.outbox) == 2

    Meeting.objects.create(board=board, date=D(2025, 6, 26))
    # The day after the 5 June deadline: the next is Thursday 19 June, twelve days away.
    with time_machine.travel(datetime.datetime(2025, 6, 6, 7, tzinfo=LONDON), tick=False):
        run()
        assert len(mail.outbox) == 2  # not yet within the seven days before it
    with time_machine.travel(datetime.datetime(2025, 6, 13, 7, tzinfo=LONDON), tick=False):
        run()
    assert len(mail.outbox) == 2 + 2  # olivia's three (the fresh one is now stale too) and oscar's one
    assert "3 actions" in mail.outbox[-2].subject + mail.outbox[-1].subject


@time_machine.travel(MONDAY, tick=False)
def test_a_lead_without_a_login_is_asked_to_send_the_update_to_the_plan_lead(setting):
    olivia = setting["olivia"]
    olivia.set_unusable_password()
    olivia.save()

    run()

    body = next(message.body for message in mail.outbox if message.to == ["olivia@example.org"])
    assert "You do not sign in to SEND Tracker" in body
    assert "Priya Lead <priya@example.org>" in body
    assert "record it on your behalf with the date you gave it" in body
    assert "/actions/mine/" not in body
    assert "1.1: Audit EHC plans." in body


@time_machine.travel(MONDAY, tick=False)
def test_a_failed_send_is_logged_and_retried_on_the_next_run(setting, caplog):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("SMTP server down")):
        output = run()

    assert "Reminders sent: 0; failed (retried next run): 2;" in output
    assert ReminderSent.objects.count() == 0
    assert "retried on the next run" in caplog.text

    assert "Reminders sent: 2;" in run()
    assert len(mail.outbox) == 2


@time_machine.travel(MONDAY, tick=False)
def test_a_lead_without_an_email_address_is_counted_and_not_recorded(setting):
    oscar = setting["oscar"]
    oscar.email = ""
    oscar.save()
    Person.objects.filter(user=oscar).update(email="")

    output = run()

    assert "Reminders sent: 1;" in output
    assert "leads without an email address: 1." in output
    assert not ReminderSent.objects.filter(lead__user=oscar).exists()


@time_machine.travel(datetime.datetime(2025, 5, 16, 7, tzinfo=LONDON), tick=False)
def test_no_reminder_goes_out_while_the_deadline_is_more_than_a_week_away(setting):
    # Friday 16 May: the next deadline, Thursday 5 June, is twenty days away.
    assert "Reminders sent: 0;" in run()
    assert mail.outbox == []


@time_machine.travel(MONDAY, tick=False)
def test_the_window_can_be_set_on_the_command_line(setting):
    out = StringIO()
    call_command("send_update_reminders", "--within-days", "1", stdout=out)
    assert "Reminders sent: 0;" in out.getvalue()
