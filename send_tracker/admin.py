"""Admin for users and groups, and the rules every admin in the project shares: nothing is hard-deleted."""

from __future__ import annotations

import secrets
from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from send_tracker import roles
from send_tracker.accounts import mfa
from send_tracker.accounts.views import send_password_reset
from send_tracker.models import User


class NoDeleteMixin:
    """Refuse every delete: records are archived or kept, never hard-deleted from the UI (DESIGN.md).

    Without the delete permission Django also drops the "Delete selected" bulk action and the inline
    "Delete?" boxes, and answers the delete page with 403.

    Also refuse every history "revert" (a POST to a django-simple-history record page): it saves the old
    record through the model form with none of the change page's checks (read-only fields, who may change
    whom, version numbers), so it could restore a demoted superuser or wind an action's version back.
    History pages stay viewable; SIMPLE_HISTORY_REVERT_DISABLED hides their Revert button.
    """

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("Restoring an earlier record is disabled: change the record itself.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class StampUserInInlineMixin:
    """Set `stamp_field` to the signed-in user on rows of the `stamp_model` inline that have none yet."""

    stamp_model: type[Model] | None = None
    stamp_field = ""

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not self.stamp_model:
            super().save_formset(request, form, formset, change)
            return
        for obj in formset.save(commit=False):
            if getattr(obj, f"{self.stamp_field}_id") is None:
                setattr(obj, self.stamp_field, request.user)
            obj.save()
        formset.save_m2m()


# Belt and braces: an admin registered later without the mixin still gets no bulk delete.
admin.site.disable_action("delete_selected")


@admin.action(description="Archive selected %(verbose_name_plural)s", permissions=["change"])
def archive_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    now = timezone.now()
    # One save per row, not queryset.update(), so each archive is in the object's history with its user.
    archived = 0
    for obj in queryset.filter(archived_at__isnull=True):
        obj.archived_at = now
        obj.save(update_fields=["archived_at"])
        archived += 1
    modeladmin.message_user(request, f"Archived {archived} {_plural(modeladmin, archived)}.")


@admin.action(description="Restore selected %(verbose_name_plural)s", permissions=["change"])
def restore_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    restored = 0
    for obj in queryset.filter(archived_at__isnull=False):
        obj.archived_at = None
        obj.save(update_fields=["archived_at"])
        restored += 1
    modeladmin.message_user(request, f"Restored {restored} {_plural(modeladmin, restored)}.")


def _plural(modeladmin: admin.ModelAdmin, count: int) -> str:
    opts = modeladmin.model._meta
    return str(opts.verbose_name if count == 1 else opts.verbose_name_plural)


class ArchivedListFilter(admin.SimpleListFilter):
    """Filter models with `archived_at` into live and archived rows."""

    title = "archived"
    parameter_name = "archived"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("no", "Live"), ("yes", "Archived")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset


def related_filter(*select_related: str) -> type[admin.RelatedFieldListFilter]:
    """Return a related-object filter that loads `select_related` with its choices.

    The stock filter names each choice with str(), which costs a query per choice when the name reaches
    through a foreign key (a paper's name includes its committee).
    """

    class SelectRelatedFieldListFilter(admin.RelatedFieldListFilter):
        def field_choices(
            self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin
        ) -> list[tuple[Any, str]]:
            queryset = field.related_model._default_manager.select_related(*select_related)
            if ordering := self.field_admin_ordering(field, request, model_admin):
                queryset = queryset.order_by(*ordering)
            return [(obj.pk, str(obj)) for obj in queryset]

    return SelectRelatedFieldListFilter


def _may_search_users(request: HttpRequest) -> bool:
    """Return True for an autocomplete lookup made from a form the user may fill in (e.g. an action's leads).

    Plan leads assign leads to plans, priorities and actions but hold no permission on users; this lets
    them search names in those boxes without letting them browse or edit the user list.
    """
    match = request.resolver_match
    if match is None or match.url_name != "autocomplete":
        return False
    app_label = request.GET.get("app_label", "")
    model_name = request.GET.get("model_name", "")
    return any(request.user.has_perm(f"{app_label}.{verb}_{model_name}") for verb in ("add", "change"))


@admin.register(User)
class UserAdmin(NoDeleteMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "email", "job_title")}),
        (
            "Role and access",
            {
                "fields": ("is_active", "is_staff", "groups"),
                "description": "The groups are the roles. Plan leads and administrators also need "
                "“staff status” to use this admin.",
            },
        ),
        ("Superuser only", {"classes": ("collapse",), "fields": ("is_superuser", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "job_title",
                    "is_staff",
                    "groups",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ("username", "full_name", "email", "job_title", "roles", "is_staff", "is_active")
    actions = ["force_password_reset", "reset_two_step_verification"]
    list_filter = ("groups", "is_staff", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "job_title")
    ordering = ("last_name", "first_name", "username")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="name", ordering="last_name")
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()

    @admin.display(description="roles")
    def roles(self, obj: User) -> str:
        return ", ".join(sorted(group.name for group in obj.groups.all()))

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Administrators manage roles; only a superuser may hand out superuser status or raw permissions.
            readonly += ("is_superuser", "user_permissions", "last_login", "date_joined")
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Otherwise an administrator could reset a superuser's password and sign in as them.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            # Administrators assign roles; a superuser's group with raw permissions is not theirs to give.
            kwargs["queryset"] = Group.objects.filter(name__in=roles.ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _changeable(self, request: HttpRequest, queryset: QuerySet[User]) -> list[User]:
        users = [user for user in queryset if self.has_change_permission(request, user)]
        if skipped := queryset.count() - len(users):
            self.message_user(request, f"Skipped {skipped} superuser account(s).", messages.WARNING)
        return users

    @admin.action(description="Force a password reset (sign out, email a link)", permissions=["change"])
    def force_password_reset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        without_email = []
        for user in self._changeable(request, queryset):
            # A random password nobody knows: every session ends, and the emailed link sets a new one.
            user.set_password(secrets.token_urlsafe(32))
            user.save(update_fields=["password"])
            self.log_change(request, user, "Forced a password reset.")
            if not send_password_reset(request, user):
                without_email.append(user.username)
        self.message_user(request, "Passwords reset; each person was emailed a link to choose a new one.")
        if without_email:
            self.message_user(
                request,
                f"No email address for {', '.join(without_email)}: add one, then force the reset again.",
                messages.WARNING,
            )

    @admin.action(description="Reset two-step verification (after a lost phone)", permissions=["change"])
    def reset_two_step_verification(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = self._changeable(request, queryset)
        for user in users:
            mfa.reset(user)
            self.log_change(request, user, "Reset two-step verification.")
        self.message_user(
            request, f"Two-step verification reset for {len(users)} account(s): set up again at next sign-in."
        )

    def has_view_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is None and _may_search_users(request):
            return True
        return super().has_view_permission(request, obj)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[User], search_term: str
    ) -> tuple[QuerySet[User], bool]:
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if _may_search_users(request):
            # Nobody should be made lead of anything after they have left.
            queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(NoDeleteMixin, DjangoGroupAdmin):
    """The four role groups are defined in code (send_tracker/roles.py) and shown read-only here.

    Their permissions are set by the roles migrations; an edit in the admin would make a role silently
    differ from what the code and the README say it is. Only a superuser may make other groups.
    """

    list_display = ("name", "defined_in_code")

    @admin.display(boolean=True, description="role defined in code")
    def defined_in_code(self, obj: Group) -> bool:
        return obj.name in roles.ROLES

    def get_readonly_fields(self, request: HttpRequest, obj: Group | None = None) -> tuple[str, ...]:
        if obj is not None and obj.name in roles.ROLES:
            return ("name", "permissions")
        return ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        if obj is not None and obj.name in roles.ROLES:
            return False
        return request.user.is_superuser


def _without_delete(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """Return a subclass of a third-party ModelAdmin that refuses deletes."""
    attrs: dict[str, Any] = {"__module__": __name__}
    return type(admin_class.__name__, (NoDeleteMixin, admin_class), attrs)


# django-axes registers its login records with delete enabled; they are an audit trail, so keep them.
# A locked-out user is let back in by the cool-off period or `manage.py axes_reset_username`.
for _model, _admin_class in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, _without_delete(_admin_class))


# Authenticator keys are secrets and recovery codes are shown once: neither belongs in the admin. A lost
# phone is handled by the "Reset two-step verification" action on users.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
