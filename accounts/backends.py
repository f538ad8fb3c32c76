"""Django's ModelBackend, reading the user's groups and permissions in one query (not three)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

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
