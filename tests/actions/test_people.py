"""People: leads and accountable officers are people with their organisation; they need not sign in."""

from __future__ import annotations

from django.urls import reverse

from actions.models import Action
from tests.factories import make_action, make_organisation, make_person, person_for


def test_a_lead_without_a_login_is_shown_with_their_organisation(client, scrutiny_member):
    icb = make_organisation("NHS Mid and South Essex ICB", short_name="MSE ICB")
    lead = make_person("Dalvinder Kaur", job_title="Designated Clinical Officer", organisation=icb)
    council = make_organisation("Council")
    director = make_person("Laura Bishop", job_title="Assistant Director", organisation=council)
    action = make_action(leads=[lead], accountable_officer=director)
    client.force_login(scrutiny_member)

    html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()

    assert "Dalvinder Kaur, Designated Clinical Officer (MSE ICB)" in html
    assert "Laura Bishop, Assistant Director (Council)" in html


def test_my_actions_are_those_whose_lead_person_is_linked_to_me(client, officer, other_officer):
    mine = make_action(leads=[officer])
    unlinked = make_action(leads=[make_person(officer.get_full_name())])  # same name, no link
    theirs = make_action(leads=[other_officer])
    client.force_login(officer)

    response = client.get(reverse("actions:mine"))

    shown = {action.pk for action in response.context["actions"]}
    assert shown == {mine.pk}
    assert unlinked.pk not in shown and theirs.pk not in shown
    assert set(Action.objects.led_by(officer)) == {mine}


def test_linking_a_person_to_a_user_lets_them_update_what_they_lead(client, other_officer):
    person = make_person("Oscar Other")
    action = make_action(leads=[person])
    client.force_login(other_officer)
    assert client.get(reverse("actions:update", args=[action.pk])).status_code == 403

    person.user = other_officer
    person.save()

    assert client.get(reverse("actions:update", args=[action.pk])).status_code == 200
    assert person_for(other_officer) == person
