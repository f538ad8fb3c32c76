"""The sign-in backend of the app: the user read with what the header needs, in the same query."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from accounts.backends import GroupsOnceModelBackend
from actions.models import Action


class GroupsAndLeadsModelBackend(GroupsOnceModelBackend):
    """GroupsOnceModelBackend that also reads `leads_actions` (whether the user leads a live action) with
    the signed-in user, for the header's "My actions" item (actions.context_processors)."""

    def get_user(self, user_id):
        user_model = get_user_model()
        leads = Exists(Action.objects.live().filter(leads__user=OuterRef("pk")))
        try:
            user = user_model._default_manager.annotate(leads_actions=leads).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
