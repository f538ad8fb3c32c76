"""Choice widgets that write their options in Python: Django renders a template for each option.

A select or a group of checkboxes of every person in a large area (hundreds) cost most of its page's time
through Django's per-option templates (issue #32); these write the same markup in one pass.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _options(widget: dict):
    return (option for _group, group_options, _index in widget["optgroups"] for option in group_options)


class PlainSelect(forms.Select):
    """A select whose options are written here."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])
                for option in _options(widget)
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


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
