"""Admin for users and groups (the shared admin rules are in core.admin)."""

from __future__ import annotations

import secrets

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from accounts import mfa
from accounts.models import SingleSignOnIdentity, User
from accounts.views import send_password_reset
from core import roles
from core.admin import NoDeleteMixin, without_delete


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
    """The four role groups are defined in code (core/roles.py) and shown read-only here.

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


@admin.register(SingleSignOnIdentity)
class SingleSignOnIdentityAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Which organisation account (provider and subject) each user signs in with (issue #34): made by a
    first single sign-on, read-only here, for a superuser looking into a sign-in."""

    list_display = ("user", "provider", "subject", "created")
    list_filter = ("provider",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email", "subject")
    readonly_fields = ("user", "provider", "subject", "created")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# django-axes registers its login records with delete enabled; they are an audit trail, so keep them.
# A locked-out user is let back in by the cool-off period or `manage.py axes_reset_username`.
for _model, _admin_class in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, without_delete(_admin_class))


# Authenticator keys are secrets and recovery codes are shown once: neither belongs in the admin. A lost
# phone is handled by the "Reset two-step verification" action on users.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
