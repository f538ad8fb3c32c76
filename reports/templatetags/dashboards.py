"""Filters and tags for the dashboards: KPI values with their unit, and direction-of-travel tags."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from actions.models import Measure
from reports.charts import format_number
from reports.dashboard_charts import national_period as national_period_of

register = template.Library()

_UNITS = {
    Measure.Unit.PERCENT: "{}%",
    Measure.Unit.DAYS: "{} days",
    Measure.Unit.WEEKS: "{} weeks",
    Measure.Unit.RATE: "{} per 10,000",
}
# Direction words and the tag colour that goes with each; the word is always shown.
_DIRECTIONS = {"better": "green", "worse": "red"}


@register.filter
def kpi_value(value, measure: Measure) -> str:
    """Return a KPI figure with its unit, e.g. "71%" or "12 weeks"."""
    if value is None:
        return "–"
    return _UNITS.get(measure.unit, "{}").format(format_number(value))


@register.filter
def national_period(value) -> str:
    return national_period_of(value)


@register.simple_tag
def direction_tag(direction: str, suffix: str = "") -> str:
    """Render "Better", "Worse" or "No change" as a tag: the word carries the meaning, colour repeats it."""
    colour = _DIRECTIONS.get(direction, "grey")
    words = direction[:1].upper() + direction[1:]
    if suffix and direction in _DIRECTIONS:
        words = f"{words} {suffix}"
    return format_html('<strong class="tag tag--{}">{}</strong>', colour, words)


@register.simple_tag(takes_context=True)
def with_param(context, name: str, value) -> str:
    """Return the current query string with `name` set to `value` (or removed when empty), e.g. for pages."""
    query = context["request"].GET.copy()
    query.pop(name, None)
    if value not in (None, ""):
        query[name] = value
    return f"?{query.urlencode()}" if query else "?"
