"""Error messages that name the field and say what to do, for every form (GOV.UK's error message pattern).

Django's own messages ("This field is required.", "Select a valid choice.") do not say which field they
belong to, so an error summary listing several reads as the same line repeated. The form renderer set in
settings (`FORM_RENDERER`) gives every form this BoundField, which words Django's default messages for its
field ("Enter the title", "Choose the plan", "Title must be 200 characters or fewer"); messages a form
writes itself are left as they are.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.core import validators
from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.forms.utils import ErrorList
from django.template import TemplateDoesNotExist
from django.template.backends.jinja2 import Jinja2
from django.utils.functional import cached_property

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


class FormRenderer(BaseRenderer):
    """Django's form renderer with the BoundField above, rendering widgets with Jinja2 where it can.

    Django renders every widget from templates (an input's attributes, a select's options, each of a date's
    three boxes), and its template engine made that most of a form page's time: 13 widgets took about
    half of the new plan page. Django ships the same widget templates for Jinja2 (django/forms/jinja2),
    which renders them several times faster; ours are in jinja2/ (core/widgets, actions/widgets). They
    render through our Jinja2 environment (core/jinja2.py), which escapes as Django's engine does, so the
    markup is the same. A widget template that exists only for Django's engine (the admin's,
    django-filter's) is still rendered by it.
    """

    bound_field_class = BoundField

    def __init__(self) -> None:
        self._engine_of: dict[str, object] = {}

    @cached_property
    def _jinja2(self) -> Jinja2:
        return Jinja2(
            {
                "APP_DIRS": False,
                "DIRS": [settings.BASE_DIR / "jinja2", Path(forms.__file__).parent / "jinja2"],
                "NAME": "djangoforms-jinja2",
                "OPTIONS": {"environment": "core.jinja2.environment"},
            }
        )

    @cached_property
    def _django(self):
        return DjangoTemplates().engine

    def get_template(self, template_name: str):
        engine = self._engine_of.get(template_name)
        if engine is None:
            try:
                template = self._jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                template = self._django.get_template(template_name)
                self._engine_of[template_name] = self._django
            else:
                self._engine_of[template_name] = self._jinja2
            return template
        return engine.get_template(template_name)
