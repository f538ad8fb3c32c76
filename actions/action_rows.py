"""One row of the actions table as HTML, built in Python rather than by a template include per row.

My actions lists every action an officer leads (400 in the largest areas); through the template engine a row
cost about 0.5 ms, most of it variable lookups and filters (issue #16: at most 0.3 ms a row). This builds the
same markup with every value escaped, and reuses what rows share (a date, a status, a RAG level, a priority)
rather than formatting it again. The `{% action_row %}` tag (actions/templatetags/action_rows.py) and
actions/_action_row.html render it; views set action.detail_url, update_url and can_edit (see prepare_rows).
"""

from __future__ import annotations

import datetime
import functools
from html import escape as _escape
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe

from actions.models import Action
from core.templatetags.tracker import rag_level_tag, status_tag

_ATTENTION_TAGS = {
    0: '<br><strong class="tag tag--overdue">Overdue</strong>',
    1: '<br><strong class="tag tag--stale">Update due</strong>',
}
_NONE = '<span class="hint">None</span>'


# A pk no action has, swapped for each row's own: one reverse() per page rather than one per row.
_ANY_PK = 2147483647


def url_for_pk(name: str):
    """Return a function giving the URL `name` for a pk, reversing the pattern once for a whole page."""
    pattern = reverse(name, args=[_ANY_PK])
    return lambda pk: pattern.replace(str(_ANY_PK), str(pk))


def escape(value) -> str:
    """Escape as Django's escape does (the same five characters), without its lazy-string wrapper."""
    return _escape(str(value))


_ELLIPSIS = " …"  # what the truncatewords filter appends


def truncate_words(text: str, count: int) -> str:
    """Return `text` cut to `count` words, as the truncatewords filter does (whitespace made single)."""
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    cut = " ".join(words[:count])
    return cut if cut.endswith(_ELLIPSIS) else cut + _ELLIPSIS


@functools.lru_cache(maxsize=4096)
def day(value: datetime.date) -> str:
    """Return a date as the tables show it ("3 Jun 2025"), formatted once however many rows show it."""
    return date_format(value, "j M Y")


@functools.lru_cache(maxsize=64)
def status_html(status: str) -> str:
    """Return an action status's tag, as {% status_tag %} renders it."""
    return status_tag(status, Action.Status(status).label)


@functools.lru_cache(maxsize=256)
def _rag(colour: str, pattern: str, label: str) -> str:
    return rag_level_tag(SimpleNamespace(colour=colour, pattern=pattern, label=label))


def rag_html(level) -> str:
    """Return a delivery RAG level's tag (or "Not rated"), as {% rag_level_tag %} renders it."""
    return _rag(level.colour, level.pattern, level.label) if level else rag_level_tag(None)


@functools.lru_cache(maxsize=1024)
def _priority(number, title: str) -> str:
    return f'<span class="hint">Priority {escape(number)}: {escape(truncate_words(title, 6))}</span>'


def _names(items) -> str:
    """Return escaped names joined by commas, or a "None" hint."""
    if not items:
        return _NONE
    return ", ".join(escape(str(item)) for item in items)


def _days_ago(when: datetime.datetime, today: datetime.date) -> str:
    """Return "today", "yesterday" or "N days ago", as the days_ago filter does."""
    days = (today - when.date()).days
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"


def action_row(
    action,
    *,
    next_query: str,
    just_updated: bool = False,
    today: datetime.date | None = None,
    zone: datetime.tzinfo | None = None,
) -> SafeString:
    """Return the <tr> of one action, as actions/_action_row.html showed it.

    `today` and `zone` (the local date and time zone) are asked once per page by the template tag rather
    than once per row.
    """
    plan = escape(action.plan.title)
    reference = escape(action.reference)
    last_updated = action.last_updated_at
    if last_updated:
        when = last_updated
        if timezone.is_aware(last_updated):
            when = last_updated.astimezone(zone or timezone.get_current_timezone())
        days_ago = _days_ago(when, today or timezone.localdate())
        updated = f'<time datetime="{when.isoformat()}">{days_ago}</time>'
    else:
        updated = "Never"
    if just_updated:
        updated += '<br><strong class="tag tag--green">Saved</strong>'
    if getattr(action, "can_edit", False):
        update = (
            f'<a href="{escape(action.update_url)}?next={escape(next_query)}"'
            f' data-hx-get="{escape(action.update_url)}?context=row" data-hx-target="closest tr"'
            f' data-hx-swap="outerHTML"{" data-focus-after-swap" if just_updated else ""}>'
            f'Update<span class="visually-hidden"> action {reference} ({plan})</span></a>'
        )
    else:
        update = '<span class="hint">Read only</span>'
    row_class = ' class="row--updated"' if just_updated else ""
    attention = _ATTENTION_TAGS.get(getattr(action, "attention", None), "")
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<tr id="action-row-{action.pk}"{row_class}>\n'
        f'  <td><a href="{escape(action.detail_url)}">{reference}'
        f'<span class="visually-hidden"> ({plan})</span></a></td>\n'
        f'  <td class="description">{escape(truncate_words(action.description, 24))}</td>\n'
        f'  <td class="plan">{plan}<br>{_priority(action.priority.number, action.priority.title)}</td>\n'
        f"  <td>{_names(action.leads_shown())}</td>\n"
        f"  <td>{_names(action.lead_organisations_shown())}</td>\n"
        f"  <td>{day(action.due_date)}{attention}</td>\n"
        f"  <td>{status_html(action.status)}</td>\n"
        f"  <td>{rag_html(action.rag)}</td>\n"
        f"  <td>{updated}</td>\n"
        f"  <td>{update}</td>\n"
        f"</tr>"
    )
