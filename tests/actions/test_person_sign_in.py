"""An administrator turns a person into a user from the person's page; the person chooses the password."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from actions.models import Person
from core import roles
from tests.factories import make_action, make_organisation, make_person, make_user


@pytest.fixture
def person(db) -> Person:
    return make_person(
        "Jo Bloggs",
        job_title="Designated Clinical Officer",
        email="Jo.Bloggs@nhs.example",
        organisation=make_organisation("Thurrock CCG", kind="health"),
    )


def detail(person: Person) -> str:
    return reverse("plans:person-detail", args=[person.pk])


def sign_in_url(person: Person) -> str:
    return reverse("plans:person-sign-in", args=[person.pk])


def give(client: Client, person: Person, **changes):
    data = {"username": "jo.bloggs", "email": "jo.bloggs@nhs.example", "role": roles.OFFICER}
    data.update(changes)
    return client.post(sign_in_url(person), data)


def test_an_administrator_gives_a_person_a_sign_in_and_they_get_a_link_to_choose_a_password(
    client, administrator, person
):
    client.force_login(administrator)

    response = give(client, person)

    assert response.status_code == 302
    assert response["Location"] == detail(person)
    person.refresh_from_db()
    user = person.user
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "jo.bloggs",
        "jo.bloggs@nhs.example",
        "Jo",
        "Bloggs",
    )
    assert user.job_title == "Designated Clinical Officer"
    assert [group.name for group in user.groups.all()] == [roles.OFFICER]
    assert not user.has_usable_password()
    assert not (user.is_staff or user.is_superuser)
    assert person.history.first().user_id == user.pk
    assert person.history.first().history_user == administrator

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["jo.bloggs@nhs.example"]
    assert email.subject == "Your SEND Tracker account: choose a password"
    assert "Your username is jo.bloggs." in email.body
    link = re.search(r"https?://[^/]+(/account/password/reset/\S+)", email.body).group(1)

    # The person follows the link and chooses a password; nobody else ever knew one.
    visitor = Client()
    form_page = visitor.get(link, follow=True)
    assert form_page.status_code == 200
    set_password = visitor.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": "a-long-new-password-42", "new_password2": "a-long-new-password-42"},
    )
    assert set_password.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-long-new-password-42")


def test_the_administrator_role_makes_the_account_staff_but_never_superuser(client, administrator, person):
    client.force_login(administrator)

    give(client, person, role=roles.ADMINISTRATOR)

    person.refresh_from_db()
    assert person.user.is_staff and not person.user.is_superuser


def test_what_they_lead_is_theirs_once_they_sign_in(client, administrator, person):
    action = make_action(leads=[person])
    client.force_login(administrator)
    give(client, person)

    person.refresh_from_db()
    officer_client = Client()
    officer_client.force_login(person.user)
    mine = officer_client.get(reverse("actions:mine"))
    assert action.reference in mine.content.decode()


def test_a_plan_lead_sees_the_person_but_cannot_give_a_sign_in(client, plan_lead, person):
    client.force_login(plan_lead)

    page = client.get(detail(person))
    assert page.status_code == 200
    assert "Give Jo Bloggs a sign-in" not in page.content.decode()
    assert "An administrator can give them a sign-in" in page.content.decode()

    assert client.get(sign_in_url(person)).status_code == 403
    assert give(client, person, role=roles.ADMINISTRATOR).status_code == 403
    person.refresh_from_db()
    assert person.user is None
    assert not User.objects.filter(username="jo.bloggs").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_officers_and_scrutiny_members_are_refused_both_pages(client, request, persona, person):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(detail(person)).status_code == 403
    assert give(client, person).status_code == 403
    assert not User.objects.filter(username="jo.bloggs").exists()


def test_the_form_offers_the_persons_email_and_has_no_password_field(client, administrator, person):
    client.force_login(administrator)

    response = client.get(sign_in_url(person))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["email"].value() == "Jo.Bloggs@nhs.example"
    assert form["username"].value() == "jo.bloggs@nhs.example"
    assert 'type="password"' not in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "administrator"}, "username", "Another account already has this username"),
        ({"username": "ADMINISTRATOR"}, "username", "Another account already has this username"),
        ({"username": "jo bloggs!"}, "username", "Enter a valid username"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"role": "Superuser"}, "role", "Select a valid choice"),
        ({"role": ""}, "role", "This field is required."),
    ],
)
def test_bad_input_gets_a_message_and_creates_nothing(client, administrator, person, changes, field, message):
    client.force_login(administrator)
    users_before = User.objects.count()

    response = give(client, person, **changes)

    assert response.status_code == 422
    assert any(error.startswith(message) for error in response.context["form"].errors[field])
    assert User.objects.count() == users_before
    assert mail.outbox == []


def test_an_email_another_account_uses_is_refused(client, administrator, person):
    make_user("someone", email="jo.bloggs@nhs.example")
    client.force_login(administrator)

    response = give(client, person)

    assert response.status_code == 422
    assert "already uses this email address" in response.context["form"].errors["email"][0]


def test_a_person_who_already_signs_in_is_not_given_a_second_sign_in(client, administrator, person, officer):
    person.user = officer
    person.save()
    client.force_login(administrator)

    response = give(client, person, username="second")

    assert response.status_code == 302
    assert not User.objects.filter(username="second").exists()
    assert mail.outbox == []


def test_the_persons_page_takes_the_same_number_of_queries_whatever_they_lead(
    client, administrator, person, django_assert_max_num_queries
):
    made, counts = 0, []
    for led in (1, 6):
        for _ in range(made, led):
            action = make_action(leads=[person])
            action.accountable_officer = person
            action.save()
        made = led
        client.force_login(administrator)

        # 1 session, 2 user, 3 the user's groups with their permissions and the user's own (one query), 4
        # the person with organisation and user, 5 live actions led with their plan, 6 live actions
        # accountable for with their plan (the sign-in's groups need none: the person has no user).
        with django_assert_max_num_queries(6) as queries:
            response = client.get(detail(person))

        assert response.content.decode().count('href="/actions/') >= 2 * led
        counts.append(len(queries))
    assert counts[0] == counts[1]
