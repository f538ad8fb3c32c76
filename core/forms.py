"""Error messages that name the field and say what to do, for every form (GOV.UK's error message pattern).

Django's own messages ("This field is required.", "Select a valid choice.") do not say which field they
belong to, so an error summary listing several reads as the same line repeated. The form renderer set in
settings (`FORM_RENDERER`) gives every form this BoundField, which words Django's default messages for its
field ("Enter the title", "Choose the plan", "Title must be 200 characters or fewer"); messages a form
writes itself are left as they are.
"""

from __future__ import annotations

from django import forms
from django.core import validators
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList

CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.SelectMultiple)


def in_sentence(label: str) -> str:
    """Return `label` as it reads inside a sentence: "Meeting date" -> "meeting date", "RAG scale" kept."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


QUESTION_WORDS = ("what", "which", "who", "when", "where", "how", "whether")


def _the(name: str) -> str:
    """Return `name` as the object of "Enter"/"Choose": "the title", but "what followed" (a question)."""
    return name if name.split(" ", 1)[0] in QUESTION_WORDS else f"the {name}"


def _is_default(error, code: str, *defaults) -> bool:
    return error.code == code and any(str(error.message) == str(default) for default in defaults if default)


class BoundField(forms.BoundField):
    def _named(self, error) -> str:
        field = self.field
        label = str(self.label or self.name.replace("_", " ")).rstrip(":")
        name, capital = in_sentence(label), label[:1].upper() + label[1:]
        params = error.params or {}
        if _is_default(error, "required", forms.Field.default_error_messages["required"]):
            if field.widget.is_hidden:
                return f"Reload the page and try again: the form was sent without its {name}"
            if isinstance(field.widget, forms.FileInput):
                return f"Choose {_the(name)} to upload"
            if isinstance(field.widget, forms.CheckboxInput):
                return f"Tick {name} to go on"
            if isinstance(field.widget, CHOICE_WIDGETS):
                return f"Choose {_the(name)}"
            return f"Enter {_the(name)}"
        if error.code in ("invalid_choice", "invalid_pk_value") and isinstance(
            field, forms.ChoiceField | forms.ModelChoiceField
        ):
            return f"Choose {_the(name)} from the list"
        if _is_default(error, "max_length", validators.MaxLengthValidator.message):
            return f"{capital} must be {params.get('limit_value')} characters or fewer"
        if _is_default(error, "min_length", validators.MinLengthValidator.message):
            return f"{capital} must be {params.get('limit_value')} characters or more"
        if _is_default(error, "invalid", forms.IntegerField.default_error_messages["invalid"]):
            return f"{capital} must be a whole number, like 12"
        if _is_default(error, "invalid", forms.DecimalField.default_error_messages["invalid"]):
            return f"{capital} must be a number, like 12 or 12.5"
        if _is_default(error, "max_value", validators.MaxValueValidator.message):
            return f"{capital} must be {params.get('limit_value')} or less"
        if _is_default(error, "min_value", validators.MinValueValidator.message):
            return f"{capital} must be {params.get('limit_value')} or more"
        return error.messages[0]

    @property
    def errors(self) -> ErrorList:
        errors = super().errors
        if not errors:
            return errors
        named = self.form.error_class(renderer=self.form.renderer, field_id=getattr(errors, "field_id", None))
        named.error_class = errors.error_class
        named.extend(self._named(error) for error in errors.as_data())
        return named


class FormRenderer(DjangoTemplates):
    """Django's template renderer, with the BoundField above for every form."""

    bound_field_class = BoundField
