"""Import an action plan: preview every row's create/update and every problem, then write all or nothing.

`build_preview` reads the file with a column mapping and plans each row against the database without
writing; `apply_preview` writes a clean preview in one transaction through the models' own write paths
(`Action.save_edit` for definition fields, `Action.record_update` for status, RAG and notes, with past
updates from the "Update log" sheet dated as they happened). Actions are matched on plan + reference, so
importing the same file again changes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from actions.models import (
    Action,
    ActionUpdate,
    Organisation,
    Person,
    Plan,
    Priority,
    RagLevel,
    UpdateRefusedError,
)
from core.versioning import StaleVersionError
from exchange import cells
from exchange.exports import LOG_SHEET
from exchange.files import Sheet


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


COLUMNS = (
    Column(
        "reference",
        "Reference",
        True,
        ("ref", "ref.", "action ref", "action reference", "no", "no.", "number"),
    ),
    Column(
        "priority",
        "Priority number",
        True,
        ("priority", "priority no", "priority ref", "area", "priority area"),
    ),
    Column("priority_title", "Priority title", False, ("priority name", "priority description", "theme")),
    Column("description", "Action", True, ("action", "description", "action description", "what we will do")),
    Column(
        "success_measure",
        "Success measure",
        False,
        ("success measure", "intended outcome", "outcome", "impact"),
    ),
    Column("leads", "Leads", False, ("lead", "leads", "lead officer", "responsible officer", "owner", "who")),
    Column(
        "lead_organisations", "Lead organisations", False, ("lead organisation", "organisation", "agency")
    ),
    Column("start_date", "Start date", False, ("start", "start date", "from")),
    Column(
        "due_date",
        "Due date",
        True,
        ("due", "due date", "deadline", "by when", "target date", "completion date"),
    ),
    Column("status", "Status", False, ("status", "progress status")),
    Column("rag", "RAG", False, ("rag", "rag rating", "rag status", "delivery rag", "brag")),
    Column("rag_reason", "RAG reason", False, ("rag reason", "reason for rag", "reason")),
    Column("recovery_plan", "Recovery", False, ("recovery", "recovery comment", "recovery plan")),
    Column("note", "Progress note", False, ("progress note", "progress", "update", "comments", "commentary")),
    Column("evidence", "Evidence", False, ("evidence", "evidence of completion")),
)
COLUMN_LABELS = {column.key: column.label for column in COLUMNS}
# The columns imported text goes into, read from the models (PostgreSQL refuses longer text with an error,
# not a message).
REFERENCE_LENGTH = Action._meta.get_field("reference").max_length
PRIORITY_NUMBER_LENGTH = Priority._meta.get_field("number").max_length
PRIORITY_TITLE_LENGTH = Priority._meta.get_field("title").max_length
PERSON_NAME_LENGTH = Person._meta.get_field("name").max_length
ORGANISATION_NAME_LENGTH = Organisation._meta.get_field("name").max_length
LOG_COLUMNS = {
    "reference": ("reference", "ref", "action"),
    "date": ("date", "given on", "update date"),
    "author": ("author", "by", "who", "lead"),
    "status": ("status",),
    "rag": ("rag", "rag rating"),
    "note": ("note", "update", "progress note", "narrative", "commentary"),
    "rag_reason": ("rag reason", "reason"),
    "recovery_plan": ("recovery", "recovery plan"),
    "evidence": ("evidence",),
}
STATUS_WORDS = {
    "not started": Action.Status.NOT_STARTED,
    "not yet started": Action.Status.NOT_STARTED,
    "in progress": Action.Status.IN_PROGRESS,
    "ongoing": Action.Status.IN_PROGRESS,
    "started": Action.Status.IN_PROGRESS,
    "complete": Action.Status.COMPLETE,
    "completed": Action.Status.COMPLETE,
    "done": Action.Status.COMPLETE,
    "on hold": Action.Status.ON_HOLD,
    "paused": Action.Status.ON_HOLD,
    "withdrawn": Action.Status.WITHDRAWN,
    "closed - withdrawn": Action.Status.WITHDRAWN,
}
for _value, _label in Action.Status.choices:
    STATUS_WORDS[_value.replace("_", " ")] = _value
    STATUS_WORDS[_label.lower()] = _value
IMPORT_NOTE = "Imported from {filename}."


@dataclass
class Problem:
    row: int  # the spreadsheet's own row number (the header is row 1)
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


@dataclass
class RowPlan:
    row: int
    reference: str
    operation: str = "create"  # create, update or unchanged
    action: Action | None = None
    values: dict = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    lead_names: list[tuple[str, str]] = field(default_factory=list)  # (name, organisation name)
    organisation_names: list[str] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)
    final_update: bool = False


@dataclass
class Preview:
    plan: Plan
    filename: str
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_leads: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # (choice key, name, organisation)
    people: list[Person] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    new_priorities: list[str] = field(default_factory=list)
    log_count: int = 0
    # Filled while building: lookups the apply step reuses.
    lead_choices: dict[str, str] = field(default_factory=dict)
    people_by_name: dict = field(default_factory=dict)
    organisations_by_name: dict = field(default_factory=dict)
    priorities_by_number: dict = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        tally = defaultdict(int)
        for row in self.rows:
            tally[row.operation] += 1
        return {"create": tally["create"], "update": tally["update"], "unchanged": tally["unchanged"]}


def _match(header: str, column_key: str, synonyms: tuple[str, ...], label: str) -> bool:
    normal = cells.normalise(header)
    return normal in (cells.normalise(label), column_key.replace("_", " "), *synonyms)


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Return column key -> index of the header that names it (our export's headers, common synonyms)."""
    mapping: dict[str, int | None] = {}
    taken: set[int] = set()
    for column in COLUMNS:
        index = next(
            (
                i
                for i, header in enumerate(headers)
                if i not in taken and header and _match(header, column.key, column.synonyms, column.label)
            ),
            None,
        )
        mapping[column.key] = index
        if index is not None:
            taken.add(index)
    return mapping


def clean_mapping(saved: dict, headers: list[str]) -> dict[str, int | None]:
    """Return a stored or submitted mapping made safe: indexes within this file's columns, by header name."""
    mapping = {}
    for column in COLUMNS:
        value = saved.get(column.key)
        if isinstance(value, str) and value in headers:  # remembered by header name
            value = headers.index(value)
        elif isinstance(value, str) and value.isdigit():
            value = int(value)
        mapping[column.key] = value if isinstance(value, int) and 0 <= value < len(headers) else None
    return mapping


def lead_key(name: str, organisation: str) -> str:
    digest = hashlib.sha256(f"{name}\x00{organisation}".lower().encode()).hexdigest()[:12]
    return f"lead-{digest}"


_LEAD = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<organisation>[^()]*)\))?$")


def parse_leads(value: str) -> list[tuple[str, str]]:
    """Return (name, organisation) for "Jo Bloggs (Thurrock Council); Sam Hill" and newline lists."""
    leads = []
    for part in re.split(r"[;\n]+", value):
        part = part.strip()
        if not part:
            continue
        match = _LEAD.match(part)
        if match:
            leads.append((match["name"].strip(), (match["organisation"] or "").strip()))
        else:
            leads.append((part, ""))
    return leads


def _level_for(raw, levels: list[RagLevel]) -> tuple[RagLevel | None, str]:
    """Return the plan scale's level a RAG cell means, or an explanation of why it cannot be chosen."""
    words = cells.text(raw)
    if not words:
        return None, ""
    normal = cells.normalise(words)
    current = [level for level in levels if level.retired_at is None]
    for level in levels:
        if cells.normalise(level.label) == normal:
            return level, ""
    colour = cells.rag_colour(words)
    rest = (
        cells.normalise(re.split(r"[\s\-–—:/(),]+", normal, maxsplit=1)[1])
        if re.search(r"[\s\-–—:/(),]", normal)
        else ""
    )
    if colour:
        of_colour = [level for level in current if level.colour == colour]
        named = [level for level in of_colour if rest and cells.normalise(level.label) == rest]
        if named:
            return named[0], ""
        if len(of_colour) == 1:
            return of_colour[0], ""
        if of_colour:
            labels = " or ".join(f"“{level.label}”" for level in of_colour)
            return None, f"“{words}” could be {labels}: write the level's label"
    labels = ", ".join(f"“{level.label}”" for level in current)
    return None, f"“{words}” is not a level of this plan's scale ({labels})"


def _status_for(raw) -> str | None:
    return STATUS_WORDS.get(cells.normalise(cells.text(raw)))


def _log_mapping(headers: list[str]) -> dict[str, int | None]:
    mapping = {}
    for key, names in LOG_COLUMNS.items():
        mapping[key] = next((i for i, h in enumerate(headers) if cells.normalise(h) in names), None)
    return mapping


def _read_log(sheet: Sheet, levels: list[RagLevel], problems: list[Problem]) -> dict[str, list[LogEntry]]:
    """Return the update log's entries by reference, in date order (the file's order within a day)."""
    mapping = _log_mapping(sheet.headers)
    for key in ("reference", "date", "note"):
        if mapping[key] is None:
            problems.append(
                Problem(
                    1, key.title(), f"The “{sheet.name}” sheet needs a “{key.title()}” column", sheet.name
                )
            )
    if any(mapping[key] is None for key in ("reference", "date", "note")):
        return {}
    entries: dict[str, list[LogEntry]] = defaultdict(list)
    for number, row in enumerate(sheet.body, start=2):

        def cell(key: str, row=row):
            index = mapping[key]
            return row[index] if index is not None and index < len(row) else None

        reference = cells.text(cell("reference"))
        if not reference and not any(cells.text(value) for value in row):
            continue
        header = lambda key: sheet.headers[mapping[key]]  # noqa: E731
        try:
            date = cells.parse_date(cell("date"))
        except ValueError as error:
            problems.append(Problem(number, header("date"), str(error), sheet.name))
            continue
        if date is None:
            problems.append(Problem(number, header("date"), "Give the date of the update", sheet.name))
            continue
        if date > timezone.localdate():
            problems.append(Problem(number, header("date"), "The update's date is in the future", sheet.name))
            continue
        status = _status_for(cell("status")) if mapping["status"] is not None else None
        if mapping["status"] is not None and cells.text(cell("status")) and status is None:
            problems.append(
                Problem(
                    number, header("status"), f"“{cells.text(cell('status'))}” is not a status", sheet.name
                )
            )
            continue
        rag, why = _level_for(cell("rag"), levels) if mapping["rag"] is not None else (None, "")
        if why:
            problems.append(Problem(number, header("rag"), why, sheet.name))
            continue
        entries[reference].append(
            LogEntry(
                row=number,
                date=date,
                author=cells.text(cell("author")),
                status=status or "",
                rag=rag,
                note=cells.text(cell("note")),
                rag_reason=cells.text(cell("rag_reason")),
                recovery_plan=cells.text(cell("recovery_plan")),
                evidence=cells.text(cell("evidence")),
            )
        )
    for reference in entries:
        entries[reference].sort(key=lambda entry: (entry.date, entry.row))
    return entries


def build_preview(
    plan: Plan,
    sheets: list[Sheet],
    mapping: dict[str, int | None],
    lead_choices: dict[str, str],
    *,
    filename: str,
) -> Preview:
    """Return what importing the sheets would do to the plan, and every problem; writes nothing.

    Runs a fixed number of queries whatever the number of rows.
    """
    preview = Preview(plan=plan, filename=filename, lead_choices=lead_choices)
    sheet = sheets[0]
    headers = sheet.headers
    problems = preview.problems
    for column in COLUMNS:
        if column.required and mapping.get(column.key) is None:
            problems.append(Problem(1, column.label, f"Choose the column that holds “{column.label}”"))
    if plan.status == Plan.Status.CLOSED:
        problems.append(Problem(1, "", "This plan is closed: reopen it before importing into it"))
    levels = list(RagLevel.objects.filter(scale_id=plan.rag_scale_id).order_by("order"))
    existing = {
        action.reference: action
        for action in Action.objects.filter(plan=plan)
        .select_related("priority", "rag")
        .prefetch_related(
            Prefetch("leads", queryset=Person.objects.select_related("organisation")), "lead_organisations"
        )
    }
    priorities = {priority.number: priority for priority in Priority.objects.filter(plan=plan)}
    organisations = {cells.normalise(o.name): o for o in Organisation.objects.all()}
    organisations.update(
        {cells.normalise(o.short_name): o for o in organisations.copy().values() if o.short_name}
    )
    people = list(Person.objects.select_related("organisation").order_by("name"))
    preview.people = people
    by_name: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        by_name[cells.normalise(person.name)].append(person)
    preview.organisations_by_name = organisations
    preview.priorities_by_number = priorities
    log_entries = {}
    log_sheet = next(
        (s for s in sheets[1:] if cells.normalise(s.name) in ("update log", "updates", "log")), None
    )
    # The updates already in the log (by date and note), so a log imported again is not recorded twice.
    imported_updates = defaultdict(set)
    if log_sheet is not None:
        for action_id, given_on, created_at, narrative in ActionUpdate.objects.filter(
            action__plan=plan
        ).values_list("action_id", "given_on", "created_at", "narrative"):
            note, _author = cells.split_given_by(narrative)
            imported_updates[action_id].add((given_on or timezone.localdate(created_at), note.strip()))
    if log_sheet is not None:
        log_entries = _read_log(log_sheet, levels, problems)
    if any(mapping.get(column.key) is None for column in COLUMNS if column.required):
        return preview

    seen: dict[str, int] = {}
    new_priorities: dict[str, str] = {}
    new_organisations: dict[str, str] = {}
    unknown: dict[str, tuple[str, str, str]] = {}
    for number, raw in enumerate(sheet.body, start=2):
        if not any(cells.text(value) for value in raw):
            continue

        def value(key: str, raw=raw):
            index = mapping.get(key)
            return raw[index] if index is not None and index < len(raw) else None

        def problem(key: str, message: str, number=number) -> None:
            index = mapping.get(key)
            problems.append(
                Problem(number, headers[index] if index is not None else COLUMN_LABELS[key], message)
            )

        reference = cells.text(value("reference"))
        plan_row = RowPlan(row=number, reference=reference)
        before = len(problems)
        if not reference:
            problem("reference", "Give the action's reference")
        elif len(reference) > REFERENCE_LENGTH:
            problem("reference", f"A reference has at most {REFERENCE_LENGTH} characters")
        elif reference in seen:
            problem("reference", f"Reference {reference} is also on row {seen[reference]}: each action once")
        else:
            seen[reference] = number
        description = cells.text(value("description"))
        if not description:
            problem("description", "Describe the action")
        priority_number = cells.text(value("priority"))
        if not priority_number:
            problem("priority", "Give the priority's number")
        elif len(priority_number) > PRIORITY_NUMBER_LENGTH:
            problem("priority", f"A priority number has at most {PRIORITY_NUMBER_LENGTH} characters")
        priority_title = cells.text(value("priority_title"))
        if len(priority_title) > PRIORITY_TITLE_LENGTH:
            problem("priority_title", f"A priority's title has at most {PRIORITY_TITLE_LENGTH} characters")
        if priority_number and priority_number not in priorities:
            if priority_number not in new_priorities and not priority_title:
                problem("priority_title", f"Priority {priority_number} is new: give its title")
            new_priorities.setdefault(priority_number, priority_title)
        dates = {}
        for key in ("start_date", "due_date"):
            try:
                dates[key] = cells.parse_date(value(key))
                if key == "due_date" and dates[key] is None:
                    problem(key, "Give the due date")
            except ValueError as error:
                problem(key, str(error))
                dates[key] = None
        if dates["start_date"] and dates["due_date"] and dates["due_date"] < dates["start_date"]:
            problem("due_date", "The due date is before the start date")
        action = existing.get(reference)
        status_raw = cells.text(value("status"))
        status = (
            _status_for(status_raw)
            if status_raw
            else (action.status if action else Action.Status.NOT_STARTED)
        )
        if status is None:
            problem(
                "status",
                f"“{status_raw}” is not a status (Not started, In progress, Complete, On hold, Withdrawn)",
            )
        if mapping.get("rag") is not None:
            rag, why = _level_for(value("rag"), levels)
            if why:
                problem("rag", why)
        else:
            rag = action.rag if action else None
        for name, organisation in parse_leads(cells.text(value("leads"))):
            plan_row.lead_names.append((name, organisation))
            if len(name) > PERSON_NAME_LENGTH:
                problem("leads", f"A lead's name has at most {PERSON_NAME_LENGTH} characters")
                continue
            if not _find_person(by_name, name, organisation):
                key = lead_key(name, organisation)
                unknown.setdefault(key, (key, name, organisation))
            if organisation and len(organisation) > ORGANISATION_NAME_LENGTH:
                problem("leads", f"An organisation's name has at most {ORGANISATION_NAME_LENGTH} characters")
                continue
            if organisation and cells.normalise(organisation) not in organisations:
                new_organisations.setdefault(cells.normalise(organisation), organisation)
        for name in re.split(r"[;\n]+", cells.text(value("lead_organisations"))):
            name = name.strip()
            if len(name) > ORGANISATION_NAME_LENGTH:
                problem(
                    "lead_organisations",
                    f"An organisation's name has at most {ORGANISATION_NAME_LENGTH} characters",
                )
            elif name:
                plan_row.organisation_names.append(name)
                if cells.normalise(name) not in organisations:
                    new_organisations.setdefault(cells.normalise(name), name)
        plan_row.values = {
            "priority": priority_number,
            "priority_title": priority_title,
            "description": description,
            "success_measure": cells.text(value("success_measure")),
            "start_date": dates["start_date"],
            "due_date": dates["due_date"],
            "status": status,
            "rag": rag,
            "rag_reason": cells.text(value("rag_reason"))
            if mapping.get("rag_reason") is not None
            else (action.rag_reason if action else ""),
            "recovery_plan": cells.text(value("recovery_plan"))
            if mapping.get("recovery_plan") is not None
            else (action.recovery_plan if action else ""),
            "note": cells.text(value("note")),
            "evidence": cells.text(value("evidence")),
        }
        log = log_entries.pop(reference, [])  # taken even from a row with problems: its log is not orphaned
        if len(problems) == before:
            _plan_row(plan_row, action, plan, log, imported_updates, problem, problems)
        preview.rows.append(plan_row)
    for reference, entries in log_entries.items():
        for entry in entries:
            problems.append(
                Problem(entry.row, "Reference", f"No action {reference} in the plan sheet", log_sheet.name)
            )
    preview.unknown_leads = sorted(unknown.values(), key=lambda lead: lead[1].lower())
    preview.new_organisations = sorted(new_organisations.values())
    preview.new_priorities = sorted(new_priorities)
    preview.people_by_name = by_name
    preview.log_count = sum(len(row.log) for row in preview.rows)
    valid_people = {str(person.pk) for person in people}
    for key, name, _organisation in preview.unknown_leads:
        choice = lead_choices.get(key, "new")
        if choice not in ("new", *valid_people):
            problems.append(Problem(1, "Leads", f"Choose who “{name}” is, or create them"))
    problems.sort(key=lambda p: (p.sheet != "", p.sheet, p.row))
    return preview


def _find_person(by_name, name: str, organisation: str) -> Person | None:
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


def _plan_row(plan_row: RowPlan, action, plan, log, imported_updates, problem, problems) -> None:
    """Work out a clean row's operation, the changes, and the updates it will record."""
    values = plan_row.values
    # A stand-in for a new action, so the update rules are checked the same way for both.
    probe = action or Action(plan=plan, status=Action.Status.NOT_STARTED, rag=None)
    probe.plan = plan
    done = imported_updates.get(action.pk, set()) if action else set()
    latest = action.last_updated_at.date() if action and action.last_updated_at else None
    status, rag = probe.status, probe.rag
    for entry in log:
        if (entry.date, entry.note) in done:
            continue
        if latest and entry.date < latest:
            problems.append(
                Problem(
                    entry.row,
                    "Date",
                    f"This update is dated before action {plan_row.reference}'s latest update",
                    LOG_SHEET,
                )
            )
            continue
        entry.status = entry.status or status
        broken = Action(plan=plan, status=status, rag=rag).update_problems(
            status=entry.status,
            rag=entry.rag,
            narrative=entry.note,
            evidence=entry.evidence,
            rag_reason=entry.rag_reason,
            recovery_plan=entry.recovery_plan,
        )
        for field_name, message in broken.items():
            problems.append(Problem(entry.row, field_name.replace("_", " ").capitalize(), message, LOG_SHEET))
        plan_row.log.append(entry)
        status, rag = entry.status, entry.rag
    if values["status"] != status or values["rag"] != rag:
        note = values["note"] or IMPORT_NOTE.format(filename="the file")
        broken = Action(plan=plan, status=status, rag=rag).update_problems(
            status=values["status"],
            rag=values["rag"],
            narrative=note,
            evidence=values["evidence"],
            rag_reason=values["rag_reason"],
            recovery_plan=values["recovery_plan"],
        )
        for field_name, message in broken.items():
            key = {"narrative": "note"}.get(field_name, field_name)
            problem(key if key in COLUMN_LABELS else "note", message)
        plan_row.final_update = True
    if action is None:
        plan_row.operation = "create"
        return
    plan_row.action = action
    changes = []
    for name in ("description", "success_measure", "start_date", "due_date"):
        if getattr(action, name) != values[name]:
            changes.append(COLUMN_LABELS[name])
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
    if plan_row.log:
        changes.append(f"{len(plan_row.log)} past update(s)")
    if plan_row.final_update:
        changes.append("Status/RAG")
    plan_row.changes = changes
    plan_row.operation = "update" if changes else "unchanged"


class ImportAborted(Exception):
    """Writing stopped at a row (e.g. someone changed an action meanwhile); the transaction wrote nothing."""


def apply_preview(preview: Preview, *, author) -> dict[str, int]:
    """Write a preview that has no problems, all in one transaction; raise ImportAborted to write nothing."""
    assert not preview.problems, "only a clean preview is written"
    plan = preview.plan
    created = updated = logged = 0
    with transaction.atomic():
        organisations = preview.organisations_by_name
        chosen = {key: choice for key, choice in preview.lead_choices.items()}
        people = {str(person.pk): person for person in preview.people}
        made_people: dict[str, Person] = {}

        def organisation_named(name: str) -> Organisation:
            normal = cells.normalise(name)
            if normal not in organisations:
                organisations[normal] = Organisation.objects.create(name=name, kind=Organisation.Kind.OTHER)
            return organisations[normal]

        def person_named(name: str, organisation: str) -> Person:
            found = _find_person(preview.people_by_name, name, organisation)
            if found:
                return found
            key = lead_key(name, organisation)
            if chosen.get(key, "new") != "new":
                return people[chosen[key]]
            if key not in made_people:
                made_people[key] = Person.objects.create(
                    name=name, organisation=organisation_named(organisation) if organisation else None
                )
            return made_people[key]

        priorities = preview.priorities_by_number
        for row in preview.rows:
            try:
                values = row.values
                number = values["priority"]
                if number not in priorities:
                    order = len(priorities) + 1
                    priorities[number] = Priority.objects.create(
                        plan=plan, number=number, title=values["priority_title"], order=order
                    )
                elif values["priority_title"] and priorities[number].title != values["priority_title"]:
                    priority = priorities[number]
                    priority.title = values["priority_title"]
                    priority.save_edit(version=priority.version, fields=["title"])
                leads = [person_named(name, organisation) for name, organisation in row.lead_names]
                lead_organisations = [organisation_named(name) for name in row.organisation_names]
                definition = {
                    "priority": priorities[number],
                    "reference": row.reference,
                    "description": values["description"],
                    "success_measure": values["success_measure"],
                    "start_date": values["start_date"],
                    "due_date": values["due_date"],
                }
                action = row.action
                if action is None:
                    action = Action.objects.create(order=row.row, **definition)
                    created += 1
                elif row.operation == "update":
                    changed = [name for name, value in definition.items() if getattr(action, name) != value]
                    for name in changed:
                        setattr(action, name, definition[name])
                    if changed:
                        action.save_edit(version=action.version, fields=changed)
                    updated += 1
                if {p.pk for p in action.leads.all()} != {p.pk for p in leads}:
                    action.leads.set(leads)
                if {o.pk for o in action.lead_organisations.all()} != {o.pk for o in lead_organisations}:
                    action.lead_organisations.set(lead_organisations)
                first_log = row.log[0].date if row.log else None
                for entry in row.log:
                    _record_past(action, entry, leads, author)
                    logged += 1
                if row.final_update:
                    action.record_update(
                        author=author,
                        version=action.version,
                        status=values["status"],
                        rag=values["rag"],
                        narrative=values["note"] or IMPORT_NOTE.format(filename=preview.filename),
                        evidence=values["evidence"],
                        rag_reason=values["rag_reason"],
                        recovery_plan=values["recovery_plan"],
                    )
                if row.action is None and first_log:
                    # A new action with a history existed since its first update (trends, "changed since").
                    start = timezone.make_aware(datetime.datetime.combine(first_log, datetime.time(9)))
                    Action.objects.filter(pk=action.pk).update(created_at=start)
            except (StaleVersionError, UpdateRefusedError) as error:
                raise ImportAborted(f"Row {row.row} ({row.reference}): {error}") from error
            except Exception as error:
                from django.core.exceptions import ValidationError

                if isinstance(error, ValidationError):
                    raise ImportAborted(
                        f"Row {row.row} ({row.reference}): {'; '.join(error.messages)}"
                    ) from error
                raise
    return {"created": created, "updated": updated, "logged": logged}


def _record_past(action: Action, entry: LogEntry, leads: list[Person], author) -> None:
    """Record one update of the log at its own date, on behalf of its author when they lead the action."""
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
