"""History pages show earlier records but never restore them (issue #18, attacks 1 and 2)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.models import User
from actions.models import Action, ActionUpdate
from core.versioning import StaleVersionError
from tests.factories import make_action, make_update, make_user, update_data
from tests.send_tracker.test_admin import BUILDERS, HISTORY_MODELS, _label, url


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def history_url(obj, record) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.pk])


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", "root@example.org", "a-long-test-password")


@pytest.fixture
def view_only_staff(db) -> User:
    """Staff who may only view: the permissions of a scrutiny member, and every model's view permission."""
    user = make_user("viewer", "Scrutiny member", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=_label)
def test_a_history_record_opens_but_cannot_be_restored(superuser, view_only_staff, model) -> None:
    obj = BUILDERS[model]()
    record = obj.history.earliest()
    before = obj.history.count()

    for user in (superuser, view_only_staff):
        client = signed_in(user)
        page = client.get(history_url(obj, record))
        response = client.post(history_url(obj, record), {})

        assert page.status_code == 200, user
        assert b'name="_save"' not in page.content
        assert response.status_code == 403, user
    assert obj.history.count() == before


def test_the_history_list_says_view_history(superuser) -> None:
    action = make_action()
    response = signed_in(superuser).get(url(Action, "history", action.pk))
    assert "View history" in response.content.decode()


def test_a_demoted_superuser_cannot_be_restored_by_an_administrator(administrator) -> None:
    former = User.objects.create_superuser("former", "former@example.org", "a-long-test-password")
    former.is_superuser = False
    former.save()
    when_superuser = former.history.earliest()
    assert when_superuser.is_superuser

    response = signed_in(administrator).post(
        history_url(former, when_superuser),
        {"username": "former", "email": "former@example.org", "is_active": "on", "is_staff": "on"},
    )

    assert response.status_code == 403
    former.refresh_from_db()
    assert not former.is_superuser


def test_view_only_staff_cannot_write_an_action_through_its_history(view_only_staff) -> None:
    action = make_action(description="First wording.")
    first = action.history.earliest()
    action.description = "Agreed wording."
    action.save()

    response = signed_in(view_only_staff).post(
        history_url(action, first),
        {"priority": action.priority_id, "reference": action.reference, "description": "Hijacked."},
    )

    assert response.status_code == 403
    action.refresh_from_db()
    assert action.description == "Agreed wording."


def test_an_action_cannot_be_wound_back_to_an_earlier_version(superuser, officer) -> None:
    action = make_action(leads=[officer])
    first = action.history.earliest()
    make_update(action, officer)

    response = signed_in(superuser).post(
        history_url(action, first),
        {
            "priority": action.priority_id,
            "reference": action.reference,
            "description": action.description,
            "due_date": "2030-01-31",
            "status": action.status,
        },
    )

    assert response.status_code == 403
    action.refresh_from_db()
    assert action.version == 2


# record_update: a clash with the update log is a stale version, never a server error.


@pytest.fixture
def wound_back(officer) -> Action:
    """An action whose version was wound back below its update log (as a history revert once did)."""
    action = make_action(leads=[officer])
    make_update(action, officer)
    make_update(action, officer)
    Action.objects.filter(pk=action.pk).update(version=2)
    action.refresh_from_db()
    return action


def test_record_update_refuses_a_version_the_log_already_has(wound_back, officer) -> None:
    with pytest.raises(StaleVersionError):
        make_update(wound_back, officer, "Third update.")

    assert ActionUpdate.objects.filter(action=wound_back).count() == 2
    wound_back.refresh_from_db()
    assert wound_back.version == 2


def test_the_update_page_answers_a_clash_with_the_conflict_page(wound_back, officer) -> None:
    client = signed_in(officer)
    for _ in range(2):  # every retry is refused the same way
        response = client.post(reverse("actions:update", args=[wound_back.pk]), update_data(wound_back))
        assert response.status_code == 409
    assert ActionUpdate.objects.filter(action=wound_back).count() == 2
