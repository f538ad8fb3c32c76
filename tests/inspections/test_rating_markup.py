"""A round's rating forms are written out by Jinja2 (jinja2/inspections/_ratings.html), not by Django's
widgets (issue #32): every control must still be the one Django's widgets print, errors and values."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.test import RequestFactory

from inspections.forms import RatingForm
from inspections.round_views import _ratings_html
from tests.inspections.helpers import add_round, make_framework

pytestmark = pytest.mark.django_db


class _Controls(HTMLParser):
    """Collect the form controls of some markup as (tag, attributes, text) in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str, dict, str]] = []
        self._textarea: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "input" and attributes.get("name") != "csrfmiddlewaretoken":
            self.controls.append((tag, attributes, ""))
        elif tag == "textarea":
            self._textarea = attributes

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.controls.append(("textarea", self._textarea, data.strip()))
            self._textarea = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            self.controls.append(("textarea", self._textarea, ""))
            self._textarea = None


def controls(markup: str) -> list[tuple[str, dict, str]]:
    parser = _Controls()
    parser.feed(markup)
    return parser.controls


def django_controls(form: RatingForm) -> list[tuple[str, dict, str]]:
    """Return the controls as Django's own widgets print them."""
    markup = str(form["version"]) + "".join(str(choice.tag()) for choice in form["rag"])
    return controls(markup + str(form["commentary"]) + str(form["next_steps"]))


def jinja2_controls(criterion, form: RatingForm) -> list[tuple[str, dict, str]]:
    request = RequestFactory().get("/")
    assessment = add_round(criterion.framework, "Feb 18", datetime.date(2018, 2, 28), {})
    markup = _ratings_html(request, [(None, [(criterion, None, form)])], assessment=assessment, editable=True)
    return controls(str(markup))


@pytest.fixture
def criterion():
    return make_framework(sections=1, per_section=1).criteria.get()


def test_a_fresh_form_prints_the_controls_django_prints(criterion):
    initial = {"version": 3, "rag": "A", "commentary": 'Baseline <agreed> "today"', "next_steps": ""}
    form = RatingForm(initial=initial, criterion_pk=criterion.pk)

    found = jinja2_controls(criterion, form)

    assert found == django_controls(form)
    radios = [attrs for tag, attrs, _ in found if attrs.get("type") == "radio"]
    assert [attrs.get("checked") for attrs in radios] == [None, "", None]


def test_an_unrated_criterion_starts_at_version_zero_with_nothing_chosen(criterion):
    form = RatingForm(initial={"version": 0}, criterion_pk=criterion.pk)

    found = jinja2_controls(criterion, form)

    assert found == django_controls(form)
    assert found[0][1]["value"] == "0"


def test_a_refused_form_keeps_what_was_typed_and_marks_the_invalid_controls(criterion):
    prefix = f"c{criterion.pk}"
    data = {f"{prefix}-version": "2", f"{prefix}-rag": "purple", f"{prefix}-commentary": "Typed & kept"}
    form = RatingForm(data, criterion_pk=criterion.pk)
    assert not form.is_valid()
    form.add_error("commentary", "Too vague.")

    found = jinja2_controls(criterion, form)

    assert found == django_controls(form)
    radios = [attrs for tag, attrs, _ in found if attrs.get("type") == "radio"]
    assert all(attrs["aria-invalid"] == "true" for attrs in radios)
    commentary = next(attrs for tag, attrs, text in found if text == "Typed & kept")
    assert commentary["aria-describedby"] == f"id_{prefix}-commentary_error"
