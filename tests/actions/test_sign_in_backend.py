"""actions.backends: the signed-in user read in one query with whether they lead a live action."""

from __future__ import annotations

import pytest
from django.utils import timezone

from actions.backends import GroupsAndLeadsModelBackend
from core import roles
from tests.factories import make_action, make_user

pytestmark = pytest.mark.django_db


def test_it_reads_the_user_and_whether_they_lead_a_live_action(django_assert_num_queries):
    leader, other = make_user(role=roles.SCRUTINY_MEMBER), make_user(role=roles.SCRUTINY_MEMBER)
    make_action(leads=[leader])
    backend = GroupsAndLeadsModelBackend()
    with django_assert_num_queries(1):
        found = backend.get_user(str(leader.pk))  # as the session keeps it
    assert (found, found.leads_actions) == (leader, True)
    assert backend.get_user(other.pk).leads_actions is False


def test_an_archived_action_does_not_count_as_led():
    leader = make_user(role=roles.OFFICER)
    make_action(leads=[leader], archived_at=timezone.now())
    assert GroupsAndLeadsModelBackend().get_user(leader.pk).leads_actions is False


def test_it_finds_no_unknown_or_inactive_user():
    inactive = make_user(role=roles.OFFICER, is_active=False)
    assert GroupsAndLeadsModelBackend().get_user(inactive.pk) is None
    assert GroupsAndLeadsModelBackend().get_user(inactive.pk + 1000) is None
