"""The Jinja2 environment of the hot partials (settings.TEMPLATES "jinja2"): Django's escaping, URLs, filters.

Rows of the long tables (the actions table, the dashboards' lists) are rendered here: Django's template engine
cost about ten times as much a row (issue #24). The filters and tags are Django's own and ours, registered
under their template names, so a Jinja2 partial prints what a Django template printed. What many rows share
(a due date, a status, a RAG level) is formatted once: Django's `date` filter alone cost most of a row.
"""

from __future__ import annotations

import datetime
import functools
import html
from types import SimpleNamespace

from django.template.defaultfilters import date as django_date
from django.template.defaultfilters import floatformat, pluralize, truncatechars, truncatewords
from django.urls import reverse
from django.utils.timezone import localtime, template_localtime
from django.utils.translation import get_language
from markupsafe import Markup

from core.templatetags import tracker
from jinja2 import Environment

# A pk no record has, swapped for each row's own: one reverse() per page rather than one per row.
_ANY_PK = 2147483647


def url_for_pk(name: str):
    """Return a function giving the URL `name` for a pk, reversing the pattern once for a whole page."""
    pattern = reverse(name, args=[_ANY_PK])
    return lambda pk: pattern.replace(str(_ANY_PK), str(pk))


@functools.cache
def jinja_template(name: str):
    """Return a template of the Jinja2 backend as Jinja2 itself has it: rendered without Django's wrapper."""
    from django.template import engines

    return engines["jinja2"].env.get_template(name)


def url(name: str, *args) -> str:
    """Return the path of a named URL, as `{% url %}` does."""
    return reverse(name, args=args)


def date(value, format_string: str) -> str:
    """Format a date or a datetime (in the current time zone) as Django's `date` filter does in a template."""
    if type(value) is datetime.date:
        return _day(value, format_string, get_language())
    return django_date(template_localtime(value), format_string)


@functools.lru_cache(maxsize=4096)
def _day(value: datetime.date, format_string: str, language: str | None) -> str:
    return django_date(value, format_string)


@functools.lru_cache(maxsize=64)
def status_tag(status: str, label: str) -> str:
    """Return {% status_tag %}'s markup, once for every row with that status."""
    return tracker.status_tag(status, label)


@functools.lru_cache(maxsize=8)
def rating_tag(letter: str | None) -> str:
    """Return {% rating_tag %}'s markup, once for each framework rating."""
    return tracker.rating_tag(letter)


def rag_level_tag(level) -> str:
    """Return {% rag_level_tag %}'s markup, once for each colour, pattern and label."""
    if level is None:
        return tracker.rag_level_tag(None)
    return _rag(level.colour, getattr(level, "pattern", ""), level.label)


@functools.lru_cache(maxsize=256)
def _rag(colour: str, pattern: str, label: str) -> str:
    return tracker.rag_level_tag(SimpleNamespace(colour=colour, pattern=pattern, label=label))


@functools.lru_cache(maxsize=4096)
def _truncatewords(value: str, length: int) -> str:
    return truncatewords(value, length)


def truncatewords_cached(value, length: int) -> str:
    """Apply Django's truncatewords, once for each text many rows share (a priority's title)."""
    return _truncatewords(value, length) if isinstance(value, str) else truncatewords(value, length)


def _django_escape(value) -> Markup:
    """Escape every printed value as Django's escape does (the standard library's, e.g. &#x27;), not as
    markupsafe does (&#39;), so a Jinja2 partial prints what a Django template printed."""
    if type(value) is str:
        # Most text has no quote, where both escape alike: Jinja2's own escaping, a little faster, does it.
        return Markup(html.escape(value)) if "'" in value or '"' in value else value  # noqa: S704
    if type(value) is int or hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped here


def environment(**options) -> Environment:
    """Return an autoescaping environment with `url()`, Django's filters and our tag functions."""
    env = Environment(**options, finalize=_django_escape)  # noqa: S701 - settings pass autoescape=True
    env.globals.update(url=url, status_tag=status_tag, rag_level_tag=rag_level_tag, rating_tag=rating_tag)
    env.filters.update(
        date=date,
        truncatewords=truncatewords_cached,
        truncatechars=truncatechars,
        days_ago=tracker.days_ago,
        pluralize=pluralize,
        floatformat=floatformat,
        localtime=localtime,
    )
    return env
