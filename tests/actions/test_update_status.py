"""The plan lead's update status page: who has updated since the last deadline, reminders in one click."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from actions.models import Action, ActionUpdate, Board, Organisation, Person, ReminderSent
from tests.factories import (
    make_action,
    make_organisation,
    make_plan,
    make_priority,
    make_user,
    person_for,
    rag_level,
    set_last_updated,
    update_data,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
# Monday 2 June 2025: last deadline Thursday 15 May (meeting 22 May), next Thursday 5 June (meeting 12 June).
MONDAY = datetime.datetime(2025, 6, 2, 9, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def board(fortnightly_board) -> Board:
    return fortnightly_board


@pytest.fixture
def setting(board, plan_lead, officer, other_officer):
    officer.email, other_officer.email = "olivia@example.org", "oscar@example.org"
    officer.save()
    other_officer.save()
    council, health = make_organisation("Thurrock Council"), make_organisation("NHS Thurrock CCG")
    plan = make_plan(title="Written Statement of Action", board=board, lead=plan_lead)
    priority = make_priority(plan)
    stale = make_action(priority, [officer], reference="1.1")
    fresh = make_action(priority, [officer, other_officer], reference="1.2")
    overdue = make_action(priority, [other_officer], reference="1.3", due_date=D(2025, 5, 1))
    make_action(priority, [officer], reference="1.4", status=Action.Status.COMPLETE)
    stale.lead_organisations.set([council])
    fresh.lead_organisations.set([council, health])
    set_last_updated(stale, datetime.datetime(2025, 5, 15, 17, tzinfo=LONDON))
    set_last_updated(fresh, datetime.datetime(2025, 5, 16, 9, tzinfo=LONDON))
    return {"plan": plan, "stale": stale, "fresh": fresh, "overdue": overdue}


def status_url(plan) -> str:
    return reverse("cycle:status", kwargs={"plan": plan.pk})


def tallies(rows) -> dict:
    return {
        t.name: ([a.reference for a in t.updated], [a.reference for a in t.not_updated], len(t.overdue))
        for t in rows
    }


def test_plan_lead_sees_each_leads_and_organisations_actions_by_update_state(client, plan_lead, setting):
    client.force_login(plan_lead)

    response = client.get(status_url(setting["plan"]))

    assert response.status_code == 200
    assert tallies(response.context["leads"]) == {
        "Oscar Other": (["1.2"], ["1.3"], 1),
        "Olivia Officer": (["1.2"], ["1.1"], 0),
    }
    assert tallies(response.context["organisations"]) == {
        "Thurrock Council": (["1.2"], ["1.1"], 0),
        "No organisation recorded": ([], ["1.3"], 1),
        "NHS Thurrock CCG": (["1.2"], [], 0),
    }
    html = response.content.decode()
    assert "Thursday 5 June 2025" in html  # updates due by
    assert "Thursday 12 June 2025" in html  # next meeting
    summary = "1 updated since the last deadline, <strong>2 not updated</strong>, <strong>1 overdue</strong>"
    assert summary in html
    assert reverse("cycle:record", args=[setting["stale"].pk]) in html
    assert "Send reminders" in html


def test_names_in_the_tally_tables_are_escaped(client, plan_lead, setting):
    """The tables are rendered by Jinja2 (jinja2/cycle/_tally_table.html), autoescaped as Django's are."""
    Person.objects.filter(pk=setting["stale"].leads.get().pk).update(name='<script>alert("x")</script>')
    Organisation.objects.filter(name="Thurrock Council").update(name="<b>Council</b> & partners")
    client.force_login(plan_lead)

    html = client.get(status_url(setting["plan"])).content.decode()

    assert "<script>alert" not in html and "<b>Council</b>" not in html
    assert "&lt;script&gt;alert(" in html  # the lead's row and the hidden text of its "record update" link
    assert "&lt;b&gt;Council&lt;/b&gt; &amp; partners" in html
    assert f'href="{reverse("cycle:record", args=[setting["stale"].pk])}"' in html


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_only_plan_leads_and_administrators_see_the_status_page(client, request, persona, setting):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(status_url(setting["plan"])).status_code == 403
    assert client.get(reverse("cycle:index")).status_code == 403
    assert client.post(reverse("cycle:remind", kwargs={"plan": setting["plan"].pk})).status_code == 403
    assert mail.outbox == []


def test_administrator_sees_the_status_page(client, administrator, setting):
    client.force_login(administrator)
    assert client.get(status_url(setting["plan"])).status_code == 200


def test_an_unknown_plan_is_not_found(client, plan_lead, db):
    client.force_login(plan_lead)
    assert client.get(reverse("cycle:status", kwargs={"plan": 999})).status_code == 404


def test_the_status_page_takes_the_same_number_of_queries_however_many_actions(
    client, plan_lead, board, django_assert_max_num_queries
):
    plan = make_plan(board=board)
    priorities = [make_priority(plan) for _ in range(3)]
    organisations = [make_organisation() for _ in range(3)]
    leads = [make_user(role="Officer") for _ in range(4)]
    for n, lead in enumerate(leads):  # leads of partner organisations, as in a real area
        Person.objects.filter(pk=person_for(lead).pk).update(organisation=organisations[n % 3])
    ReminderSent.objects.create(lead=person_for(leads[0]), deadline=D(2025, 6, 5), action_count=1)
    made, counts = 0, []
    # None first: a plan with no open action (three of the demo's) ran three queries fewer (issue #32).
    for count in (0, 3, 30):
        for i in range(made, count):
            action = make_action(priorities[i % 3], [leads[i % 4], leads[(i + 1) % 4]])
            action.lead_organisations.set([organisations[i % 3]])
            if i % 2:
                set_last_updated(action, MONDAY)
        made = count
        client.force_login(plan_lead)

        # 1 session, 2 user, 3 the user's groups with all permissions (also the role in the header), 4 the
        # plan with board and lead, 5 every plan's deadlines, 6 the plan's open actions flagged stale, with
        # priority, 7 their leads with their sign-ins and organisations, 8 their lead organisations, 9 the
        # reminders sent for the next deadline.
        with django_assert_max_num_queries(9) as queries:
            response = client.get(status_url(plan))

        assert len(response.context["leads"]) == (4 if count else 0)
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_one_click_sends_each_lead_one_reminder_and_records_who_sent_it(client, plan_lead, setting):
    client.force_login(plan_lead)
    url = reverse("cycle:remind", kwargs={"plan": setting["plan"].pk})

    response = client.post(url, follow=True)

    assert response.redirect_chain == [(status_url(setting["plan"]), 302)]
    assert "Reminders sent to 2 leads." in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == ["olivia@example.org", "oscar@example.org"]
    assert "http://testserver/actions/mine/" in mail.outbox[0].body
    assert set(ReminderSent.objects.values_list("deadline", "sent_by")) == {(D(2025, 6, 5), plan_lead.pk)}
    assert "Send reminders" not in response.content.decode()

    again = client.post(url, follow=True)

    assert "Reminders sent to 0 leads." in again.content.decode()
    assert len(mail.outbox) == 2


def test_reminders_are_only_for_the_leads_of_this_plan(client, plan_lead, setting, board):
    someone_else = make_user(role="Officer", email="else@example.org")
    make_action(make_priority(make_plan(board=board)), [someone_else])
    client.force_login(plan_lead)

    client.post(reverse("cycle:remind", kwargs={"plan": setting["plan"].pk}))

    assert "else@example.org" not in [message.to[0] for message in mail.outbox]


def test_the_index_lists_every_open_plan_with_its_deadline_and_counts(
    client, plan_lead, setting, django_assert_max_num_queries
):
    make_plan(title="SEND Strategy delivery plan", update_cycle_days=42)
    counts = []
    for extra_plans in (0, 8):
        for _ in range(extra_plans):
            make_action(make_priority(make_plan(update_cycle_days=10)))
        client.force_login(plan_lead)

        # 1 session, 2 user, 3 the user's groups with all permissions (also the role in the header), 4
        # every plan's deadlines, 5 the open plans with board and lead, 6 open actions counted per plan.
        with django_assert_max_num_queries(6) as queries:
            response = client.get(reverse("cycle:index"))

        html = response.content.decode()
        assert "Written Statement of Action" in html and "SEND Strategy delivery plan" in html
        assert "Six-weekly" in html or "six-weekly" in html
        rows = {row["plan"].title: row for row in response.context["rows"]}
        wsoa = rows["Written Statement of Action"]
        assert (wsoa["total"], wsoa["updated"], wsoa["stale"], wsoa["overdue"]) == (3, 1, 2, 1)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert wsoa["deadlines"].next == D(2025, 6, 5)


def record_url(action) -> str:
    return reverse("cycle:record", args=[action.pk])


def test_plan_lead_records_an_update_on_a_leads_behalf_with_the_date_it_was_given(
    client, plan_lead, officer, setting
):
    action = setting["stale"]
    client.force_login(plan_lead)
    assert client.get(record_url(action)).status_code == 200

    data = {**update_data(action), "on_behalf_of": person_for(officer).pk, "given_on": "2025-05-30"}
    response = client.post(record_url(action), data)

    assert response.status_code == 302
    assert response["Location"] == status_url(setting["plan"])
    update = ActionUpdate.objects.get(action=action)
    assert (update.author, update.on_behalf_of, update.given_on) == (
        plan_lead,
        person_for(officer),
        D(2025, 5, 30),
    )
    assert update.rag_after == rag_level(action.plan.rag_scale, "amber")
    assert not Action.objects.stale().filter(pk=action.pk).exists()
    detail = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "for Olivia Officer, who gave it on 30 May 2025" in detail


@pytest.mark.parametrize(
    ("field", "value"),
    [("given_on", "2025-06-03"), ("given_on", "not a date"), ("on_behalf_of", "other")],
)
def test_an_update_on_behalf_needs_a_lead_of_the_action_and_a_date_not_in_the_future(
    client, plan_lead, officer, other_officer, setting, field, value
):
    action = setting["stale"]  # led by officer only
    client.force_login(plan_lead)
    data = {**update_data(action), "on_behalf_of": person_for(officer).pk, "given_on": "2025-06-02"}
    data[field] = person_for(other_officer).pk if value == "other" else value

    response = client.post(record_url(action), data)

    assert response.status_code == 422
    assert not ActionUpdate.objects.filter(action=action).exists()
    anchor = f"{field}_day" if field == "given_on" else field  # a date links to its day box
    assert f'href="#id_{action.pk}_{anchor}"' in response.content.decode()


def test_an_update_on_behalf_made_against_an_old_version_is_refused(client, plan_lead, officer, setting):
    action = setting["stale"]
    client.force_login(plan_lead)
    data = {**update_data(action), "on_behalf_of": person_for(officer).pk, "given_on": "2025-06-02"}
    client.post(record_url(action), data)

    response = client.post(record_url(action), {**data, "narrative": "A second try"})

    assert response.status_code == 409
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_an_officer_cannot_record_an_update_on_someone_elses_behalf(client, officer, setting):
    action = setting["stale"]
    client.force_login(officer)
    data = {**update_data(action), "on_behalf_of": person_for(officer).pk, "given_on": "2025-06-02"}
    assert client.get(record_url(action)).status_code == 403
    assert client.post(record_url(action), data).status_code == 403
    assert not ActionUpdate.objects.filter(action=action).exists()
