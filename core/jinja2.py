"""The Jinja2 environment of the hot partials (settings.TEMPLATES "jinja2"): Django's URLs and date format."""

from __future__ import annotations

from django.template.defaultfilters import date as django_date
from django.urls import reverse
from django.utils.timezone import template_localtime

from jinja2 import Environment


def url(name: str, *args) -> str:
    """Return the path of a named URL, as `{% url %}` does."""
    return reverse(name, args=args)


def date(value, format_string: str) -> str:
    """Format a date or a datetime (in the current time zone) as Django's `date` filter does in a template."""
    return django_date(template_localtime(value), format_string)


def environment(**options) -> Environment:
    """Return an autoescaping environment with `url()` and Django's `date` filter."""
    env = Environment(**options)  # noqa: S701 - settings pass autoescape=True
    env.globals["url"] = url
    env.filters["date"] = date
    return env
