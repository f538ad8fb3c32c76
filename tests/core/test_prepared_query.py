"""core.prepared: a query's SQL built by the ORM once, run again for other values, as the ORM runs it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from core import roles
from core.prepared import PreparedQuery
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _usernames_in_group(group_id):
    return User.objects.filter(groups=group_id).order_by("username").values_list("username")


def test_it_answers_what_the_orm_answers_for_each_value():
    officers, leads = (Group.objects.get(name=name) for name in (roles.OFFICER, roles.PLAN_LEAD))
    make_user("bea", roles.OFFICER), make_user("al", roles.OFFICER), make_user("cy", roles.PLAN_LEAD)
    prepared = PreparedQuery(_usernames_in_group)
    for group in (officers, leads, officers):
        assert prepared.rows(group.pk) == list(_usernames_in_group(group.pk))
    assert prepared.rows(-1) == []


def test_it_builds_the_sql_once_and_runs_one_counted_query_each_time(django_assert_num_queries):
    built = []

    def build(group_id):
        built.append(group_id)
        return _usernames_in_group(group_id)

    prepared = PreparedQuery(build)
    make_user("dee", roles.OFFICER)
    officers = Group.objects.get(name=roles.OFFICER).pk
    for _ in range(3):
        with django_assert_num_queries(1):
            assert prepared.rows(officers) == [("dee",)]
    assert len(built) == 1


def test_it_returns_model_instances_with_their_annotations():
    from django.db.models import Count

    make_user("eve", roles.OFFICER)
    prepared = PreparedQuery(
        lambda username: User.objects.annotate(roles=Count("groups")).filter(username=username), marker="?"
    )
    user = prepared.first(User, "eve")
    assert (user.username, user.roles, user._state.adding) == ("eve", 1, False)
    assert prepared.first(User, "nobody") is None


def test_it_refuses_a_query_that_does_not_use_its_value():
    with pytest.raises(ValueError, match="does not use its value"):
        PreparedQuery(lambda _value: User.objects.filter(is_active=True)).rows(1)


def test_group_names_still_reads_groups_and_permissions_given_directly(django_assert_num_queries):
    user = make_user(role=roles.SCRUTINY_MEMBER)
    user.groups.add(Group.objects.create(name="No permissions"))
    user.user_permissions.add(Permission.objects.get(codename="add_user"))
    fresh = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert roles.group_names(fresh) == {roles.SCRUTINY_MEMBER, "No permissions"}
    assert fresh.get_user_permissions() == {"send_tracker.add_user"}
    assert "actions.view_action" in fresh.get_group_permissions()
    assert not fresh.has_perm(roles.UPDATE_ANY_ACTION)
