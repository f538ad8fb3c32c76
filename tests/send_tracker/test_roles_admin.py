"""Roles are defined in code: administrators assign them, but nobody edits their permissions in the admin,
and no administrator can hand out a raw permission (issue #18 attack 3, issue #8)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core import roles
from tests.factories import make_user

DANGEROUS = ("axes.delete_accessattempt", "send_tracker.delete_user", "auth.change_permission")


def perms(*names: str) -> list[int]:
    return [
        Permission.objects.get(content_type__app_label=name.split(".")[0], codename=name.split(".")[1]).pk
        for name in names
    ]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def group_url(group: Group) -> str:
    return reverse("admin:auth_group_change", args=[group.pk])


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", "root@example.org", "a-long-test-password")


def test_an_administrator_cannot_give_their_own_role_a_raw_permission(administrator):
    group = Group.objects.get(name=roles.ADMINISTRATOR)
    before = set(group.permissions.values_list("pk", flat=True))

    response = signed_in(administrator).post(
        group_url(group), {"name": roles.ADMINISTRATOR, "permissions": [*before, *perms(*DANGEROUS)]}
    )

    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before
    administrator = User.objects.get(pk=administrator.pk)
    assert not any(administrator.has_perm(name) for name in DANGEROUS)


def test_an_administrator_cannot_make_a_group(administrator):
    response = signed_in(administrator).post(
        reverse("admin:auth_group_add"), {"name": "Helpers", "permissions": perms(*DANGEROUS)}
    )
    assert response.status_code == 403
    assert not Group.objects.filter(name="Helpers").exists()


@pytest.mark.parametrize("role", roles.ROLES)
def test_even_a_superuser_sees_a_roles_permissions_read_only(superuser, role):
    group = Group.objects.get(name=role)
    client = signed_in(superuser)

    page = client.get(group_url(group))
    response = client.post(group_url(group), {"name": "Renamed", "permissions": perms(*DANGEROUS)})

    assert page.status_code == 200
    assert "permissions" not in page.context["adminform"].form.fields
    assert response.status_code == 403
    assert Group.objects.filter(name=role).exists()


def test_a_superuser_may_make_and_change_other_groups(superuser):
    client = signed_in(superuser)
    client.post(reverse("admin:auth_group_add"), {"name": "Auditors", "permissions": perms(DANGEROUS[0])})
    auditors = Group.objects.get(name="Auditors")
    response = client.post(group_url(auditors), {"name": "Auditors", "permissions": perms(*DANGEROUS[:2])})

    assert response.status_code == 302
    assert auditors.permissions.count() == 2


def test_the_groups_list_shows_which_are_roles_defined_in_code(administrator):
    response = signed_in(administrator).get(reverse("admin:auth_group_changelist"))
    assert response.status_code == 200
    assert "role defined in code" in response.content.decode().lower()


def test_role_permissions_in_the_database_are_those_the_code_defines(db):
    models_by_app = {
        app: [
            model._meta.model_name
            for model in apps.get_app_config(app).get_models()
            if not model.__name__.startswith("Historical")
        ]
        for app in ("inspections", "actions", "reports")
    }
    for role, names in roles.group_permissions(models_by_app).items():
        held = {
            f"{app}.{codename}"
            for app, codename in Group.objects.get(name=role).permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert held == set(names), role


def test_an_administrator_may_only_assign_roles(administrator, superuser):
    auditors = Group.objects.create(name="Auditors")
    auditors.permissions.set(perms(*DANGEROUS))
    colleague = make_user("colleague", roles.OFFICER)
    client = signed_in(administrator)
    change = reverse("admin:send_tracker_user_change", args=[colleague.pk])

    choices = {label for _, label in client.get(change).context["adminform"].form.fields["groups"].choices}
    response = client.post(
        change,
        {
            "username": "colleague",
            "is_active": "on",
            "groups": [auditors.pk, Group.objects.get(name=roles.OFFICER).pk],
            "user_permissions": perms(*DANGEROUS),
        },
    )

    assert choices == set(roles.ROLES)
    assert response.status_code == 200  # the form is shown again with an error
    assert "Auditors" not in {group.name for group in colleague.groups.all()}
    colleague = User.objects.get(pk=colleague.pk)
    assert not any(colleague.has_perm(name) for name in DANGEROUS)
