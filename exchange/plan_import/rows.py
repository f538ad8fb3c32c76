"""Validating an action plan's rows: what each row would create or change in the plan, the past updates
it brings, and every problem with its sheet, row and column. Nothing here writes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from actions.models import Action, Organisation, Person, Plan, Priority, RagLevel
from exchange import cells
from exchange.exports import LOG_SHEET
from exchange.plan_import import reading
from exchange.plan_import.reading import COLUMN_LABELS

IMPORT_NOTE = "Imported from {filename}."
# What the import says of a value its model field refuses (field_problem): missing, or over its limit.
TITLE_TOO_LONG = "A priority's title has at most {limit} characters"
ORGANISATION_TOO_LONG = "An organisation's name has at most {limit} characters"
PRIORITY_NUMBER_WORDS = {
    "required": "Give the priority's number",
    "too_long": "A priority number has at most {limit} characters",
}
REFERENCE_WORDS = {
    "required": "Give the action's reference",
    "too_long": "A reference has at most {limit} characters",
}
# A past rating often has no written reason: it imports, and says so where the page shows the reason.
NOT_RECORDED = {
    "rag_reason": "Reason not recorded at import.",
    "recovery_plan": "Recovery not recorded at import.",
    "evidence": "Evidence not recorded at import.",
}
REVISED_REASON = "Revised in the imported plan"


def field_problem(
    model: type[models.Model], name: str, value, *, required: str = "", too_long: str = ""
) -> str:
    """Return the import's message for the first rule of the model's field `name` that `value` breaks.

    The rules (required, max_length) are the model field's own, checked by the field itself, so a limit is
    stated once, on the model: PostgreSQL would refuse longer text with an error, not a message. `required`
    is said of a missing value (nothing when it is ""), `too_long` of one over the limit ({limit}); another
    rule a field may gain is said in the model's own words.
    """
    try:
        model._meta.get_field(name).clean(value, None)
    except ValidationError as error:
        broken = error.error_list[0]
        if broken.code in ("blank", "null"):
            return required
        if broken.code == "max_length":
            return too_long.format(limit=broken.params["limit_value"])
        return " ".join(error.messages)  # a rule the import has no words of its own for: the model's
    return ""


@dataclass
class Layout:
    """How the sheet is laid out beyond its columns: chosen on the preview, remembered with the mapping."""

    header_row: int | None = None  # index of the header row in the sheet; None: guess it
    priority_name: str = ""  # the one priority of a file that names none
    year: int | None = None  # the year of update columns headed with a month or quarter only


@dataclass
class Problem:
    row: int  # the spreadsheet's own row number (its first row is row 1)
    column: str
    message: str
    sheet: str = ""


@dataclass
class LogEntry:
    row: int
    date: datetime.date
    author: str
    status: str
    rag: RagLevel | None
    note: str
    rag_reason: str = ""
    recovery_plan: str = ""
    evidence: str = ""
    sheet: str = LOG_SHEET
    column: str = "Date"
    carry: bool = False  # an update column's note: status and RAG carry on from the update before


@dataclass
class RowPlan:
    row: int
    reference: str
    operation: str = "create"  # create, update or unchanged
    action: Action | None = None
    values: dict = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the import read into the row, said on the preview
    lead_names: list[tuple[str, str]] = field(default_factory=list)  # (name, organisation name)
    accountable: tuple[str, str] | None = None
    organisation_names: list[str] = field(default_factory=list)
    criteria: list[str] | None = None  # None: the file has no success criteria column; leave them be
    log: list[LogEntry] = field(default_factory=list)
    final_update: bool = False


@dataclass
class Preview:
    plan: Plan
    filename: str
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_leads: list[tuple[str, str, str]] = field(default_factory=list)  # (choice key, name, org)
    people: list[Person] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    new_priorities: list[str] = field(default_factory=list)
    log_count: int = 0
    header_row: int = 0  # index of the header row in the sheet
    priority_mode: str = "column"  # column, banners or named
    sample: list[dict] = field(default_factory=list)  # the sheet's first rows as read
    column_counts: list[dict] = field(default_factory=list)
    needs_year: bool = False
    # Filled while building: lookups the apply step reuses.
    lead_choices: dict[str, str] = field(default_factory=dict)
    people_by_name: dict = field(default_factory=dict)
    organisations_by_name: dict = field(default_factory=dict)
    priorities_by_number: dict = field(default_factory=dict)
    priority_titles: dict = field(default_factory=dict)  # number -> title of priorities to create

    @property
    def counts(self) -> dict[str, int]:
        tally = defaultdict(int)
        for row in self.rows:
            tally[row.operation] += 1
        return {"create": tally["create"], "update": tally["update"], "unchanged": tally["unchanged"]}


def find_person(by_name, name: str, organisation: str) -> Person | None:
    """Return the person of that name (at that organisation when one is named), or None if unknown."""
    candidates = by_name.get(cells.normalise(name), [])
    if not organisation:
        return candidates[0] if candidates else None
    wanted = cells.normalise(organisation)
    return next(
        (
            person
            for person in candidates
            if person.organisation_id
            and wanted
            in (cells.normalise(person.organisation.name), cells.normalise(person.organisation.short_name))
        ),
        None,
    )


class RowReader:
    """Reads the sheet's rows one by one into RowPlans, collecting problems, new priorities and people."""

    def __init__(self, preview: Preview, lookups, mapping: dict, headers: list[str]) -> None:
        self.preview, self.lookups, self.mapping, self.headers = preview, lookups, mapping, headers
        self.problems = preview.problems
        self.seen: dict[str, int] = {}
        self.numbered: dict[str, int] = defaultdict(int)  # actions so far in each priority (no references)
        self.new_priorities: dict[str, str] = {}  # number -> title
        self.new_organisations: dict[str, str] = {}
        self.unknown: dict[str, tuple[str, str, str]] = {}
        self.current_priority: tuple[str, str] | None = None  # (number, title) from the last banner
        self.period_columns: list[tuple[int, str, datetime.date | None]] = []

    def value(self, raw: list, key: str):
        index = self.mapping.get(key)
        return raw[index] if index is not None and index < len(raw) else None

    def text(self, raw: list, key: str) -> str:
        return cells.text(self.value(raw, key))

    def problem(self, number: int, key: str, message: str) -> None:
        index = self.mapping.get(key)
        self.problems.append(
            Problem(
                number, self.headers[index] if index is not None else COLUMN_LABELS.get(key, key), message
            )
        )

    def priority_for(self, number: str, title: str) -> str:
        """Return the number of the priority a banner or a named priority means, adding it if it is new."""
        title_normal = cells.normalise(title)
        known = {**{p.number: p.title for p in self.lookups.priorities.values()}, **self.new_priorities}
        if number and number in known:
            return number
        match = next(
            (n for n, t in known.items() if title_normal and cells.normalise(t) == title_normal), None
        )
        if match and not number:
            return match
        if not number:
            count = len(known) + 1
            while str(count) in known:
                count += 1
            number = str(count)
        self.new_priorities[number] = title
        return number

    def banner(self, number: int, text: str) -> None:
        """Start a priority at a banner row ("Area of weakness A: Strategy")."""
        banner_number, title = reading.parse_banner(text)
        # A banner's number is at most "12.12A" (reading._BANNER): only its title can be too long.
        if message := field_problem(Priority, "title", title, too_long=TITLE_TOO_LONG):
            self.problems.append(Problem(number, "", message))
            return
        self.current_priority = (self.priority_for(banner_number, title), title)

    def priority(self, number: int, raw: list, layout: Layout) -> tuple[str, str]:
        """Return the row's priority (number, title): its column, the banner above it, or the one named."""
        mode = self.preview.priority_mode
        if mode == "banners":
            if self.current_priority is None:
                self.problem(number, "description", "This row comes before any priority banner row")
                return "", ""
            return self.current_priority
        if mode == "named":
            name = layout.priority_name.strip()
            return (self.priority_for("", name), name) if name else ("", "")
        priority_number, title = self.text(raw, "priority"), self.text(raw, "priority_title")
        if message := field_problem(Priority, "number", priority_number, **PRIORITY_NUMBER_WORDS):
            self.problem(number, "priority", message)
        # A known priority's title may be left out: only one too long is a problem here.
        if message := field_problem(Priority, "title", title, too_long=TITLE_TOO_LONG):
            self.problem(number, "priority_title", message)
        if priority_number and priority_number not in self.lookups.priorities:
            if priority_number not in self.new_priorities and not title:
                self.problem(number, "priority_title", f"Priority {priority_number} is new: give its title")
            self.new_priorities.setdefault(priority_number, title)
        return priority_number, title

    def reference(self, number: int, raw: list, priority_number: str) -> str:
        """Return the row's reference: its own, or numbered within its priority when the file has none."""
        if self.mapping.get("reference") is None:
            self.numbered[priority_number] += 1
            return f"{priority_number}.{self.numbered[priority_number]}" if priority_number else ""
        reference = self.text(raw, "reference")
        if message := field_problem(Action, "reference", reference, **REFERENCE_WORDS):
            self.problem(number, "reference", message)
        elif reference in self.seen:
            self.problem(
                number,
                "reference",
                f"Reference {reference} is also on row {self.seen[reference]}: each action once",
            )
        else:
            self.seen[reference] = number
        return reference

    def dates(self, number: int, raw: list) -> dict:
        """Return the start, first due and current due dates; a revised due may come before the start."""
        dates, unreadable = {}, False
        for key in ("start_date", "original_due_date", "due_date"):
            try:
                dates[key] = cells.parse_date(self.value(raw, key))
            except ValueError as error:
                self.problem(number, key, str(error))
                dates[key], unreadable = None, True
        due = dates["due_date"] or dates["original_due_date"]
        first_due = dates["original_due_date"] or due
        if not unreadable and (
            message := field_problem(Action, "due_date", due, required="Give the due date")
        ):
            self.problem(number, "due_date", message)
        if dates["start_date"] and first_due and first_due < dates["start_date"]:
            key = "original_due_date" if dates["original_due_date"] else "due_date"
            self.problem(number, key, "The due date is before the start date")
        return {"start_date": dates["start_date"], "first_due_date": first_due, "due_date": due}

    def person(self, number: int, key: str, name: str, organisation: str) -> bool:
        """Check a lead's or officer's name and organisation; note who is unknown. Return whether fine."""
        who = "A lead's" if key == "leads" else "The accountable officer's"
        if message := field_problem(
            Person, "name", name, too_long=who + " name has at most {limit} characters"
        ):
            self.problem(number, key, message)
            return False
        if message := field_problem(Organisation, "name", organisation, too_long=ORGANISATION_TOO_LONG):
            self.problem(number, key, message)
            return False
        if not find_person(self.lookups.by_name, name, organisation):
            lead = reading.lead_key(name, organisation)
            self.unknown.setdefault(lead, (lead, name, organisation))
        if organisation and cells.normalise(organisation) not in self.lookups.organisations:
            self.new_organisations.setdefault(cells.normalise(organisation), organisation)
        return True

    def people(self, number: int, raw: list, plan_row: RowPlan) -> None:
        """Read the leads (several a cell, organisations in brackets) and the accountable officer."""
        for name, organisation in reading.parse_leads(self.text(raw, "leads")):
            if self.person(number, "leads", name, organisation):
                plan_row.lead_names.append((name, organisation))
        officers = reading.parse_leads(self.text(raw, "accountable_officer"))
        if len(officers) > 1:
            self.problem(number, "accountable_officer", "Name one accountable officer")
        elif officers and self.person(number, "accountable_officer", *officers[0]):
            plan_row.accountable = officers[0]
        for name in reading.split_criteria(self.text(raw, "lead_organisations").replace(";", "\n")):
            if message := field_problem(Organisation, "name", name, too_long=ORGANISATION_TOO_LONG):
                self.problem(number, "lead_organisations", message)
                continue
            plan_row.organisation_names.append(name)
            if cells.normalise(name) not in self.lookups.organisations:
                self.new_organisations.setdefault(cells.normalise(name), name)

    def progress(self, number: int, raw: list, action: Action | None, plan_row: RowPlan) -> tuple:
        """Return the row's status and RAG; a RAG word meaning complete sets the status to complete."""
        status_raw = self.text(raw, "status")
        if status_raw:
            status = reading.status_for(status_raw)
        else:
            status = action.status if action else Action.Status.NOT_STARTED
        if status is None:
            message = (
                f"“{status_raw}” is not a status (Not started, In progress, Complete, On hold, Withdrawn)"
            )
            self.problem(number, "status", message)
        if self.mapping.get("rag") is None:
            return status, (action.rag if action else None)
        rag, why = reading.level_for(self.value(raw, "rag"), self.lookups.levels)
        if why:
            self.problem(number, "rag", why)
        elif self.text(raw, "rag") and reading.means_complete(self.value(raw, "rag"), rag):
            if status != Action.Status.COMPLETE:
                plan_row.notes.append(
                    f"The RAG “{self.text(raw, 'rag')}” means complete: status set to Complete"
                )
            status = Action.Status.COMPLETE
        return status, rag

    def period_updates(self, number: int, raw: list) -> list[LogEntry]:
        """Return the row's update columns ("Progress update (Nov)") as past updates at the period's end."""
        today = timezone.localdate()
        entries = []
        for index, heading, date in self.period_columns:
            note = cells.text(raw[index]) if index < len(raw) else ""
            if note and date is not None:
                entries.append(
                    LogEntry(
                        number, min(date, today), "", "", None, note, sheet="", column=heading, carry=True
                    )
                )
        return entries

    def row(self, number: int, raw: list, layout: Layout, log_entries: dict) -> RowPlan:
        """Return the plan of one action row (with its problems added to the preview's)."""
        before = len(self.problems)
        priority_number, priority_title = self.priority(number, raw, layout)
        reference = self.reference(number, raw, priority_number)
        plan_row = RowPlan(row=number, reference=reference)
        description = self.text(raw, "description")
        if message := field_problem(Action, "description", description, required="Describe the action"):
            self.problem(number, "description", message)
        dates = self.dates(number, raw)
        action = self.lookups.existing.get(reference)
        status, rag = self.progress(number, raw, action, plan_row)
        self.people(number, raw, plan_row)
        if self.mapping.get("success_criteria") is not None:
            plan_row.criteria = reading.split_criteria(self.text(raw, "success_criteria"))

        def kept(key: str) -> str:
            if self.mapping.get(key) is not None:
                return self.text(raw, key)
            return getattr(action, key) if action else ""

        plan_row.values = {
            "priority": priority_number,
            "priority_title": priority_title,
            "description": description,
            "success_measure": self.text(raw, "success_measure"),
            **dates,
            "status": status,
            "rag": rag,
            "rag_reason": kept("rag_reason"),
            "recovery_plan": kept("recovery_plan"),
            "note": self.text(raw, "note"),
            "evidence": self.text(raw, "evidence"),
        }
        # Taken even from a row with problems, so its log is not reported as orphaned.
        log = log_entries.pop(reference, []) + self.period_updates(number, raw)
        if len(self.problems) == before:
            log.sort(key=lambda entry: (entry.date, entry.sheet != "", entry.row))
            plan_row_changes(plan_row, action, self.preview.plan, log, self.lookups.imported_updates, self)
        return plan_row


def fill_not_recorded(update: dict, status_before: str, rag) -> dict:
    """Return an imported update's texts with the reason, recovery or evidence its rating needs but lacks
    marked as not recorded at import: a real plan's history is kept, not refused (new updates still must)."""
    filled = dict(update)
    level = update["rag"]
    needed = {
        "rag_reason": level is not None and level.requires_reason,
        "recovery_plan": level is not None and level.requires_recovery,
        "evidence": update["status"] == Action.Status.COMPLETE and status_before != Action.Status.COMPLETE,
    }
    for key, needs in needed.items():
        if needs and not filled[key].strip():
            filled[key] = NOT_RECORDED[key]
    return filled


def _plan_log(plan_row: RowPlan, action, plan, log, done, reader: RowReader) -> tuple:
    """Queue the row's past updates not yet recorded; return the status and RAG they leave the action at."""
    latest = action.last_updated_at.date() if action and action.last_updated_at else None
    status = action.status if action else Action.Status.NOT_STARTED
    rag = action.rag if action else None
    for entry in log:
        if (entry.date, entry.note) in done:
            continue
        if latest and entry.date < latest:
            message = f"This update is dated before action {plan_row.reference}'s latest update"
            reader.problems.append(Problem(entry.row, entry.column, message, entry.sheet))
            continue
        entry.status = entry.status or status
        if entry.carry:
            entry.rag = entry.rag or rag
        texts = fill_not_recorded(
            {
                "status": entry.status,
                "rag": entry.rag,
                "rag_reason": entry.rag_reason,
                "recovery_plan": entry.recovery_plan,
                "evidence": entry.evidence,
            },
            status,
            rag,
        )
        entry.rag_reason, entry.recovery_plan, entry.evidence = (
            texts["rag_reason"],
            texts["recovery_plan"],
            texts["evidence"],
        )
        broken = Action(plan=plan, status=status, rag=rag).update_problems(
            status=entry.status,
            rag=entry.rag,
            narrative=entry.note,
            evidence=entry.evidence,
            rag_reason=entry.rag_reason,
            recovery_plan=entry.recovery_plan,
        )
        for field_name, message in broken.items():
            column = field_name.replace("_", " ").capitalize() if entry.sheet else entry.column
            reader.problems.append(Problem(entry.row, column, message, entry.sheet))
        plan_row.log.append(entry)
        status, rag = entry.status, entry.rag
    return status, rag


def plan_row_changes(plan_row: RowPlan, action, plan, log, imported_updates, reader: RowReader) -> None:
    """Work out a clean row's operation, the changes, and the updates it will record."""
    values = plan_row.values
    done = imported_updates.get(action.pk, set()) if action else set()
    status, rag = _plan_log(plan_row, action, plan, log, done, reader)
    if values["status"] != status or values["rag"] != rag:
        values["note"] = values["note"] or IMPORT_NOTE.format(filename=reader.preview.filename)
        values.update(fill_not_recorded(values, status, rag))
        broken = Action(plan=plan, status=status, rag=rag).update_problems(
            status=values["status"],
            rag=values["rag"],
            narrative=values["note"],
            evidence=values["evidence"],
            rag_reason=values["rag_reason"],
            recovery_plan=values["recovery_plan"],
        )
        for field_name, message in broken.items():
            key = {"narrative": "note"}.get(field_name, field_name)
            reader.problem(plan_row.row, key if key in COLUMN_LABELS else "note", message)
        plan_row.final_update = True
    if action is None:
        plan_row.operation = "create"
        return
    plan_row.action = action
    plan_row.changes = _changes(plan_row, action, reader.mapping)
    plan_row.operation = "update" if plan_row.changes else "unchanged"


def _changes(plan_row: RowPlan, action: Action, mapping: dict) -> list[str]:
    """Return the names of what a row changes in an existing action."""
    values = plan_row.values
    changes = [
        COLUMN_LABELS[name]
        for name in ("description", "success_measure", "start_date", "due_date")
        if getattr(action, name) != values[name]
    ]
    if (
        values["first_due_date"] != values["due_date"]
        and (action.original_due_date or action.due_date) != values["first_due_date"]
    ):
        changes.append(COLUMN_LABELS["original_due_date"])
    if action.priority.number != values["priority"]:
        changes.append("Priority")
    elif values["priority_title"] and action.priority.title != values["priority_title"]:
        changes.append("Priority title")
    current_leads = sorted(cells.normalise(p.name) for p in action.leads.all())
    if current_leads != sorted(cells.normalise(name) for name, _ in plan_row.lead_names):
        changes.append("Leads")
    current_organisations = sorted(cells.normalise(o.name) for o in action.lead_organisations.all())
    if current_organisations != sorted(cells.normalise(name) for name in plan_row.organisation_names):
        changes.append("Lead organisations")
    officer = action.accountable_officer
    if mapping.get("accountable_officer") is not None and (
        cells.normalise(officer.name) if officer else ""
    ) != (cells.normalise(plan_row.accountable[0]) if plan_row.accountable else ""):
        changes.append("Accountable officer")
    if plan_row.criteria is not None and [c.text for c in action.success_criteria.all()] != plan_row.criteria:
        changes.append("Success criteria")
    if plan_row.log:
        changes.append(f"{len(plan_row.log)} past update(s)")
    if plan_row.final_update:
        changes.append("Status/RAG")
    return changes
