"""Writing a clean preview, all in one transaction, through the models' own write paths.

Priorities and actions are created by `Plan.add_priority` and `Priority.add_action` (the plan pages' own
paths), definitions change through `save_edit`, due dates move by `rebaseline`, and status, RAG and notes
through `Action.record_update`, with past updates dated as they happened.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action, Organisation, Person, UpdateRefusedError
from core.versioning import StaleVersionError
from exchange import cells
from exchange.plan_import.reading import lead_key
from exchange.plan_import.rows import IMPORT_NOTE, REVISED_REASON, LogEntry, Preview, RowPlan, find_person


class ImportAborted(Exception):
    """Writing stopped at a row (e.g. someone changed an action meanwhile); the transaction wrote nothing."""


class _Writer:
    """Finds or makes the organisations, people and priorities rows name, once each."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.organisations = preview.organisations_by_name
        self.people = {str(person.pk): person for person in preview.people}
        self.made_people: dict[str, Person] = {}
        self.priorities = preview.priorities_by_number

    def organisation(self, name: str) -> Organisation:
        normal = cells.normalise(name)
        if normal not in self.organisations:
            self.organisations[normal] = Organisation.objects.create(name=name, kind=Organisation.Kind.OTHER)
        return self.organisations[normal]

    def person(self, name: str, organisation: str) -> Person:
        found = find_person(self.preview.people_by_name, name, organisation)
        if found:
            return found
        key = lead_key(name, organisation)
        choice = self.preview.lead_choices.get(key, "new")
        if choice != "new":
            return self.people[choice]
        if key not in self.made_people:
            self.made_people[key] = Person.objects.create(
                name=name, organisation=self.organisation(organisation) if organisation else None
            )
        return self.made_people[key]

    def priority(self, number: str, title: str):
        if number not in self.priorities:
            self.priorities[number] = self.preview.plan.add_priority(
                number=number, title=title, order=len(self.priorities) + 1
            )
        elif title and self.priorities[number].title != title:
            priority = self.priorities[number]
            priority.title = title
            priority.save_edit(version=priority.version, fields=["title"])
        return self.priorities[number]


def apply_preview(preview: Preview, *, author) -> dict[str, int]:
    """Write a preview that has no problems, all in one transaction; raise ImportAborted to write nothing."""
    assert not preview.problems, "only a clean preview is written"
    done = {"created": 0, "updated": 0, "logged": 0}
    with transaction.atomic():
        writer = _Writer(preview)
        for row in preview.rows:
            try:
                _apply_row(row, writer, author, done)
            except (StaleVersionError, UpdateRefusedError) as error:
                raise ImportAborted(f"Row {row.row} ({row.reference}): {error}") from error
            except ValidationError as error:
                raise ImportAborted(
                    f"Row {row.row} ({row.reference}): {'; '.join(error.messages)}"
                ) from error
    return done


def _apply_row(row: RowPlan, writer: _Writer, author, done: dict[str, int]) -> None:
    values = row.values
    priority = writer.priority(values["priority"], values["priority_title"])
    leads = [writer.person(name, organisation) for name, organisation in row.lead_names]
    lead_organisations = [writer.organisation(name) for name in row.organisation_names]
    officer = writer.person(*row.accountable) if row.accountable else None
    action = row.action
    if action is None:
        action = priority.add_action(
            reference=row.reference,
            description=values["description"],
            success_measure=values["success_measure"],
            accountable_officer=officer,
            start_date=values["start_date"],
            due_date=values["first_due_date"],
            order=row.row,
            leads=leads,
            lead_organisations=lead_organisations,
            criteria=row.criteria or (),
        )
        done["created"] += 1
    elif row.operation == "update":
        _update_definition(row, action, priority, officer, leads, lead_organisations)
        done["updated"] += 1
    if action.due_date != values["due_date"]:
        action.rebaseline(
            due_date=values["due_date"], reason=REVISED_REASON, version=action.version, before_start=True
        )
    for entry in row.log:
        _record_past(action, entry, leads, author)
        done["logged"] += 1
    if row.final_update:
        action.record_update(
            author=author,
            version=action.version,
            status=values["status"],
            rag=values["rag"],
            narrative=values["note"] or IMPORT_NOTE.format(filename=writer.preview.filename),
            evidence=values["evidence"],
            rag_reason=values["rag_reason"],
            recovery_plan=values["recovery_plan"],
        )
    if row.action is None and row.log:
        # A new action with a history existed since its first update (trends, "changed since").
        start = timezone.make_aware(datetime.datetime.combine(row.log[0].date, datetime.time(9)))
        Action.objects.filter(pk=action.pk).update(created_at=start)


def _update_definition(row: RowPlan, action: Action, priority, officer, leads, lead_organisations) -> None:
    """Change an existing action's definition to the row's, through its version check."""
    values = row.values
    definition = {
        "priority": priority,
        "reference": row.reference,
        "description": values["description"],
        "success_measure": values["success_measure"],
        "start_date": values["start_date"],
    }
    if row.accountable is not None or "Accountable officer" in row.changes:
        definition["accountable_officer"] = officer
    changed = [name for name, value in definition.items() if getattr(action, name) != value]
    for name in changed:
        setattr(action, name, definition[name])
    if changed:
        action.save_edit(version=action.version, fields=changed)
    if {p.pk for p in action.leads.all()} != {p.pk for p in leads}:
        action.leads.set(leads)
    if {o.pk for o in action.lead_organisations.all()} != {o.pk for o in lead_organisations}:
        action.lead_organisations.set(lead_organisations)
    if row.criteria is not None:
        action.set_success_criteria(row.criteria)


def _record_past(action: Action, entry: LogEntry, leads: list[Person], author) -> None:
    """Record one past update at its own date, on behalf of its author when they lead the action."""
    author_normal = cells.normalise(entry.author)
    on_behalf_of = next((p for p in leads if cells.normalise(p.name) == author_normal), None)
    note = entry.note
    if entry.author and on_behalf_of is None:
        note = cells.given_by(note, entry.author)
    when = timezone.make_aware(datetime.datetime.combine(entry.date, datetime.time(12)))
    if action.last_updated_at and when < action.last_updated_at:
        when = action.last_updated_at + datetime.timedelta(seconds=1)  # same day, later line of the log
    action.record_update(
        author=author,
        version=action.version,
        status=entry.status,
        rag=entry.rag,
        narrative=note,
        evidence=entry.evidence,
        rag_reason=entry.rag_reason,
        recovery_plan=entry.recovery_plan,
        on_behalf_of=on_behalf_of,
        given_on=entry.date,
        recorded_at=min(when, timezone.now()),
    )
