"""The one date input of the product: GOV.UK's three fields (day, month, year) as a Django widget and field.

Every form with a date uses it. Model forms get it without asking: `DateInputs` (mixed into
`VersionedModelForm` and `core.dates.ModelForm`) turns each plain `forms.DateField` into ours, and
`formfield_callback` does the same for a ModelForm's `Meta`. The widget also reads a date sent under the
field's own name as an ISO string (`?since=2026-01-31`), so links and older clients keep working.
"""

from __future__ import annotations

import calendar
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from core.forms import in_sentence

PARTS = ("day", "month", "year")
MONTH_NAMES = {
    name.lower(): number
    for names in (calendar.month_name, calendar.month_abbr)
    for number, name in enumerate(names)
    if name
}


def _parse_iso(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


class DateInput(forms.MultiWidget):
    """Day, month and year text boxes, each with its own label, as GOV.UK's date input."""

    template_name = "core/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs: dict | None = None) -> None:
        def box(width: int) -> forms.TextInput:
            return forms.TextInput(attrs={"inputmode": "numeric", "class": f"input input--width-{width}"})

        super().__init__({"day": box(2), "month": box(2), "year": box(4)}, attrs)

    def decompress(self, value) -> list:
        if isinstance(value, str):
            value = _parse_iso(value)
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and name in data:
            return data.get(name)  # an ISO date in a link or from an older client
        return parts

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            subwidget["label"] = part.capitalize()
            if id_:
                subwidget["attrs"]["id"] = f"{id_}_{part}"
        return context


class DateField(forms.DateField):
    """A date from the three boxes, with GOV.UK's messages naming the field: "Enter the meeting date",
    "Meeting date must include a year", "Meeting date must be a real date"."""

    widget = DateInput

    def __init__(self, *, subject: str | None = None, **kwargs) -> None:
        kwargs.pop("input_formats", None)
        super().__init__(**kwargs)
        self.subject = subject  # how messages name the date when the label does not suit

    @property
    def name_in_messages(self) -> str:
        return self.subject or str(self.label or "date")

    def _error(self, text: str, code: str) -> ValidationError:
        subject = self.name_in_messages
        return ValidationError(text.format(subject=subject[:1].upper() + subject[1:]), code=code)

    def to_python(self, value) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, (list, tuple)):
            return self._from_parts([str(part or "").strip() for part in value])
        if value in self.empty_values or not str(value).strip():
            return None
        parsed = _parse_iso(str(value))
        if parsed is None:
            try:
                parsed = super().to_python(value)
            except ValidationError:
                raise self._error("{subject} must be a real date", "invalid") from None
        return parsed

    def _from_parts(self, parts: list[str]) -> datetime.date | None:
        if not any(parts):
            return None
        if len(parts) != len(PARTS):
            raise self._error("{subject} must be a real date", "invalid")
        missing = [part for part, text in zip(PARTS, parts, strict=True) if not text]
        if missing:
            raise self._error(f"{{subject}} must include a {' and '.join(missing)}", "incomplete")
        day, month, year = parts
        try:
            month_number = MONTH_NAMES.get(month.lower()) or int(month)
            if len(year) != 4:
                raise self._error("{subject} must include a year with 4 numbers, for example 2026", "year")
            return datetime.date(int(year), month_number, int(day))
        except ValueError:
            raise self._error("{subject} must be a real date", "invalid") from None

    def validate(self, value) -> None:
        if value in self.empty_values and self.required:
            raise ValidationError(f"Enter the {in_sentence(self.name_in_messages)}", code="required")

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


def date_field_like(field: forms.Field) -> DateField:
    """Return our DateField carrying `field`'s label, hint, requiredness, initial and state."""
    return DateField(
        required=field.required,
        label=field.label,
        help_text=field.help_text,
        initial=field.initial,
        disabled=field.disabled,
        validators=field.validators,
        localize=field.localize,
    )


def formfield_callback(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A ModelForm `Meta.formfield_callback` giving every model DateField the three-field input."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.pop("widget", None)
        return db_field.formfield(**{**kwargs, "form_class": DateField})
    return db_field.formfield(**kwargs)


class DateInputs:
    """Form mixin: every plain `forms.DateField` of the form (declared, or made from a model DateField)
    becomes the three-field `DateField`, whatever widget it was given."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField) and not isinstance(field, DateField):
                self.fields[name] = date_field_like(field)


class ModelForm(DateInputs, forms.ModelForm):
    """A ModelForm whose dates use the three-field input; use it for any model form with a date."""


class Form(DateInputs, forms.Form):
    """A Form whose dates use the three-field input."""
