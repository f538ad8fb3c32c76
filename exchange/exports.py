"""The tables each export writes. Action columns use the import's headers, so an export imports back."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from actions.models import (
    Action,
    ActionUpdate,
    Measure,
    MeasureTarget,
    MeasureValue,
    Plan,
    SuccessCriterion,
)
from exchange.cells import split_given_by
from exchange.writing import Table
from inspections.matrix import build_matrix
from inspections.models import Framework

ACTION_HEADERS = [
    "Plan",
    "Priority",
    "Priority title",
    "Reference",
    "Action",
    "Success measure",
    "Success criteria",
    "Leads",
    "Lead organisations",
    "Accountable officer",
    "Start date",
    "Original due date",
    "Due date",
    "Status",
    "RAG",
    "RAG reason",
    "Recovery",
    "Progress note",
    "Last updated",
]
LOG_HEADERS = ["Reference", "Date", "Author", "Status", "RAG", "Note", "RAG reason", "Recovery", "Evidence"]
LOG_SHEET = "Update log"


def lead_text(person) -> str:
    return f"{person.name} ({person.organisation.name})" if person.organisation_id else person.name


def action_table(actions, *, latest_notes: dict[int, str]) -> Table:
    """Return the actions (from ActionQuerySet.for_table()) as rows under ACTION_HEADERS."""
    criteria = success_criteria(actions)
    rows = [
        [
            action.plan.title,
            action.priority.number,
            action.priority.title,
            action.reference,
            action.description,
            action.success_measure,
            "\n".join(criteria.get(action.pk, [])),
            "; ".join(lead_text(person) for person in action.leads.all()),
            "; ".join(organisation.name for organisation in action.lead_organisations.all()),
            lead_text(action.accountable_officer) if action.accountable_officer_id else "",
            action.start_date,
            action.original_due_date if action.is_rebaselined else None,
            action.due_date,
            action.get_status_display(),
            action.rag.label if action.rag_id else "",
            action.rag_reason,
            action.recovery_plan,
            latest_notes.get(action.pk, ""),
            action.last_updated_at,
        ]
        for action in actions
    ]
    return Table("Actions", ACTION_HEADERS, rows)


def success_criteria(actions: list[Action]) -> dict[int, list[str]]:
    """Return each action's current success criteria in order, in one query."""
    texts: dict[int, list[str]] = {}
    criteria = SuccessCriterion.objects.filter(action__in=[a.pk for a in actions]).order_by("order", "pk")
    for action_id, text in criteria.values_list("action_id", "text"):
        texts.setdefault(action_id, []).append(text)
    return texts


def latest_notes(actions: list[Action]) -> dict[int, str]:
    """Return each action's latest progress note, in one query."""
    notes: dict[int, str] = {}
    updates = ActionUpdate.objects.filter(action__in=[a.pk for a in actions]).order_by(
        "action_id", "-created_at", "-pk"
    )
    for action_id, narrative in updates.values_list("action_id", "narrative"):
        notes.setdefault(action_id, split_given_by(narrative)[0])
    return notes


def update_log_table(plan: Plan) -> Table:
    """Return the plan's update log, oldest first, with the date each update was given."""
    updates = (
        ActionUpdate.objects.filter(action__plan=plan, action__archived_at__isnull=True)
        .select_related("action", "author", "on_behalf_of", "rag_after")
        .order_by("action__reference", "created_at", "pk")
    )
    rows = []
    for update in updates:
        note, given_by = split_given_by(update.narrative)
        if update.on_behalf_of_id:
            given_by = update.on_behalf_of.name
        rows.append(
            [
                update.action.reference,
                update.given_on or timezone.localdate(update.created_at),
                given_by or update.author.get_full_name() or update.author.username,
                Action.Status(update.status_after).label,
                update.rag_after.label if update.rag_after_id else "",
                note,
                update.rag_reason,
                update.recovery_plan,
                update.evidence,
            ]
        )
    return Table(LOG_SHEET, LOG_HEADERS, rows)


def plan_tables(plan: Plan) -> list[Table]:
    actions = list(
        Action.objects.for_table().filter(plan=plan).order_by("priority__order", "order", "reference")
    )
    return [action_table(actions, latest_notes=latest_notes(actions)), update_log_table(plan)]


def matrix_table(framework: Framework) -> Table:
    """Return the framework's RAG grid: criteria as rows, rounds as columns, each cell's word."""
    matrix = build_matrix(framework)
    headers = ["Code", "Criterion", *(column.label for column in matrix.columns)]
    rows = [
        [row.code, row.wording, *(cell.word if cell.rag else "" for cell in row.cells)]
        for section in matrix.sections
        for row in section.rows
    ]
    return Table("RAG matrix", headers, rows)


KPI_HEADERS = [
    "Measure",
    "Plan",
    "Unit",
    "Higher is better",
    "Period end",
    "Value",
    "Target",
    "National",
    "National period",
    "National source",
    "Note",
]


def kpi_table() -> Table:
    """Return every KPI value and milestone target, one row per measure and period, in three queries."""
    measures = Measure.objects.select_related("plan").prefetch_related(
        Prefetch("values", queryset=MeasureValue.objects.order_by("period_end")),
        Prefetch("targets", queryset=MeasureTarget.objects.order_by("period_end")),
    )
    rows = []
    for measure in measures:
        values = {value.period_end: value for value in measure.values.all()}
        targets = {target.period_end: target.target for target in measure.targets.all()}
        for period in sorted({*values, *targets}):
            value = values.get(period)
            rows.append(
                [
                    measure.name,
                    measure.plan.title if measure.plan_id else "",
                    measure.get_unit_display(),
                    "Yes" if measure.higher_is_better else "No",
                    period,
                    value.value if value else None,
                    targets.get(period),
                    value.national if value else None,
                    value.national_period if value else "",
                    value.national_source if value else "",
                    value.note if value else "",
                ]
            )
    return Table("KPI values", KPI_HEADERS, rows)
