"""Django's ModelBackend, reading the user's groups and permissions in one query (not three)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from actions.models import Action
from core.roles import group_names


class GroupsOnceModelBackend(ModelBackend):
    """ModelBackend whose permissions come from roles.group_names, which also keeps the group names.

    Django asks for the user's own permissions, their groups' permissions and, separately, for the groups
    (the role shown in the header of every page); here one query answers all three, cached on the user
    object for the request.
    """

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            group_names(user_obj)
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            group_names(user_obj)
        return super().get_group_permissions(user_obj, obj)

    def get_user(self, user_id):
        """Return the signed-in user with `leads_actions` (whether they lead a live action) read in the
        same query, for the header's "My actions" item (core.context_processors)."""
        user_model = get_user_model()
        leads = Exists(Action.objects.live().filter(leads__user=OuterRef("pk")))
        try:
            user = user_model._default_manager.annotate(leads_actions=leads).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
