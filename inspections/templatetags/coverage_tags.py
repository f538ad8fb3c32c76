"""A finding's coverage, from the Jinja2 templates of jinja2/inspections/: the review page's findings, the
coverage page's rows and (a tag) the finding page's block."""

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


def coverage_rows_html(findings, today: datetime.date | None = None) -> SafeString:
    """Return the coverage page's table rows (jinja2/inspections/_coverage_rows.html)."""
    html = jinja_template("inspections/_coverage_rows.html").render(findings=findings, links=links(today))
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping engine


@register.simple_tag
def finding_addressing(finding) -> SafeString:
    return mark_safe(_macros().addressing(finding, links()))  # noqa: S308 - an autoescaping engine
