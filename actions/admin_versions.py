"""The admin's version check: every versioned record's change form carries the version it was loaded at.

A save over someone else's change is refused with a message naming what changed, and writes nothing; a save
at the current version goes through the model's own write path (save_edit, or edit() with its rules).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from actions.models import StaleEditError, VersionedEdit


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
        if isinstance(self.instance, VersionedEdit):
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


def conflict_message(stale: StaleEditError) -> str:
    """Return what changed since the form was loaded, as one message for the admin's error list."""
    parts = [
        f"{update.author} recorded an update ({update.get_status_after_display()}"
        f"{', ' + update.rag_after.label if update.rag_after else ''})"
        for update in getattr(stale, "updates_since", ())
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
        if isinstance(obj, VersionedEdit):
            obj.edit(version=version, **{name: getattr(obj, name) for name in fields})
        else:
            # The form's clean checked the version under a row lock; this compare-and-set is the last word.
            obj.save_edit(version=version, fields=fields)


class AddOnlyInline(admin.TabularInline):
    """Rows of a versioned child are added here but changed on their own version-checked admin page."""

    extra = 1
    show_change_link = True

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
