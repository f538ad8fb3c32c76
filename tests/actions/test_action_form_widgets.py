"""The action form lists every person of the area: its options are written without a template each (#32)."""

from __future__ import annotations

from unittest import mock

from django import forms
from django.test import Client
from django.test.html import parse_html
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertInHTML

from actions.filters import ActionFilter
from actions.models import Action
from core.forms import FormRenderer
from core.widgets import PlainCheckboxSelectMultiple, PlainSelect
from tests.factories import make_action, make_organisation, make_person, make_plan, make_priority

CHOICES = [("1", "Jo <Adeyemi> & co"), ("2", 'Sam "Lead"'), ("3", "Kit")]


class Choices(forms.Form):
    plain_many = forms.MultipleChoiceField(choices=CHOICES, widget=PlainCheckboxSelectMultiple)
    django_many = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    plain_one = forms.ChoiceField(choices=CHOICES, widget=PlainSelect(attrs={"data-hx-post": "/x/"}))
    django_one = forms.ChoiceField(choices=CHOICES, widget=forms.Select(attrs={"data-hx-post": "/x/"}))


def test_the_plain_checkboxes_write_what_the_fieldset_template_wrote_for_each_choice():
    form = Choices(data={"plain_many": ["1", "3"], "django_many": ["1", "3"], "plain_one": "9"})
    form.is_valid()

    written = str(form["plain_many"]).replace("plain_many", "django_many")
    # What plans/_field.html wrote for each choice before: the checkbox's own template, then its label.
    expected = "".join(
        f'<div class="checkboxes__item">{choice.tag()}'
        f'<label for="{choice.id_for_label}">{escape(choice.choice_label)}</label></div>'
        for choice in form["django_many"]
    )
    assert parse_html(written) == parse_html(expected)
    assert "checked" in written and "&lt;Adeyemi&gt; &amp; co" in written


def test_the_plain_select_writes_what_djangos_select_wrote():
    form = Choices(data={"plain_one": "2", "django_one": "2"})

    assert parse_html(str(form["plain_one"]).replace("plain_one", "django_one")) == parse_html(
        str(form["django_one"])
    )


def test_an_empty_group_of_plain_checkboxes_says_so():
    form = forms.Form()
    form.fields["none"] = forms.MultipleChoiceField(choices=[], widget=PlainCheckboxSelectMultiple)

    assert "None to choose from yet." in str(form["none"])


def widget_templates_rendered(client: Client, url: str) -> int:
    rendered = []
    original = FormRenderer.render

    def counting(self, template_name, context, request=None):
        rendered.append(template_name)
        return original(self, template_name, context, request)

    with mock.patch.object(FormRenderer, "render", counting):
        assert client.get(url).status_code == 200
    return len(rendered)


def test_the_action_form_renders_as_many_widget_templates_for_three_people_as_for_sixty(plan_lead):
    client = Client()
    client.force_login(plan_lead)
    priority = make_priority(make_plan())
    action = make_action(priority)
    council = make_organisation("Council")
    for n in range(3):
        make_person(f"Person {n}", organisation=council)
    edit, new = (
        reverse("plans:action-edit", args=[action.pk]),
        reverse("plans:action-create", args=[priority.pk]),
    )
    few = widget_templates_rendered(client, edit), widget_templates_rendered(client, new)

    for n in range(3, 60):
        make_person(f"Person {n}", organisation=make_organisation(f"Partner {n}"))
    action.leads.set(council.members.all())

    assert (widget_templates_rendered(client, edit), widget_templates_rendered(client, new)) == few


def test_the_plain_select_marks_what_djangos_select_marks_when_nothing_or_a_repeated_value_is_chosen():
    choices = [("", "Anyone"), *CHOICES, ("2", "Sam again")]
    for value in (None, "", "2", "9"):
        plain = PlainSelect(choices=choices).render("who", value, attrs={"id": "id_who"})
        django = forms.Select(choices=choices).render("who", value, attrs={"id": "id_who"})

        assert parse_html(plain) == parse_html(django), value


def test_every_filter_of_all_actions_writes_what_djangos_select_wrote(plan_lead):
    """The filter's selects (issue #32: written from their choices) against Django's own, filters in use."""
    client = Client()
    client.force_login(plan_lead)
    priority = make_priority(make_plan(title='Plan <"A">'))
    lead = make_person("Jo <Lead> & co")
    make_person("Leads nothing")
    make_action(priority, leads=[lead])
    make_action(priority, leads=[lead])
    query = {"lead": str(lead.pk), "status": "in_progress", "overdue": "false", "plan": str(priority.plan_id)}

    page = client.get(reverse("actions:list"), query).content.decode()

    action_filter = ActionFilter(query, queryset=Action.objects.all())
    for name in ("plan", "priority", "lead", "organisation", "status", "rag", "overdue", "plans"):
        bound = action_filter.form[name]
        django = forms.Select(choices=bound.field.widget.choices).render(
            name, bound.value(), {"id": f"id_{name}"}
        )
        assertInHTML(django, page)
    assert page.count(f'<option value="{lead.pk}" selected>Jo &lt;Lead&gt; &amp; co</option>') == 1
    assert "Leads nothing" not in page  # by name, not id: a priority's option may have the same id
