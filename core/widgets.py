"""Choice widgets that write their options in one pass: Django renders a template for each option.

A select or a group of checkboxes of every person in a large area (hundreds) cost most of its page's time
through Django's per-option templates (issue #32); these write the same markup in one pass (the select
in a Jinja2 template, jinja2/core/_select.html).
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from core.jinja2 import jinja_template


def _options(widget: dict):
    return (option for _group, group_options, _index in widget["optgroups"] for option in group_options)


class PlainSelect(forms.Select):
    """A select whose options are written here, straight from its choices (groups flattened).

    Django's optgroups() builds a dict of attributes for every option before any is written: most of the
    All actions page's fixed cost with 300 people to choose a lead from (issue #32).
    """

    def render(self, name, value, attrs=None, renderer=None) -> str:
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        html = jinja_template("core/_select.html").render(
            name=name, attrs=attrs, options=self._options(value)
        )
        return mark_safe(html)  # noqa: S308 - rendered by an autoescaping engine

    def _options(self, value):
        """Yield each option's value, selected flag and label; only the first match is selected."""
        chosen = self.format_value(value)
        for option_value, label in self.choices:
            for sub_value, sub_label in (
                label if isinstance(label, (list, tuple)) else ((option_value, label),)
            ):
                sub_value = "" if sub_value is None else sub_value
                if chosen and str(sub_value) in chosen:
                    chosen = ()
                    yield sub_value, True, sub_label
                else:
                    yield sub_value, False, sub_label


class PlainCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes, each with its label, written here; plans/_field.html puts them in the group's fieldset."""

    writes_items = True

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        items = format_html_join(
            "",
            '<div class="checkboxes__item"><input type="checkbox" name="{}" value="{}"{}>'
            '<label for="{}">{}</label></div>',
            (
                (
                    option["name"],
                    option["value"],
                    flatatt(option["attrs"]),
                    option["attrs"]["id"],
                    option["label"],
                )
                for option in _options(widget)
            ),
        )
        return items or mark_safe('<p class="hint">None to choose from yet.</p>')
