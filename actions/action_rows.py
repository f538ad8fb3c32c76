"""The rows of the actions table, rendered by Jinja2 (jinja2/actions/): a Django template a row was too slow.

My actions lists every action an officer leads (400 in the largest areas): at most 0.3 ms a row (issue #16).
The columns are named once, by actions.tables.ActionTable; jinja2/actions/_action_cells.html has a cell macro
for each. Views set action.detail_url, update_url and can_edit (see actions.views.prepare_rows).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from actions.tables import COLUMNS
from core.jinja2 import jinja_template


def action_rows(actions, *, next_query: str, just_updated: bool = False) -> SafeString:
    """Return the <tr> of each action, its cells in the order of the table's columns."""
    row = {"next_query": next_query, "just_updated": just_updated, "today": timezone.localdate()}
    html = jinja_template("actions/_action_rows.html").render(actions=actions, columns=COLUMNS, row=row)
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping engine
