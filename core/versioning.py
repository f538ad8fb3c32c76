"""The one version check: no form saves over a change made since it was loaded (DESIGN.md, "no lost updates").

Every record edited through a form carries a `version`. A save names the version it was made against and
claims the next one with a single compare-and-set UPDATE, so of two saves of one version exactly one wins
on every database; the other raises StaleVersionError, writes nothing, and the view shows the 409 conflict
page with what changed since (from the record's history). Models, forms and views use only what is here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from simple_history.utils import get_m2m_reverse_field_name

from core.dates import DateInputs

STALE_MESSAGE = (
    "Someone else changed this since you opened the page. Nothing was saved: check their changes, "
    "then save again."
)


class StaleVersionError(Exception):
    """Someone else saved the record after the form was loaded; nothing was written.

    Carries the record as it is now (`current`, None when a first save lost to another first save), the
    version the form was loaded at, and what changed since: `changes` (field, before, after, who) and, for
    records with a log of their own (an action's updates), `updates_since`.
    """

    def __init__(self, current: models.Model | None, since_version: int, message: str = STALE_MESSAGE):
        self.current = current
        self.since_version = since_version
        self.changes: list[dict] = []
        self.updates_since: list = []
        if isinstance(current, Versioned):
            self.changes = current.changes_since(since_version)
            self.updates_since = current.updates_since(since_version)
        super().__init__(message)


class Versioned(models.Model):
    """A record edited through forms that carry the version they were loaded at."""

    # Bumped by every save in the app; a form carries it so a stale save is refused, never written.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    # What the conflict page says; a model may word it for its users.
    stale_message = STALE_MESSAGE

    def claim_version(
        self,
        version: int,
        *,
        where: Iterable[Any] = (),
        values: dict | None = None,
        refused: Callable[[], None] | None = None,
    ) -> None:
        """Move the stored record from `version` to the next in one compare-and-set UPDATE.

        `where` adds conditions the row must meet as well (e.g. its plan still open), `values` are written
        by the same UPDATE. When nothing is claimed, `refused()` may raise a more specific error (the plan
        was closed, the paper published); otherwise StaleVersionError. Call inside a transaction.
        """
        claimed = (
            type(self)
            ._default_manager.filter(*where, pk=self.pk, version=version)
            .update(version=version + 1, **(values or {}))
        )
        if claimed != 1:
            if refused is not None:
                refused()
            raise self.stale_error(version)
        self.version = version + 1

    def check_version(self, version: int) -> None:
        """Raise StaleVersionError unless the stored record is still at `version`; locks the row until commit.

        For a change that belongs to the record without changing it (adding a step after a review).
        """
        stored = type(self)._default_manager.select_for_update().filter(pk=self.pk)
        if list(stored.values_list("version", flat=True)) != [version]:
            raise self.stale_error(version)

    def save_edit(self, *, version: int, fields: Iterable[str]) -> None:
        """Save `fields` as set on this instance, made against `version`; raise StaleVersionError if stale.

        The save after the claim is a real save, so the history records who changed what.
        """
        with transaction.atomic():
            self.claim_version(version)
            self.save(update_fields=[*fields, "version"])

    def check_edit(self, changes: dict) -> None:
        """Raise ValidationError if the changes break a rule of the record; models add their rules."""

    def edit(self, *, version: int, **changes) -> None:
        """Apply `changes` made against `version`, checking the record's rules; the edit forms' write path.

        Raises ValidationError (a broken rule) or StaleVersionError (someone else saved first), writing
        nothing either way.
        """
        self.check_edit(changes)
        for name, value in changes.items():
            setattr(self, name, value)
        self.save_edit(version=version, fields=list(changes))

    @classmethod
    def save_at_version(cls, lookup: dict, version: int, values: dict):
        """Create (`version` 0) or change the one row matching `lookup`, made against `version`.

        Two first saves race on the model's unique constraint: one gets in, the other is stale.
        """
        try:
            with transaction.atomic():
                if version == 0:
                    record = cls(**lookup)
                else:
                    record = cls._default_manager.get(**lookup)
                    record.claim_version(version)
                for name, value in values.items():
                    setattr(record, name, value)
                record.version = version + 1
                record.save()
        except (IntegrityError, cls.DoesNotExist) as error:
            current = cls._default_manager.filter(**lookup).first()
            raise StaleVersionError(current, version, cls.stale_message) from error
        return record

    def stale_error(self, since_version: int) -> StaleVersionError:
        current = type(self)._default_manager.get(pk=self.pk)
        return StaleVersionError(current, since_version, self.stale_message)

    def changes_since(self, since_version: int) -> list[dict]:
        """Return each field changed since `since_version` as {field, before, after, who}, from history."""
        history = getattr(self, "history", None)
        if history is None:
            return []
        records = list(
            history.filter(version__gte=since_version).select_related("history_user").order_by("history_id")
        )
        before = next((r for r in records if r.version == since_version), None)
        if before is None:
            return []
        latest = records[-1]
        delta = latest.diff_against(before, excluded_fields={"version"}, foreign_keys_are_objs=True)
        return [
            {
                "field": str(self._meta.get_field(change.field).verbose_name),
                "before": _display(self._meta.get_field(change.field), change.old),
                "after": _display(self._meta.get_field(change.field), change.new),
                "who": latest.history_user,
            }
            for change in delta.changes
        ]

    def updates_since(self, since_version: int) -> list:
        """Return entries of the record's own log made since `since_version` (none unless it keeps one)."""
        return []


def _display(field, value) -> str:
    """Return a historical value as a person reads it (choice labels, related objects by name)."""
    if field.many_to_many:
        reverse_name = get_m2m_reverse_field_name(field)
        return ", ".join(str(row[reverse_name]) for row in value) or "(none)"
    if value in (None, ""):
        return "(empty)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


class VersionField(forms.IntegerField):
    """The hidden version a form was loaded at (0: the record does not exist yet)."""

    widget = forms.HiddenInput

    def __init__(self, *, allow_new: bool = False, **kwargs) -> None:
        super().__init__(min_value=0 if allow_new else 1, **kwargs)


class VersionedModelForm(DateInputs, forms.ModelForm):
    """A model form that carries the version its record was loaded at (a new record needs none)."""

    version = VersionField(required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    def changes(self) -> dict:
        """Return every model field of the form with its cleaned value."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def changed_model_fields(self) -> list[str]:
        return [name for name in self.changed_data if name in self._meta.fields]


def conflict_response(
    request: HttpRequest, template: str, context: dict, error: StaleVersionError
) -> HttpResponse:
    """Render `template` as the 409 conflict page: the form again, with what changed since (`conflict`)."""
    return render(request, template, {**context, "conflict": error}, status=409)


# The edit-view pattern, written once: every view that saves a versioned record goes through these.


def current_version(record: models.Model | None) -> int:
    """Return the version a form should carry for `record` (0: it does not exist yet)."""
    return record.version if record is not None else 0


def posted_again(data: QueryDict, version: int, *, prefix: str | None = None) -> QueryDict:
    """Return the posted data at `version`: what the user typed, so saving again is a deliberate act."""
    data = data.copy()
    data[f"{prefix}-version" if prefix else "version"] = str(version)
    return data


def form_again(make_form: Callable[[QueryDict], forms.BaseForm], request: HttpRequest, stale, *, prefix=None):
    """Return the form as the user typed it, now at the current version of `stale.current` (validated)."""
    form = make_form(posted_again(request.POST, current_version(stale.current), prefix=prefix))
    form.is_valid()
    return form


def refuse_on_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a model's ValidationError on the form, on the fields it names where the form has them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def unsaved_form(request: HttpRequest, form, template: str, context: dict) -> HttpResponse | None:
    """Return the form page for a GET, or with its errors (422) for an invalid POST; None when valid."""
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=422)
    return None


def save_or_conflict(
    request: HttpRequest,
    save: Callable[[], Any],
    *,
    template: str = "",
    context: dict | None = None,
    again: Callable[[StaleVersionError], dict] | None = None,
    back_to: str = "",
    on_stale: Callable[[StaleVersionError], HttpResponse] | None = None,
) -> tuple[Any, HttpResponse | None]:
    """Run `save()`; return what it returned and None, or None and the response to a stale save.

    That response is the 409 conflict page (`template` with `context`, the changes since and what
    `again(stale)` adds: the current record and the form again, see `form_again`), or for a one-button
    form with no page of its own, a redirect `back_to` the page it was on with the conflict as a message,
    or, for a page the view renders its own way (a partial, one row's form among many), `on_stale(stale)`.
    Views never catch StaleVersionError themselves (tests/core/test_one_version_check.py).
    """
    try:
        return save(), None
    except StaleVersionError as stale:
        if on_stale is not None:
            return None, on_stale(stale)
        if not template:
            messages.error(request, str(stale))
            return None, redirect(back_to)
        extra = again(stale) if again else {}
        return None, conflict_response(request, template, {**(context or {}), **extra}, stale)


def versioned_edit(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    template: str,
    context: dict,
    make_form: Callable[[QueryDict, models.Model | None], forms.BaseForm],
    save: Callable[[], Any] | None = None,
    name: str = "",
    reload: Callable[[], models.Model] | None = None,
) -> HttpResponse | None:
    """Show an edit form (GET), its errors (422: the form's or a rule of the record's) or a conflict (409);
    return None once saved.

    `save` defaults to the model form's instance's save_edit() of the changed fields at the posted
    version. On a StaleVersionError the form is shown again by `make_form(data, current)` with what the
    user typed at the current version and what changed since; `reload()` reads the current record for the
    page (default: the error's), shown as context[`name`] when a name is given.
    """
    response = unsaved_form(request, form, template, context)
    if response is not None:
        return response

    def again(stale: StaleVersionError) -> dict:
        current = reload() if reload else stale.current
        shown = {name: current} if name else {}
        return {**shown, "form": form_again(lambda data: make_form(data, current), request, stale)}

    try:
        _, conflict = save_or_conflict(
            request,
            save or (lambda: save_changed(form.instance, form)),
            template=template,
            context=context,
            again=again,
        )
    except ValidationError as broken:
        refuse_on_form(form, broken)
        return render(request, template, context, status=422)
    return conflict


def save_changed(record: Versioned, form: forms.BaseForm) -> None:
    """Save the model form's changed fields at the posted version (versioned_edit's default save)."""
    record.save_edit(version=form.cleaned_data["version"], fields=form.changed_model_fields())


def edit_through_model(record: Versioned, form: forms.BaseForm) -> None:
    """Save every field of the model form through the record's edit(), which checks the record's rules."""
    record.edit(version=form.cleaned_data["version"], **form.changes())


def edit_view(
    load: Callable[[HttpRequest, int], Versioned],
    make_form: Callable[[QueryDict | None, Versioned], forms.BaseForm],
    *,
    template: str,
    name: str,
    nav: str,
    saved: Callable[[Versioned], str],
    done: Callable[[Versioned], str],
    context: Callable[[Versioned], dict] | None = None,
    save: Callable[[Versioned, forms.BaseForm], Any] = save_changed,
    methods: Iterable[str] = ("GET", "HEAD", "POST"),
) -> Callable[..., HttpResponse]:
    """Return the edit page of a versioned record, for a URL naming the record by its one parameter.

    `load(request, pk)` reads the record and checks the user may edit it; `make_form(data, record)` builds the
    form. The page shows the form (GET), its errors (422) or a conflict (409) as `versioned_edit` does, with
    the record in the template as `name` beside what `context(record)` adds; once `save(record, form)` has
    run it says `saved(record)` and redirects to `done(record)`.
    """

    @login_required
    @require_http_methods(list(methods))
    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        (pk,) = kwargs.values()
        record = load(request, pk)
        form = make_form(request.POST or None, record)
        page = {"form": form, name: record, "nav": nav, **(context(record) if context else {})}
        response = versioned_edit(
            request,
            form,
            template=template,
            context=page,
            make_form=make_form,
            save=lambda: save(record, form),
            name=name,
            reload=lambda: load(request, pk),
        )
        if response is not None:
            return response
        messages.success(request, saved(record))
        return redirect(done(record))

    return view
