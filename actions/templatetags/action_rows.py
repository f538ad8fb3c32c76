"""`{% action_row action %}`: one row of the actions table (actions/action_rows.py), for long pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from actions import action_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def action_row(context, action) -> SafeString:
    """Render an action's row; the page's `next_query` and `just_updated` come from the context."""
    return action_rows.action_row(
        action, next_query=context["next_query"], just_updated=bool(context.get("just_updated"))
    )
