"""The rules every admin in the project shares: nothing is hard-deleted, archived rows filter apart."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


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


def without_delete(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """Return a subclass of a third-party ModelAdmin that refuses deletes."""
    attrs: dict[str, Any] = {"__module__": admin_class.__module__}
    return type(admin_class.__name__, (NoDeleteMixin, admin_class), attrs)
