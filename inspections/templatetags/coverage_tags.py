"""A finding's coverage in Django templates, from the Jinja2 macros of jinja2/inspections/_coverage.html."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from core.jinja2 import jinja_template, url_for_pk

register = template.Library()


def _macros():
    return jinja_template("inspections/_coverage.html").module


def links(today: datetime.date | None = None) -> dict:
    """Return what every finding's addressing block of a page shares: the date and two URL makers."""
    return {
        "today": today or timezone.localdate(),
        "action_url": url_for_pk("actions:detail"),
        "finding_url": url_for_pk("inspections:finding"),
    }


def findings_html(groups, today: datetime.date | None = None) -> SafeString:
    """Return a review's grouped findings with what addresses each (jinja2/inspections/_findings.html)."""
    html = jinja_template("inspections/_findings.html").render(groups=groups, links=links(today))
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping engine


@register.simple_tag
def finding_addressing(finding) -> SafeString:
    return mark_safe(_macros().addressing(finding, links()))  # noqa: S308 - an autoescaping engine


@register.simple_tag
def coverage_state(addressing) -> SafeString:
    return mark_safe(_macros().state(addressing))  # noqa: S308 - an autoescaping engine


@register.simple_tag
def coverage_counts(addressing) -> SafeString:
    return mark_safe(_macros().counts(addressing))  # noqa: S308 - an autoescaping engine
