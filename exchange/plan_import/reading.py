"""Reading an action plan sheet as councils lay it out: the header row, the columns, and what cells mean.

Nothing here touches the database: it finds the header row (below any title rows), guesses and cleans the
column mapping, spots banner rows that start a priority and "update per period" columns, and reads lead,
success-criteria, RAG and status cells.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import re
from dataclasses import dataclass

from actions.models import Action, RagLevel
from exchange import cells


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
        False,
        ("ref", "ref.", "action ref", "action reference", "no", "no.", "number", "action no", "id"),
    ),
    Column(
        "priority",
        "Priority number",
        False,
        ("priority", "priority no", "priority ref", "area", "priority area", "workstream", "work stream"),
    ),
    Column("priority_title", "Priority title", False, ("priority name", "priority description", "theme")),
    Column(
        "description",
        "Action",
        True,
        ("action", "actions", "description", "action description", "what we will do", "title"),
    ),
    Column(
        "success_measure",
        "Success measure",
        False,
        ("success measure", "intended outcome", "outcome", "impact", "expected outcome"),
    ),
    Column(
        "success_criteria",
        "Success criteria (a list)",
        False,
        ("success criteria", "measures of success", "criteria", "how we will know"),
    ),
    Column(
        "leads",
        "Leads",
        False,
        ("lead", "leads", "lead officer", "lead officers", "responsible officer", "owner", "who", "lead(s)"),
    ),
    Column(
        "lead_organisations", "Lead organisations", False, ("lead organisation", "organisation", "agency")
    ),
    Column(
        "accountable_officer",
        "Accountable officer",
        False,
        ("accountable officer", "accountable", "senior responsible officer", "sro", "accountable lead"),
    ),
    Column("start_date", "Start date", False, ("start", "start date", "from")),
    Column(
        "original_due_date",
        "Original due date",
        False,
        ("original due", "original due date", "original deadline", "original target date", "baseline date"),
    ),
    Column(
        "due_date",
        "Due date",
        True,
        (
            "due",
            "due date",
            "deadline",
            "by when",
            "target date",
            "completion date",
            "revised due",
            "revised due date",
            "revised deadline",
            "revised target date",
            "new due date",
        ),
    ),
    Column("status", "Status", False, ("status", "progress status")),
    Column("rag", "RAG", False, ("rag", "rag rating", "rag status", "delivery rag", "brag")),
    Column("rag_reason", "RAG reason", False, ("rag reason", "reason for rag", "reason")),
    Column("recovery_plan", "Recovery", False, ("recovery", "recovery comment", "recovery plan")),
    Column("note", "Progress note", False, ("progress note", "progress", "update", "comments", "commentary")),
    Column("evidence", "Evidence", False, ("evidence", "evidence of completion")),
)
COLUMN_LABELS = {column.key: column.label for column in COLUMNS}
# Headings that name when a row was touched, never when the action is due (SharePoint lists have both).
NEVER_DUE = ("modified", "created", "last updated", "last modified", "date created", "date modified")
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
COMPLETE_WORDS = ("complete", "completed", "done", "achieved", "closed")
HEADER_ROWS_SHOWN = 10


def _plain_heading(header: str) -> str:
    """Return a heading compared loosely: "Lead Officer(s):" and "lead officer" are the same."""
    return cells.normalise(re.sub(r"\(s\)|[*#]", "", header))


def guess_header_row(rows: list[list]) -> int:
    """Return the index of the first of the first ten rows that looks like headings (0 if none does).

    Headings are two or more filled cells, all short text; a title row (one merged cell) or a blank row
    above them is skipped.
    """
    for index, row in enumerate(rows[:HEADER_ROWS_SHOWN]):
        filled = [value for value in row if cells.text(value)]
        if len(filled) >= 2 and all(isinstance(v, str) and len(v.strip()) <= 80 for v in filled):
            return index
    return 0


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Return column key -> index of the header that names it (our export's headers, common synonyms)."""
    mapping: dict[str, int | None] = {}
    taken: set[int] = set()
    plain = [_plain_heading(header) for header in headers]
    for column in COLUMNS:
        names = (_plain_heading(column.label), column.key.replace("_", " "), *column.synonyms)
        index = next(
            (i for i, name in enumerate(plain) if i not in taken and name and name in names),
            None,
        )
        if index is not None and column.key.endswith("due_date") and plain[index] in NEVER_DUE:
            index = None
        mapping[column.key] = index
        if index is not None:
            taken.add(index)
    return mapping


def clean_mapping(saved: dict, headers: list[str]) -> dict[str, int | None]:
    """Return a stored or submitted mapping made safe: indexes within this file's columns, by header name."""
    mapping = {}
    for column in COLUMNS:
        value = saved.get(column.key)
        # "" is "Not in this file", never the column whose heading is blank.
        if isinstance(value, str) and value and value in headers:  # remembered by header name
            value = headers.index(value)
        elif isinstance(value, str) and value.isdigit():
            value = int(value)
        mapping[column.key] = value if isinstance(value, int) and 0 <= value < len(headers) else None
    return mapping


def lead_key(name: str, organisation: str) -> str:
    digest = hashlib.sha256(f"{name}\x00{organisation}".lower().encode()).hexdigest()[:12]
    return f"lead-{digest}"


_LEAD = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<organisation>[^()]*)\))?$")
_LEAD_SEPARATOR = re.compile(r"[;\n/&]|\s+and\s+", re.IGNORECASE)


def _split_outside_brackets(value: str) -> list[str]:
    """Return the parts of a lead cell split at ";", "/", "&", " and " or new lines outside brackets."""
    parts, depth, start = [], 0, 0
    position = 0
    while position < len(value):
        char = value[position]
        depth += {"(": 1, ")": -1}.get(char, 0)
        match = _LEAD_SEPARATOR.match(value, position) if depth <= 0 else None
        if match:
            parts.append(value[start:position])
            start = position = match.end()
            continue
        position += 1
    parts.append(value[start:])
    return [part.strip(" ,") for part in parts if part.strip(" ,")]


def parse_leads(value: str) -> list[tuple[str, str]]:
    """Return (name, organisation) for "Jo Bloggs (Thurrock Council); Sam Hill / Ann Lee and Raj Patel"."""
    leads = []
    for part in _split_outside_brackets(value):
        match = _LEAD.match(part)
        if match:
            leads.append((match["name"].strip(), (match["organisation"] or "").strip()))
        else:
            leads.append((part, ""))
    return leads


_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–—]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+", re.IGNORECASE)


def split_criteria(value: str) -> list[str]:
    """Return the success criteria of a list cell (new lines, bullets or numbers), each once, in order."""
    items = []
    for line in re.split(r"[\n\r]+|\s+•\s+", value):
        item = _BULLET.sub("", line).strip()
        if item and item not in items:
            items.append(item)
    return items


def level_for(raw, levels: list[RagLevel]) -> tuple[RagLevel | None, str]:
    """Return the plan scale's level a RAG cell means, or an explanation of why it cannot be chosen.

    Reads labels ("On track"), colours and their letters ("Amber", "G"), descriptions after a colour
    ("R – over a month behind") and words meaning complete ("Complete", "Done").
    """
    words = cells.text(raw)
    if not words:
        return None, ""
    normal = cells.normalise(words)
    current = [level for level in levels if level.retired_at is None]
    for level in levels:
        if cells.normalise(level.label) == normal:
            return level, ""
    parts = re.split(r"[\s\-–—:/(),]+", normal, maxsplit=1)
    first, rest = parts[0], cells.normalise(parts[1]) if len(parts) > 1 else ""
    colour = cells.rag_colour(words)
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
    if first in COMPLETE_WORDS:
        closed = [level for level in current if level.counts_as_closed] or [
            level for level in current if level.colour == RagLevel.Colour.BLUE
        ]
        if len(closed) == 1:
            return closed[0], ""
    labels = ", ".join(f"“{level.label}”" for level in current)
    return None, f"“{words}” is not a level of this plan's scale: choose one of {labels}"


def means_complete(raw, level: RagLevel | None) -> bool:
    """Return whether a RAG cell says the action is complete (its word, or a level that counts as closed)."""
    first = re.split(r"[\s\-–—:/(),]+", cells.normalise(cells.text(raw)), maxsplit=1)[0]
    label = cells.normalise(level.label) if level else ""
    return first in COMPLETE_WORDS or label in COMPLETE_WORDS or bool(level and level.counts_as_closed)


def status_for(raw) -> str | None:
    return STATUS_WORDS.get(cells.normalise(cells.text(raw)))


_BANNER = re.compile(
    r"^(?:(?:area\s+of\s+(?:significant\s+)?weakness|areas?\s+for\s+improvement|work\s*stream|priority"
    r"|theme|objective|strand|section|area)\s+)?"
    r"(?P<number>[A-Z]|\d{1,2}(?:\.\d{1,2})?[A-Z]?)\s*[:\-–—.)]\s*(?P<title>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


def banner_text(row: list) -> str:
    """Return the text of a banner row (one filled cell, e.g. "Work stream 2 – Graduated response"), or ""."""
    filled = [cells.text(value) for value in row if cells.text(value)]
    return filled[0] if len(filled) == 1 else ""


def parse_banner(text: str) -> tuple[str, str]:
    """Return (number, title) of a banner; the number is "" when the banner names none."""
    match = _BANNER.match(text.strip())
    if match:
        return match["number"].upper(), match["title"].strip()
    return "", text.strip()


_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_name) if name})
_MONTHS["sept"] = 9
_PERIOD = re.compile(
    r"\b(?:(?P<quarter>q[1-4])|(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r"))\.?"
    r"(?:[\s\-/’']*(?P<year>\d{4}|\d{2}))?\b",
    re.IGNORECASE,
)
PERIOD_WORDS = ("update", "progress", "commentary", "position")


@dataclass(frozen=True)
class Period:
    """A heading's period: a month (1-12) or a financial quarter (Q1 is April to June), maybe a year."""

    heading: str
    month: int = 0
    quarter: int = 0
    year: int | None = None

    def end(self, year: int) -> datetime.date:
        """Return the period's last day, in `year` (a quarter's financial year starts in April of it)."""
        if self.quarter:
            month = self.quarter * 3 + 3
            year, month = (year + 1, month - 12) if month > 12 else (year, month)
        else:
            month = self.month
        return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_of(heading: str) -> Period | None:
    """Return the period an update column's heading names ("Progress update (Nov)", "Update – Q2")."""
    normal = cells.normalise(heading)
    if not any(word in normal for word in PERIOD_WORDS):
        return None
    match = _PERIOD.search(heading)
    if not match:
        return None
    year = match["year"]
    year = (int(year) + 2000 if len(year) == 2 else int(year)) if year else None
    if match["quarter"]:
        return Period(heading, quarter=int(match["quarter"][1]), year=year)
    return Period(heading, month=_MONTHS[match["month"].lower()], year=year)


def period_dates(periods: list[Period], year: int | None) -> list[datetime.date | None]:
    """Return each period's end; one without a year falls on the first such end after the period before it,
    the first of all in `year` (the year asked once on the preview)."""
    dates: list[datetime.date | None] = []
    previous: datetime.date | None = None
    for period in periods:
        if period.year is not None:
            end = period.end(period.year)
        elif year is None:
            end = None
        elif previous is None:
            end = period.end(year)
        else:
            later = [period.end(y) for y in range(previous.year - 1, previous.year + 2)]
            end = min(date for date in later if date >= previous)
        dates.append(end)
        previous = end or previous
    return dates
