"""The dashboards' long tables, rendered by Jinja2 (jinja2/reports/): tallies, actions, changes, chart data.

The overview shows every plan in delivery with a row per priority (80 in the largest areas), and two lists of
25 actions and one of 25 changes. Through Django's template engine these cost about 30 ms of the page's 80 ms
budget (issue #16); the tags are in reports/templatetags/dashboard_tables.py.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from core.jinja2 import jinja_template, url_for_pk


def _render(name: str, **context) -> SafeString:
    return mark_safe(jinja_template(name).render(**context))  # noqa: S308 - an autoescaping engine rendered it


def tally_table(entry) -> SafeString:
    """Return the numbers behind a plan's stacked bar: one row for the whole plan and one per priority."""
    return _render("reports/_tally_table.html", entry=entry)


def plans_table(plans) -> SafeString:
    """Return the numbers behind the overview's chart across plans: a row a plan, linked to its page."""
    return _render("reports/_plans_table.html", plans=plans, plan_url=url_for_pk("reports:plan"))


def state_rows(tallies) -> SafeString:
    """Return the <tr> of each plan and priority of the overview's "Where each plan stands" table."""
    return _render(
        "reports/_state_rows.html",
        tallies=tallies,
        plan_url=url_for_pk("reports:plan"),
        actions_url=reverse("actions:list"),
    )


def kpi_cards(cards, chosen_plan=None) -> SafeString:
    """Return the overview's list of KPI cards (reports.scrutiny.Card), linked to the plan chosen, if any."""
    return _render(
        "reports/_kpi_cards.html",
        cards=cards,
        chosen_plan=chosen_plan,
        kpis_url=reverse("reports:kpis"),
        actions_url=reverse("actions:list"),
    )


def chart_data_rows(chart) -> SafeString:
    """Return the <tr> of each category of a chart's data table (a KPI chart has one per month)."""
    return _render("reports/_chart_rows.html", chart=chart)


def action_table(
    actions, *, caption: str, hide_plan: bool = False, today: datetime.date | None = None
) -> SafeString:
    """Return a dashboard's table of actions (dashboards.for_rows gives what they show)."""
    return _render(
        "reports/_action_table.html",
        actions=actions,
        caption=caption,
        hide_plan=hide_plan,
        today=today or timezone.localdate(),
        detail_url=url_for_pk("actions:detail"),
    )


def change_rows(updates) -> SafeString:
    """Return the <tr> of each status or RAG change (ActionUpdate with action, plan, author and levels)."""
    return _render("reports/_change_rows.html", updates=updates, detail_url=url_for_pk("actions:detail"))
