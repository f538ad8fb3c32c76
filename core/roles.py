"""The four roles, the permissions each group holds, and helpers every app can use without a cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.prepared import PreparedQuery

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

OFFICER = "Officer"
PLAN_LEAD = "Plan lead"
SCRUTINY_MEMBER = "Scrutiny member"
ADMINISTRATOR = "Administrator"
ROLES = (OFFICER, PLAN_LEAD, SCRUTINY_MEMBER, ADMINISTRATOR)

UPDATE_OWN_ACTION = "actions.update_own_action"
UPDATE_ANY_ACTION = "actions.update_any_action"

_DOMAIN_APPS = ("inspections", "actions", "reports")


def _view_all(models_by_app: dict[str, list[str]]) -> list[str]:
    return [f"{app}.view_{model}" for app, models in models_by_app.items() for model in models]


def group_permissions(models_by_app: dict[str, list[str]]) -> dict[str, list[str]]:
    """Return "app.codename" permissions for each role, given the model names of each domain app.

    No role gets a delete permission: nothing is hard-deleted through the UI; records are archived.
    """
    view = _view_all({app: models for app, models in models_by_app.items() if app in _DOMAIN_APPS})
    edit = [
        f"{app}.{verb}_{model}"
        for app, models in models_by_app.items()
        if app in _DOMAIN_APPS
        for model in models
        for verb in ("add", "change")
    ]
    return {
        OFFICER: [*view, UPDATE_OWN_ACTION, "actions.add_actionupdate"],
        SCRUTINY_MEMBER: view,
        PLAN_LEAD: [*view, *edit, UPDATE_OWN_ACTION, UPDATE_ANY_ACTION],
        ADMINISTRATOR: [
            *view,
            *edit,
            UPDATE_OWN_ACTION,
            UPDATE_ANY_ACTION,
            *(f"send_tracker.{verb}_user" for verb in ("view", "add", "change")),
            # Roles are defined here in code; administrators assign them but never edit a group's permissions.
            "auth.view_group",
        ],
    }


def _groups_and_permissions(user_id):
    """Return the rows (group name, app label, codename) of the user's roles and permissions.

    A group without permissions gives (name, None, None); a permission given to the user directly
    ("", app label, codename).
    """
    from django.contrib.auth.models import (
        Group,
        Permission,
    )  # roles.py is imported by settings and migrations
    from django.db.models import CharField, Value

    groups = (
        Group.objects.filter(user=user_id)
        .order_by()
        .values_list("name", "permissions__content_type__app_label", "permissions__codename")
    )
    own = (
        Permission.objects.filter(user=user_id)
        .order_by()
        .annotate(group_name=Value("", output_field=CharField()))
        .values_list("group_name", "content_type__app_label", "codename")
    )
    return groups.union(own, all=True)


# Built into SQL once: every signed-in request runs it (core/prepared.py).
_GROUPS_AND_PERMISSIONS = PreparedQuery(_groups_and_permissions)


def group_names(user: AbstractBaseUser) -> frozenset[str]:
    """Return the names of the user's groups, read once per user object together with the permissions.

    Every signed-in page needs both (permissions for the view and the navigation, the role name for the
    header), so one query fills this cache and ModelBackend's user and group permission caches; see
    accounts.backends.
    """
    try:
        return user._group_names
    except AttributeError:
        pass
    rows = _GROUPS_AND_PERMISSIONS.rows(user.pk, using=user._state.db or "default")
    user._group_names = frozenset(name for name, _app, _codename in rows if name)
    if not user.is_superuser:  # ModelBackend gives a superuser every permission, whatever the groups
        user._group_perm_cache = {f"{app}.{code}" for name, app, code in rows if name and code}
        user._user_perm_cache = {f"{app}.{code}" for name, app, code in rows if not name}
    return user._group_names


def role_of(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """Return the user's most powerful role name, or None."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ADMINISTRATOR
    names = group_names(user)
    for role in (ADMINISTRATOR, PLAN_LEAD, OFFICER, SCRUTINY_MEMBER):
        if role in names:
            return role
    return None


def can_update_any_action(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm(UPDATE_ANY_ACTION)


def sync_groups(apps) -> None:
    """Create the four role groups and set their permissions; safe to run again after adding models.

    Called after every migrate with its migrated state's app registry (see sync_groups_after_migrate), so it
    must not import models directly.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # create_permissions skips apps without a models module, which a migration's apps never have.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    models_by_app = {
        app: [
            model._meta.model_name
            for model in apps.get_app_config(app).get_models()
            if not model._meta.model_name.startswith("historical")
        ]
        for app in _DOMAIN_APPS
    }
    for role, names in group_permissions(models_by_app).items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = set()
        for name in names:
            app_label, codename = name.split(".")
            wanted.add((app_label, codename))
        permissions = [
            perm
            for perm in permission_model.objects.select_related("content_type")
            if (perm.content_type.app_label, perm.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions not found for {role}: {sorted(missing)}")
        group.permissions.set(permissions)


def sync_groups_after_migrate(sender, *, using: str = "default", apps=None, **kwargs) -> None:
    """post_migrate receiver: bring the role groups in line with the code (see core.apps).

    `migrate` sends its migrated state as `apps`; `flush` (tests' transactional flushes) sends none.
    """
    from django.apps import apps as global_apps
    from django.db import router

    if router.allow_migrate(using, "auth"):
        sync_groups(apps or global_apps)
