"""Import a KPI sheet: one measure per row with its polarity, unit, baseline and final target, milestone
columns in pairs ("M1 Jul 23 target" / "M1 actual") and a national comparator (value and period).

`build_preview` writes nothing; `apply_preview` writes a clean preview in one transaction through the
measure's own write paths (`edit_definition` for the definition and milestone targets, `record_values`
for the actual values and the national figure). Measures are matched on plan + name.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from actions.models import Measure, Plan
from exchange import cells
from exchange.files import Sheet
from exchange.plan_import import Problem

KPI_COLUMNS = {
    "name": ("measure", "kpi", "indicator", "measure name", "kpi name", "performance indicator", "name"),
    "unit": ("unit", "units", "measure unit"),
    "polarity": ("polarity", "direction", "good is", "better is", "which way is better", "higher is better"),
    "baseline": ("baseline", "baseline value"),
    "final_target": ("final target", "target", "end target", "overall target"),
    "source": ("source", "data source"),
    "national": ("national", "national comparator", "england", "national average", "england average"),
    "national_period": ("national period", "national year", "national date"),
}
REQUIRED = ("name", "polarity")
POLARITY = {
    "higher is better": True,
    "higher": True,
    "high": True,
    "up": True,
    "↑": True,
    "increase": True,
    "lower is better": False,
    "lower": False,
    "low": False,
    "down": False,
    "↓": False,
    "decrease": False,
}
UNITS = {
    "%": Measure.Unit.PERCENT,
    "percent": Measure.Unit.PERCENT,
    "per cent": Measure.Unit.PERCENT,
    "percentage": Measure.Unit.PERCENT,
    "number": Measure.Unit.NUMBER,
    "count": Measure.Unit.NUMBER,
    "no": Measure.Unit.NUMBER,
    "days": Measure.Unit.DAYS,
    "weeks": Measure.Unit.WEEKS,
    "rate": Measure.Unit.RATE,
    "rate per 10,000": Measure.Unit.RATE,
}
_MILESTONE = re.compile(r"^(?P<label>M\d{1,2})\b\s*(?P<when>.*?)\s*(?P<kind>target|actual)$", re.IGNORECASE)
NAME_LENGTH = Measure._meta.get_field("name").max_length


@dataclass
class Milestone:
    label: str
    period_end: datetime.date | None = None
    target_index: int | None = None
    actual_index: int | None = None


@dataclass
class MeasureRow:
    row: int
    name: str
    operation: str = "create"
    measure: Measure | None = None
    definition: dict = field(default_factory=dict)
    targets: dict = field(default_factory=dict)  # period_end -> (target, label)
    values: list[dict] = field(default_factory=list)


@dataclass
class KpiPreview:
    plan: Plan
    rows: list[MeasureRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Return column key -> index of the header naming it."""
    normal = [cells.normalise(header) for header in headers]
    return {
        key: next((i for i, h in enumerate(normal) if h in names), None) for key, names in KPI_COLUMNS.items()
    }


def milestones(headers: list[str], problems: list[Problem]) -> list[Milestone]:
    """Return the milestone column pairs, dated from their headings ("M1 Jul 23 target", "M1 actual")."""
    found: dict[str, Milestone] = {}
    for index, header in enumerate(headers):
        match = _MILESTONE.match(cells.text(header))
        if not match:
            continue
        milestone = found.setdefault(match["label"].upper(), Milestone(match["label"].upper()))
        setattr(milestone, f"{match['kind'].lower()}_index", index)
        when = cells.parse_month_end(match["when"]) if match["when"] else None
        milestone.period_end = milestone.period_end or when
    for milestone in found.values():
        if milestone.period_end is None:
            example = f"{milestone.label} Jul 23 target"
            message = f"Milestone {milestone.label} needs its month in a heading, e.g. “{example}”"
            problems.append(Problem(1, milestone.label, message))
    return list(found.values())


def _number(raw) -> Decimal | None:
    """Return a figure from a cell ("45%", "1,200", 12.5), or raise ValueError."""
    text = cells.text(raw).replace(",", "").rstrip("%").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError(f"“{cells.text(raw)}” is not a number") from error


def national_period_end(text: str) -> datetime.date | None:
    """Return the date a national figure's period ends: "2023" → 31 Dec 2023, "2023/24" → 31 Mar 2024."""
    match = re.fullmatch(r"(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})", text.strip())
    if match:
        return datetime.date(int(match[1]) + 1, 3, 31)
    if re.fullmatch(r"\d{4}", text.strip()):
        return datetime.date(int(text), 12, 31)
    return cells.parse_month_end(text)


def _definition(raw, cell, problem) -> dict:
    """Return a row's definition fields (unit, polarity, baseline, final target, source)."""
    definition = {}
    polarity = cells.normalise(cell("polarity"))
    if polarity in ("yes", "no") and cells.normalise(cell.heading("polarity")) == "higher is better":
        definition["higher_is_better"] = polarity == "yes"
    elif polarity in POLARITY:
        definition["higher_is_better"] = POLARITY[polarity]
    else:
        problem("polarity", f"“{cell('polarity')}” does not say which way is better (“lower is better”, “↑”)")
    unit = cells.normalise(cell("unit"))
    if unit:
        if unit in UNITS or unit in Measure.Unit.values:
            definition["unit"] = UNITS.get(unit, unit)
        else:
            labels = ", ".join(label for _value, label in Measure.Unit.choices)
            problem("unit", f"“{cell('unit')}” is not a unit ({labels})")
    for key in ("baseline", "final_target"):
        try:
            definition[key] = _number(cell(key))
        except ValueError as error:
            problem(key, str(error))
    if cell("source"):
        definition["source"] = cell("source")[:200]
    return definition


class _Cells:
    """A row's cells by column key, as text."""

    def __init__(self, raw: list, mapping: dict, headers: list[str]) -> None:
        self.raw, self.mapping, self.headers = raw, mapping, headers

    def __call__(self, key: str) -> str:
        index = self.mapping.get(key)
        return cells.text(self.raw[index]) if index is not None and index < len(self.raw) else ""

    def heading(self, key: str) -> str:
        index = self.mapping.get(key)
        return self.headers[index] if index is not None else key


def build_preview(plan: Plan, sheet: Sheet, mapping: dict[str, int | None]) -> KpiPreview:
    """Return what importing the KPI sheet would do to the plan's measures, and every problem (no writes)."""
    preview = KpiPreview(plan=plan)
    headers, problems = sheet.headers, preview.problems
    for key in REQUIRED:
        if mapping.get(key) is None:
            problems.append(Problem(1, key.replace("_", " ").title(), f"The sheet needs a “{key}” column"))
    if any(mapping.get(key) is None for key in REQUIRED):
        return preview
    preview.milestones = milestones(headers, problems)
    existing = {cells.normalise(m.name): m for m in Measure.objects.filter(plan=plan)}
    seen: set[str] = set()
    for number, raw in enumerate(sheet.body, start=2):
        cell = _Cells(raw, mapping, headers)

        def problem(key: str, message: str, number=number, cell=cell) -> None:
            problems.append(Problem(number, cell.heading(key), message))

        name = cell("name")
        if not name:
            if any(cells.text(value) for value in raw):
                problem("name", "Name the measure")
            continue
        if len(name) > NAME_LENGTH or cells.normalise(name) in seen:
            problem("name", f"“{name[:60]}” is too long or on another row too")
            continue
        seen.add(cells.normalise(name))
        row = MeasureRow(row=number, name=name, measure=existing.get(cells.normalise(name)))
        row.operation = "update" if row.measure else "create"
        row.definition = _definition(raw, cell, problem)
        _figures(row, raw, preview.milestones, cell, problem)
        preview.rows.append(row)
    return preview


def _figures(row: MeasureRow, raw: list, pairs: list[Milestone], cell, problem) -> None:
    """Read the row's milestone targets and actuals, and its national comparator."""
    for milestone in pairs:
        if milestone.period_end is None:
            continue
        for kind in ("target", "actual"):
            index = getattr(milestone, f"{kind}_index")
            try:
                figure = _number(raw[index]) if index is not None and index < len(raw) else None
            except ValueError as error:
                problems_key = f"{milestone.label} {kind}"
                problem(problems_key, str(error))
                continue
            if figure is None:
                continue
            if kind == "target":
                row.targets[milestone.period_end] = (figure, milestone.label)
            else:
                row.values.append({"period_end": milestone.period_end, "value": figure})
    try:
        national = _number(cell("national"))
    except ValueError as error:
        problem("national", str(error))
        return
    if national is None:
        return
    period = cell("national_period")
    period_end = national_period_end(period) if period else None
    if period_end is None:
        problem("national_period", "Give the period of the national figure, e.g. “2023/24”")
        return
    value = next((v for v in row.values if v["period_end"] == period_end), None)
    if value is None:
        value = {"period_end": period_end}
        row.values.append(value)
    value.update(national=national, national_period=period)


def apply_preview(preview: KpiPreview, *, author) -> dict[str, int]:
    """Write a clean preview in one transaction: measures created or changed, milestones, values."""
    assert not preview.problems, "only a clean preview is written"
    done = {"created": 0, "updated": 0, "values": 0}
    with transaction.atomic():
        for order, row in enumerate(preview.rows, start=1):
            measure = row.measure
            if measure is None:
                measure = Measure.objects.create(
                    plan=preview.plan, name=row.name, order=order, **row.definition
                )
                done["created"] += 1
            else:
                done["updated"] += 1
            targets = {period_end: target for period_end, (target, _label) in row.targets.items()}
            labels = {period_end: label for period_end, (_target, label) in row.targets.items()}
            measure.edit_definition(version=measure.version, targets=targets, labels=labels, **row.definition)
            if row.values:
                measure.refresh_from_db(fields=["version"])
                done["values"] += len(
                    measure.record_values(author=author, version=measure.version, rows=row.values)
                )
    return done
