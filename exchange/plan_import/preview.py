"""The preview of an action plan import: the header row, where priorities come from, the update columns,
every row read (by `rows`) against the database, and every problem. Writes nothing; `build_preview` runs a
fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from actions.models import Action, ActionUpdate, Organisation, Person, Plan, Priority, RagLevel
from exchange import cells
from exchange.files import Sheet
from exchange.plan_import import reading
from exchange.plan_import.reading import COLUMN_LABELS, COLUMNS
from exchange.plan_import.rows import (
    TITLE_TOO_LONG,
    Layout,
    LogEntry,
    Preview,
    Problem,
    RowReader,
    field_problem,
)


def _log_mapping(headers: list[str]) -> dict[str, int | None]:
    return {
        key: next((i for i, h in enumerate(headers) if cells.normalise(h) in names), None)
        for key, names in reading.LOG_COLUMNS.items()
    }


def read_log(sheet: Sheet, levels: list[RagLevel], problems: list[Problem]) -> dict[str, list[LogEntry]]:
    """Return the "Update log" sheet's entries by reference (the file's order; sorted with the row's own)."""
    mapping = _log_mapping(sheet.headers)
    missing = [key for key in ("reference", "date", "note") if mapping[key] is None]
    for key in missing:
        problems.append(
            Problem(1, key.title(), f"The “{sheet.name}” sheet needs a “{key.title()}” column", sheet.name)
        )
    if missing:
        return {}
    entries: dict[str, list[LogEntry]] = defaultdict(list)
    for number, row in enumerate(sheet.body, start=2):

        def cell(key: str, row=row):
            index = mapping[key]
            return row[index] if index is not None and index < len(row) else None

        def problem(key: str, message: str, number=number) -> None:
            problems.append(Problem(number, sheet.headers[mapping[key]], message, sheet.name))

        reference = cells.text(cell("reference"))
        if not reference and not any(cells.text(value) for value in row):
            continue
        try:
            date = cells.parse_date(cell("date"))
        except ValueError as error:
            problem("date", str(error))
            continue
        if date is None or date > timezone.localdate():
            problem(
                "date",
                "Give the date of the update" if date is None else "The update's date is in the future",
            )
            continue
        status = reading.status_for(cell("status")) if mapping["status"] is not None else None
        if mapping["status"] is not None and cells.text(cell("status")) and status is None:
            problem("status", f"“{cells.text(cell('status'))}” is not a status")
            continue
        rag, why = reading.level_for(cell("rag"), levels) if mapping["rag"] is not None else (None, "")
        if why:
            problem("rag", why)
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
                sheet=sheet.name,
            )
        )
    return entries


class _Lookups:
    """What the preview compares rows with, read in a fixed number of queries."""

    def __init__(self, plan: Plan, with_log: bool) -> None:
        self.levels = list(RagLevel.objects.filter(scale_id=plan.rag_scale_id).order_by("order"))
        self.existing = {
            action.reference: action
            for action in Action.objects.filter(plan=plan)
            .select_related("priority", "rag", "accountable_officer")
            .prefetch_related(
                Prefetch("leads", queryset=Person.objects.select_related("organisation")),
                "lead_organisations",
                "success_criteria",
            )
        }
        self.priorities = {priority.number: priority for priority in Priority.objects.filter(plan=plan)}
        organisations = {cells.normalise(o.name): o for o in Organisation.objects.all()}
        organisations.update(
            {cells.normalise(o.short_name): o for o in list(organisations.values()) if o.short_name}
        )
        self.organisations = organisations
        self.people = list(Person.objects.select_related("organisation").order_by("name"))
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for person in self.people:
            self.by_name[cells.normalise(person.name)].append(person)
        # The updates already in the log (by date and note), so a log imported again is not recorded twice.
        self.imported_updates = defaultdict(set)
        if with_log:
            for action_id, given_on, created_at, narrative in ActionUpdate.objects.filter(
                action__plan=plan
            ).values_list("action_id", "given_on", "created_at", "narrative"):
                note, _author = cells.split_given_by(narrative)
                self.imported_updates[action_id].add(
                    (given_on or timezone.localdate(created_at), note.strip())
                )


def header_index(sheet: Sheet, layout: Layout) -> int:
    """Return the index of the sheet's header row: the one chosen (when it is in the file), else a guess."""
    chosen = layout.header_row
    if chosen is not None and 0 <= chosen < min(len(sheet.rows), reading.HEADER_ROWS_SHOWN):
        return chosen
    return reading.guess_header_row(sheet.rows)


def _layout_problems(preview: Preview, reader: RowReader, body, layout: Layout, header_number: int) -> None:
    """Decide where priorities come from and date the update columns; add what the user must still give."""
    mapping, headers = reader.mapping, reader.headers
    if mapping.get("priority") is not None:
        preview.priority_mode = "column"
    elif any(reading.banner_text(raw) for _number, raw in body):
        preview.priority_mode = "banners"
    else:
        preview.priority_mode = "named"
        if not layout.priority_name.strip():
            message = "This file names no priority: name the one its actions go under"
            preview.problems.append(Problem(header_number, "Priority", message))
        elif message := field_problem(
            Priority, "title", layout.priority_name.strip(), too_long=TITLE_TOO_LONG
        ):
            preview.problems.append(Problem(header_number, "Priority", message))
    taken = {index for index in mapping.values() if index is not None}
    periods = [
        (index, period)
        for index, heading in enumerate(headers)
        if index not in taken and (period := reading.period_of(heading))
    ]
    dates = reading.period_dates([period for _index, period in periods], layout.year)
    reader.period_columns = [
        (index, period.heading, date) for (index, period), date in zip(periods, dates, strict=True)
    ]
    if None in dates:
        preview.needs_year = True
        first = periods[dates.index(None)][1].heading
        message = f"“{first}” names no year: give the year of the first update column"
        preview.problems.append(Problem(header_number, first, message))


def _sample(sheet: Sheet, index: int, width: int) -> list[dict]:
    """Return the sheet's first ten rows as read, the header row and banner rows marked."""
    sample = []
    for number, raw in enumerate(sheet.rows[: reading.HEADER_ROWS_SHOWN], start=1):
        if number - 1 == index:
            kind = "Header row"
        elif number - 1 < index:
            kind = "Above the header (skipped)"
        elif reading.banner_text(raw):
            kind = "Priority banner"
        else:
            kind = ""
        texts = [cells.text(value) for value in raw[:width]]
        sample.append(
            {
                "number": number,
                "index": number - 1,
                "cells": texts + [""] * (width - len(texts)),
                "kind": kind,
            }
        )
    return sample


def build_preview(
    plan: Plan,
    sheets: list[Sheet],
    mapping: dict[str, int | None],
    lead_choices: dict[str, str],
    *,
    filename: str,
    layout: Layout | None = None,
) -> Preview:
    """Return what importing the sheets would do to the plan, and every problem; writes nothing.

    Runs a fixed number of queries whatever the number of rows.
    """
    layout = layout or Layout()
    preview = Preview(plan=plan, filename=filename, lead_choices=lead_choices)
    sheet = sheets[0]
    preview.header_row = index = header_index(sheet, layout)
    headers = [cells.text(value) for value in sheet.rows[index]]
    body = [(number, raw) for number, raw in enumerate(sheet.rows[index + 1 :], start=index + 2)]
    preview.sample = _sample(sheet, index, max(len(headers), 1))
    problems = preview.problems
    missing = [
        column
        for column in COLUMNS
        if column.required
        and mapping.get(column.key) is None
        and not (column.key == "due_date" and mapping.get("original_due_date") is not None)
    ]
    for column in missing:
        problems.append(Problem(index + 1, column.label, f"Choose the column that holds “{column.label}”"))
    if plan.status == Plan.Status.CLOSED:
        problems.append(Problem(index + 1, "", "This plan is closed: reopen it before importing into it"))
    log_sheet = next(
        (s for s in sheets[1:] if cells.normalise(s.name) in ("update log", "updates", "log")), None
    )
    lookups = _Lookups(plan, with_log=log_sheet is not None)
    log_entries = read_log(log_sheet, lookups.levels, problems) if log_sheet is not None else {}
    reader = RowReader(preview, lookups, mapping, headers)
    _layout_problems(preview, reader, body, layout, index + 1)
    if not missing:
        _read_rows(preview, reader, body, layout, log_entries)
    for reference, entries in log_entries.items():
        for entry in entries:
            message = f"No action {reference} in the plan sheet"
            problems.append(Problem(entry.row, "Reference", message, entry.sheet))
    _finish(preview, reader, lookups)
    return preview


def _read_rows(preview: Preview, reader: RowReader, body, layout: Layout, log_entries: dict) -> None:
    counts: dict[str, int] = defaultdict(int)
    mapped = {key: index for key, index in reader.mapping.items() if index is not None}
    for number, raw in body:
        if not any(cells.text(value) for value in raw):
            continue
        banner = reading.banner_text(raw)
        if banner:
            if preview.priority_mode == "banners":
                reader.banner(number, banner)
            continue
        preview.rows.append(reader.row(number, raw, layout, log_entries))
        for key, index in mapped.items():
            counts[key] += bool(index < len(raw) and cells.text(raw[index]))
        for index, _heading, _date in reader.period_columns:
            counts[index] += bool(index < len(raw) and cells.text(raw[index]))
    preview.column_counts = [
        {"heading": reader.headers[index], "sets": COLUMN_LABELS[key], "count": counts[key]}
        for key, index in mapped.items()
    ] + [
        {
            "heading": heading,
            "sets": f"Past update dated {date:%-d %b %Y}" if date else "Past update",
            "count": counts[index],
        }
        for index, heading, date in reader.period_columns
    ]


def _finish(preview: Preview, reader: RowReader, lookups: _Lookups) -> None:
    preview.people = lookups.people
    preview.people_by_name = lookups.by_name
    preview.organisations_by_name = lookups.organisations
    preview.priorities_by_number = lookups.priorities
    preview.priority_titles = reader.new_priorities
    preview.unknown_leads = sorted(reader.unknown.values(), key=lambda lead: lead[1].lower())
    preview.new_organisations = sorted(reader.new_organisations.values())
    preview.new_priorities = [
        f"{number}. {title}" if title else number for number, title in reader.new_priorities.items()
    ]
    preview.log_count = sum(len(row.log) for row in preview.rows)
    valid_people = {str(person.pk) for person in lookups.people}
    for _key, name, _organisation in preview.unknown_leads:
        if preview.lead_choices.get(_key, "new") not in ("new", *valid_people):
            preview.problems.append(Problem(1, "Leads", f"Choose who “{name}” is, or create them"))
    preview.problems.sort(key=lambda p: (p.sheet != "", p.sheet, p.row))
