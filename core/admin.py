"""The rules every admin in the project shares: nothing is hard-deleted, archived rows filter apart, and
every versioned record's change form carries the version it was loaded at (a save over someone else's change
is refused with a message naming what changed, and writes nothing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from core.versioning import StaleVersionError


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


class VersionedAdminForm(forms.ModelForm):
    """A model form with `loaded_version`; it refuses a record someone else saved since it was loaded."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
            self.fields["loaded_version"].required = True

    def clean(self) -> dict:
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None:
            model = type(self.instance)
            # Locked to the end of the admin's transaction (PostgreSQL), so the save that follows cannot race.
            current = model._default_manager.select_for_update().get(pk=self.instance.pk)
            if current.version != loaded:
                self.stale = current.stale_error(loaded)
                raise ValidationError(conflict_message(self.stale), code="stale")
        self._check_rules(cleaned)
        return cleaned

    def _check_rules(self, cleaned: dict) -> None:
        """Show the record's own rules (check_edit) as messages on the form, before anything is saved."""
        concrete = {field.name for field in self.instance._meta.concrete_fields}
        try:
            self.instance.check_edit({name: value for name, value in cleaned.items() if name in concrete})
        except ValidationError as broken:
            for field, messages in broken.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)


def conflict_message(stale: StaleVersionError) -> str:
    """Return what changed since the form was loaded, as one message for the admin's error list."""
    parts = [
        f"{update.author} recorded an update ({update.get_status_after_display()}"
        f"{', ' + update.rag_after.label if update.rag_after else ''})"
        for update in stale.updates_since
    ]
    parts += [
        f"{change['field']}: {change['before']} → {change['after']}"
        + (f" (by {change['who']})" if change.get("who") else "")
        for change in stale.changes
    ]
    name = stale.current._meta.verbose_name
    changed = "; ".join(parts) or f"the {name} changed"
    return (
        f"Someone else saved this {name} while you had it open (it is now at version "
        f"{stale.current.version}): {changed}. Your changes have not been saved. Open the {name} again "
        f"to see the current values, then make your change again."
    )


class VersionCheckedAdmin:
    """Admin mixin (put before the ModelAdmin base): a change is saved through the record's write path,
    at the version its form was loaded at."""

    form = VersionedAdminForm

    def save_model(self, request: HttpRequest, obj, form: VersionedAdminForm, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        concrete = {field.name for field in obj._meta.concrete_fields}
        fields = [name for name in form.fields if name in concrete]
        version = form.cleaned_data["loaded_version"]
        # The form's clean checked the version under a row lock; the compare-and-set is the last word.
        self.save_change(obj, version, fields)

    def save_change(self, obj, version: int, fields: list[str]) -> None:
        """Save the change form's `fields` through the record's write path, made against `version`."""
        obj.edit(version=version, **{name: getattr(obj, name) for name in fields})


class AllFieldsVersionCheckedAdmin(VersionCheckedAdmin):
    """For records whose app write path takes only the fields its pages edit (a review, a finding): the
    administrator's change form may set every field, still at the version it was loaded at."""

    def save_change(self, obj, version: int, fields: list[str]) -> None:
        obj.full_clean()
        obj.save_edit(version=version, fields=fields)


class AddOnlyInline(admin.TabularInline):
    """Rows of a versioned child are added here but changed on their own version-checked admin page."""

    extra = 1
    show_change_link = True

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
