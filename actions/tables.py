from __future__ import annotations

import django_tables2 as tables

from actions.models import Action


class ActionTable(tables.Table):
    """The actions table's columns: headers and sorting here, and a cell for each name in
    jinja2/actions/_action_rows.html (actions/action_rows.py), so a row can be re-rendered on its own after
    an htmx update. My actions, All actions and the in-row update form read the columns from here.
    """

    reference = tables.Column(
        verbose_name="Ref", order_by=("plan__title", "priority__order", "order", "reference")
    )
    description = tables.Column(verbose_name="Action")
    priority = tables.Column(verbose_name="Plan and priority", order_by=("plan__title", "priority__order"))
    leads = tables.Column(verbose_name="Lead", orderable=False, empty_values=())
    lead_organisations = tables.Column(verbose_name="Organisation", orderable=False, empty_values=())
    due_date = tables.Column(verbose_name="Due")
    status = tables.Column(verbose_name="Status")
    rag = tables.Column(verbose_name="Delivery RAG", order_by=("rag__order",))
    last_updated_at = tables.Column(verbose_name="Last updated")
    update = tables.Column(verbose_name="Update", orderable=False, empty_values=())

    class Meta:
        model = Action
        fields = ()
        template_name = "actions/_action_table.html"
        orderable = True


COLUMNS = tuple(ActionTable.base_columns)  # in the order declared above
COLUMN_COUNT = len(COLUMNS)
