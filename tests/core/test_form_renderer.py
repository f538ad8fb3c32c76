"""core.forms.FormRenderer: widgets rendered with Jinja2, the same markup as Django's engine gives."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.backends import django as django_backend
from django.template.backends import jinja2 as jinja2_backend

from actions.cycle_forms import UpdateCycleField
from core.dates import DateField
from core.forms import FormRenderer

HOSTILE = 'O\'Brien & "Sons" <script>'


class EveryWidget(forms.Form):
    title = forms.CharField(max_length=20, help_text="Short")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    count = forms.IntegerField(min_value=1)
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", HOSTILE)])
    kinds = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    tick = forms.BooleanField(required=False)
    secret = forms.CharField(widget=forms.HiddenInput)
    email = forms.EmailField()


def _tags(html: str) -> str:
    """Return the markup with its whitespace as a browser reads it: runs as one space, none between tags
    (Django's select and checkboxes put newlines there; Jinja2's templates do not)."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html.strip()))


@pytest.mark.parametrize("bound", [False, True])
def test_django_widgets_render_as_with_djangos_engine(bound):
    data = {
        "title": HOSTILE,
        "notes": HOSTILE,
        "count": "x",
        "kind": "b",
        "kinds": ["a"],
        "tick": "on",
        "secret": HOSTILE,
    }
    ours = EveryWidget(data if bound else None, renderer=FormRenderer(), initial={"secret": HOSTILE})
    djangos = EveryWidget(data if bound else None, renderer=DjangoTemplates(), initial={"secret": HOSTILE})
    for name in EveryWidget.base_fields:
        assert _tags(str(ours[name])) == _tags(str(djangos[name])), name
    # Escaped as Django escapes (&#x27;, not Jinja2's own &#39;).
    assert "O&#x27;Brien &amp; &quot;Sons&quot; &lt;script&gt;" in str(ours["secret"])


def test_our_widgets_render_with_jinja2():
    class Dates(forms.Form):
        due = DateField(label="Due date")
        cycle = UpdateCycleField()

    form = Dates(initial={"due": "2026-03-27", "cycle": 28}, renderer=FormRenderer())
    due, cycle = str(form["due"]), str(form["cycle"])
    assert '<label class="date-input__label" for="id_due_day">Day</label>' in due
    assert 'name="due_day" value="27"' in due and 'name="due_year" value="2026"' in due
    assert '<input type="number" name="cycle" value="28"' in cycle
    assert '<datalist id="id_cycle-presets">' in cycle and 'list="id_cycle-presets"' in cycle


def test_templates_only_djangos_engine_has_still_render():
    renderer = FormRenderer()
    assert isinstance(renderer.get_template("django/forms/widgets/input.html"), jinja2_backend.Template)
    # The admin's widgets exist for Django's engine only.
    admin_widget = renderer.get_template("admin/widgets/url.html")
    assert isinstance(admin_widget, django_backend.Template)
    assert renderer.get_template("admin/widgets/url.html") is not None  # remembered, found again
