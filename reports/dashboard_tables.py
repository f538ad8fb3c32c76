"""The dashboards' long tables as HTML built in Python: tallies, action lists, changes and charts' data.

The overview shows every plan in delivery with a row per priority (80 in the largest areas), and two lists of
25 actions and one of 25 changes. Through the template engine these cost about 30 ms of the page's 80 ms
budget (issue #16), most of it variable lookups and number localisation; here every value is escaped as
Django escapes it and what rows share (a date, a status, a RAG level) is formatted once. The markup is what
the templates made. The tags are in reports/templatetags/dashboard_tables.py.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from actions.action_rows import day, escape, rag_html, status_html, truncate_words, url_for_pk
from reports.charts import Chart
from reports.dashboards import PlanTally, Tally

_OVERDUE = ' <strong class="tag tag--overdue">Overdue</strong>'


def _tally_cells(cells: list[int], tally: Tally) -> str:
    numbers = "".join(f'<td class="numeric">{cell}</td>' for cell in cells)
    return (
        f"{numbers}\n"
        f'      <td class="numeric">{tally.total}</td>\n'
        f'      <td class="numeric">{tally.percent_complete}%</td>\n'
        f'      <td class="numeric">{tally.overdue}</td>\n'
    )


def tally_table(entry: PlanTally) -> SafeString:
    """Return the numbers behind a plan's stacked bar: one row for the whole plan and one per priority."""
    headings = "".join(f'<th scope="col" class="numeric">{escape(label)}</th>' for _, label in entry.segments)
    rows = [
        '    <tr class="table__total">\n'
        '      <th scope="row">Whole plan</th>\n'
        f"      {_tally_cells(entry.plan_cells, entry.tally)}"
        "    </tr>\n"
    ]
    for priority, tally, cells in entry.priority_rows:
        rows.append(
            "    <tr>\n"
            f'      <th scope="row">Priority {escape(priority.number)}: {escape(priority.title)}</th>\n'
            f"      {_tally_cells(cells, tally)}"
            "    </tr>\n"
        )
    return mark_safe(  # noqa: S308 - every value above is escaped or a number
        '<div class="table-wrapper">\n'
        '<table class="table table--numbers">\n'
        f"  <caption>{escape(entry.plan.title)}: actions by delivery RAG, per priority</caption>\n"
        "  <thead>\n"
        "    <tr>\n"
        '      <th scope="col">Plan or priority</th>\n'
        f"      {headings}\n"
        '      <th scope="col" class="numeric">Total</th>\n'
        '      <th scope="col" class="numeric">Complete</th>\n'
        '      <th scope="col" class="numeric">Overdue</th>\n'
        "    </tr>\n"
        "  </thead>\n"
        "  <tbody>\n"
        f"{''.join(rows)}"
        "  </tbody>\n"
        "</table>\n"
        "</div>"
    )


def _state_tag(colour: str, label: str) -> str:
    return f'<strong class="tag tag--{colour}">{escape(label)}</strong>'


def _count_link(url: str, number: int, hidden: str) -> str:
    """Return a count linking to the actions behind it (a drill-down), or a plain 0."""
    if not number:
        return "0"
    return f'<a href="{url}">{number}<span class="visually-hidden"> {escape(hidden)}</span></a>'


def _moves(moves: list[tuple[int, str, str]]) -> str:
    if not moves:
        return "No RAG changes"
    return ", ".join(
        f"{count} action{'s' if count != 1 else ''} moved {escape(before)} → {escape(after)}"
        for count, before, after in moves
    )


def state_rows(tallies: list[PlanTally]) -> SafeString:
    """Return the <tr> of each plan and priority of the overview's "Where each plan stands" table.

    Each has its state (reports.scrutiny.set_states), its actions and overdue ones (each a link to them in the
    actions list) and its RAG moves (reports.scrutiny.attach_moves). Built here as the tally tables are: a row
    per priority of every plan in delivery cost about 25 ms through the template engine on the large area.
    """
    plan_url = url_for_pk("reports:plan")
    actions_url = reverse("actions:list")
    rows = []
    for entry in tallies:
        plan, tally = entry.plan, entry.tally
        title = escape(plan.title)
        status = (
            ""
            if plan.status == "active"
            else f' <span class="hint">({escape(plan.get_status_display().lower())})</span>'
        )
        query = f"{actions_url}?plan={plan.pk}"
        overdue = f"{query}&amp;overdue=true"
        rows.append(
            '    <tr class="table__total">\n'
            f'      <th scope="row"><a href="{plan_url(plan.pk)}">{title}</a>{status}</th>\n'
            f"      <td>{_state_tag(entry.state_colour, entry.state_label)}</td>\n"
            f'      <td class="numeric">{_count_link(query, tally.total, f"actions of {plan.title}")}</td>\n'
            f'      <td class="numeric">{_count_link(overdue, tally.overdue, f"overdue of {plan.title}")}'
            "</td>\n"
            "      <td></td>\n"
            "    </tr>\n"
        )
        for priority, priority_tally in entry.priorities:
            query = f"{actions_url}?plan={plan.pk}&amp;priority={priority.pk}"
            overdue = f"{query}&amp;overdue=true"
            name = f"priority {priority.number}"
            rows.append(
                "    <tr>\n"
                f'      <th scope="row" class="plan-states__priority">Priority {escape(priority.number)}: '
                f"{escape(priority.title)}</th>\n"
                f"      <td>{_state_tag(priority.state_colour, priority.state_label)}</td>\n"
                f'      <td class="numeric">{_count_link(query, priority_tally.total, f"actions of {name}")}'
                "</td>\n"
                f'      <td class="numeric">'
                f"{_count_link(overdue, priority_tally.overdue, f'overdue of {name}')}</td>\n"
                f"      <td>{_moves(priority.moves)}</td>\n"
                "    </tr>\n"
            )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped or a number


def chart_data_rows(chart: Chart) -> SafeString:
    """Return the <tr> of each category of a chart's data table (a KPI chart has one per month)."""
    rows = []
    for header, cells in chart.rows:
        data = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        rows.append(f'<tr><th scope="row">{escape(header)}</th>{data}</tr>')
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


def action_rows(actions, *, hide_plan: bool = False, today: datetime.date | None = None) -> SafeString:
    """Return the <tr> of each action of a dashboard list (dashboards.for_rows gives what they show)."""
    today = today or timezone.localdate()
    detail_url = url_for_pk("actions:detail")
    rows = []
    for action in actions:
        plan = "" if hide_plan else f'      <td class="plan">{escape(action.plan.title)}</td>\n'
        overdue = _OVERDUE if action.is_overdue(today) else ""
        rows.append(
            "    <tr>\n"
            f'      <td><a href="{detail_url(action.pk)}"><span class="visually-hidden">Action </span>'
            f"{escape(action.reference)}</a></td>\n"
            f'      <td class="description">{escape(truncate_words(action.description, 24))}</td>\n'
            f"{plan}"
            f"      <td>{escape(action.lead_names or 'None')}</td>\n"
            f"      <td>{day(action.due_date)}{overdue}</td>\n"
            f"      <td>{status_html(action.status)}</td>\n"
            f"      <td>{rag_html(action.rag)}</td>\n"
            "    </tr>\n"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


def change_rows(updates, *, zone: datetime.tzinfo | None = None) -> SafeString:
    """Return the <tr> of each status or RAG change (ActionUpdate with action, plan, author and levels)."""
    zone = zone or timezone.get_current_timezone()
    detail_url = url_for_pk("actions:detail")
    rows = []
    for update in updates:
        after = escape(update.get_status_after_display())
        if update.changed_status:
            status = f"{escape(update.get_status_before_display())} → {after}"
        else:
            status = f"No change ({after})"
        rag = "No change"
        if update.changed_rag:
            rag = f"{rag_html(update.rag_before)} → {rag_html(update.rag_after)}"
        rows.append(
            "    <tr>\n"
            f"      <td>{day(update.created_at.astimezone(zone).date())}</td>\n"
            f'      <td><a href="{detail_url(update.action_id)}">{escape(update.action.reference)}</a>'
            f" {escape(truncate_words(update.action.description, 12))}"
            f' <span class="hint">{escape(update.action.plan.title)}</span></td>\n'
            f"      <td>{status}</td>\n"
            f"      <td>{rag}</td>\n"
            f"      <td>{escape(update.author)}</td>\n"
            "    </tr>\n"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped
