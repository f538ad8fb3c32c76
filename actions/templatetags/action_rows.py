"""`{% action_row action %}`: one row of the actions table (actions/action_rows.py), for long pages."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from actions import action_rows

register = template.Library()
_LOCAL = "action_rows.local"  # the local date and time zone, once per rendered page


@register.simple_tag(takes_context=True)
def action_row(context, action) -> SafeString:
    """Render an action's row; the page's `next_query` and `just_updated` come from the context."""
    local = context.render_context.get(_LOCAL)
    if local is None:
        local = context.render_context[_LOCAL] = (timezone.localdate(), timezone.get_current_timezone())
    return action_rows.action_row(
        action,
        next_query=context["next_query"],
        just_updated=bool(context.get("just_updated")),
        today=local[0],
        zone=local[1],
    )
