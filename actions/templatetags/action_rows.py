"""`{% action_rows actions %}`, `{% action_row action %}`: rows of the actions table (actions/action_rows)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from actions import action_rows as rows
from actions.tables import ActionTable

register = template.Library()


@register.simple_tag(takes_context=True)
def action_rows(context, actions) -> SafeString:
    """Render the rows of `actions`; the page's `next_query` and `just_updated` come from the context."""
    return rows.action_rows(
        actions, next_query=context["next_query"], just_updated=bool(context.get("just_updated"))
    )


@register.simple_tag(takes_context=True)
def action_row(context, action) -> SafeString:
    """Render one action's row (after an htmx update, or to cancel one)."""
    return action_rows(context, [action])


@register.simple_tag(takes_context=True)
def action_table_rows(context, table: ActionTable) -> SafeString:
    """Render the rows of the table's current page."""
    return action_rows(context, [row.record for row in table.page.object_list])


@register.simple_tag
def action_column_headers() -> list[str]:
    """Return the headers of the actions table's columns, for a page that shows it without sorting."""
    return [str(column.verbose_name) for column in ActionTable.base_columns.values()]
