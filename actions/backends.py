"""The sign-in backend of the app: the user read with what the header needs, in the same query."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from accounts.backends import GroupsOnceModelBackend
from actions.models import Action
from core.prepared import PreparedQuery


def _user_with_leads(user_id):
    leads = Exists(Action.objects.live().filter(leads__user=OuterRef("pk")))
    return get_user_model()._default_manager.annotate(leads_actions=leads).filter(pk=user_id)


# Every signed-in request reads the user: its SQL is built once (core/prepared.py).
_USER_WITH_LEADS = PreparedQuery(_user_with_leads)


class GroupsAndLeadsModelBackend(GroupsOnceModelBackend):
    """GroupsOnceModelBackend that also reads `leads_actions` (whether the user leads a live action) with
    the signed-in user, for the header's "My actions" item (actions.context_processors)."""

    def get_user(self, user_id):
        user_model = get_user_model()
        # The session keeps the id as text; the ORM would have made it the key's type.
        user = _USER_WITH_LEADS.first(user_model, user_model._meta.pk.to_python(user_id))
        if user is None:
            return None
        user.leads_actions = bool(user.leads_actions)  # SQLite answers 0 or 1
        return user if self.user_can_authenticate(user) else None
