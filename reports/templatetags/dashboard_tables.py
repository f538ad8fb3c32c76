"""Tags for the dashboards' long tables, rendered by Jinja2 (reports/dashboard_tables.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from reports import dashboard_tables

register = template.Library()


@register.simple_tag
def tally_table(entry) -> SafeString:
    return dashboard_tables.tally_table(entry)


@register.simple_tag
def plans_table(plans) -> SafeString:
    return dashboard_tables.plans_table(plans)


@register.simple_tag
def dashboard_action_table(actions, caption: str, hide_plan: bool = False) -> SafeString:
    return dashboard_tables.action_table(actions, caption=caption, hide_plan=bool(hide_plan))


@register.simple_tag
def change_rows(updates) -> SafeString:
    return dashboard_tables.change_rows(updates)


@register.simple_tag
def chart_data_rows(chart) -> SafeString:
    return dashboard_tables.chart_data_rows(chart)


@register.simple_tag
def state_rows(tallies) -> SafeString:
    return dashboard_tables.state_rows(tallies)


@register.simple_tag
def kpi_cards(cards, chosen_plan=None) -> SafeString:
    return dashboard_tables.kpi_cards(cards, chosen_plan)
