"""The role groups follow the code after every migrate and every flush (a post_migrate receiver)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from core import roles

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_flush_leaves_the_role_groups_with_their_permissions():
    for _ in range(2):  # the second flush finds the app registry as the first left it
        call_command("flush", interactive=False, verbosity=0)
        assert sorted(Group.objects.values_list("name", flat=True)) == sorted(roles.ROLES)
        plan_lead = Group.objects.get(name=roles.PLAN_LEAD)
        assert plan_lead.permissions.filter(codename="update_any_action").exists()
    assert all(config.models_module for config in apps.get_app_configs() if config.label == "actions")
