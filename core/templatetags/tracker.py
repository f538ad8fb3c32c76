"""Template filters and tags shared by every app: RAG tags, status tags, dates, and the notes apps add."""

from __future__ import annotations

import datetime
import functools

from django import template
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def fixed_url(name: str) -> str:
    """Return the URL of a view that takes no arguments, reversed once per script prefix.

    Every page's header links to about fifteen such views; {% url %} reverses each on every request, which
    cost about 2 ms a page.
    """
    return _reversed(name, get_script_prefix())


@functools.lru_cache(maxsize=128)
def _reversed(name: str, script_prefix: str) -> str:
    return reverse(name)


@register.simple_tag(takes_context=True)
def service_nav_list(context) -> SafeString:
    """Render the header's navigation list (jinja2/includes/_service_nav_list.html), `nav` marking the
    current item. Every page prints it twice (the Menu for narrow screens, the wide bar): as a Django
    include it cost about 0.6 ms each time."""
    items = context.get("service_navigation") or ()
    return mark_safe(  # noqa: S308 - rendered by the autoescaping Jinja2 engine
        render_to_string(_SERVICE_NAV, {"items": items, "nav": context.get("nav")}, using="jinja2")
    )


_SERVICE_NAV = "includes/_service_nav_list.html"


# Colours of the three framework ratings, by their stored letter.
_RATING_COLOURS = {"R": ("red", "Red"), "A": ("amber", "Amber"), "G": ("green", "Green")}


def rag_tag_html(colour: str, label: str):
    """Return a RAG tag: the colour and, always, the word, so colour is never the only signal."""
    return format_html('<strong class="tag tag--{}">{}</strong>', colour, label)


@register.simple_tag
def rag_level_tag(level) -> str:
    """Render a delivery RAG level (actions.RagLevel) or "Not rated"."""
    if level is None:
        return format_html('<strong class="tag tag--none">{}</strong>', "Not rated")
    if getattr(level, "pattern", ""):
        html = '<strong class="tag tag--{} tag--{}">{}</strong>'
        return format_html(html, level.colour, level.pattern, level.label)
    return rag_tag_html(level.colour, level.label)


@register.simple_tag
def rating_tag(letter: str | None) -> str:
    """Render a framework rating letter (R, A or G) as a tag with its word."""
    if not letter:
        return format_html('<strong class="tag tag--none">{}</strong>', "Not rated")
    colour, word = _RATING_COLOURS[letter]
    return rag_tag_html(colour, word)


@register.simple_tag
def status_tag(status: str, label: str) -> str:
    """Render an action's status as a neutral tag."""
    return format_html('<strong class="tag tag--status tag--{}">{}</strong>', status.replace("_", "-"), label)


@register.filter
def days_ago(value: datetime.datetime | None, today: datetime.date | None = None) -> str:
    """Return "today", "yesterday" or "N days ago" for a timestamp; "never" for None.

    A long table passes `today` (the local date), asked once for all its rows.
    """
    if value is None:
        return "never"
    days = ((today or timezone.localdate()) - timezone.localtime(value).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


# Notes another app may add to pages without core knowing it: an installed app's AppConfig that defines
# `page_banner()` (every page) or `source_note(record)` (a review's, plan's or framework's page) supplies
# them. The demo app says so for demonstration data; leave it out of INSTALLED_APPS and the pages show none.


def _notes(hook: str, *args) -> str:
    notes = (getattr(config, hook)(*args) for config in apps.get_app_configs() if hasattr(config, hook))
    return format_html_join("", "{}", ((note,) for note in notes if note))


@register.simple_tag
def page_banner() -> str:
    """Return the banners the installed apps put at the top of every page (none by default)."""
    return _notes("page_banner")


@register.simple_tag
def source_note(record) -> str:
    """Return what the installed apps say about where `record`'s content comes from (none by default)."""
    return _notes("source_note", record)
