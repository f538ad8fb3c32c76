"""KPI entry as one grid: every measure (of a plan, or all of them) by the months shown, in one form.

Each cell is one measure and period: its value and, where published, the national figure with the period and
source it refers to (a national figure can be recorded for a period with no local value). Each measure's
version rides along in the form; the view saves every changed measure through Measure.record_values in one
transaction, so the grid is saved whole or not at all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from actions.models import Measure, MeasureValue
from reports.dashboards import month_ends

MONTH_CHOICES = (3, 6, 12)
DEFAULT_MONTHS = 6
_NUMBER = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
# (field, the row's heading, how a cell's input is named after its measure and period, longest text)
FIELDS = (
    ("value", "Value", "{measure}, {period}", None),
    ("national", "National figure", "{measure}, national figure, {period}", None),
    (
        "national_period",
        "Period of the national figure",
        "{measure}, period of the national figure, {period}",
        60,
    ),
    (
        "national_source",
        "Source of the national figure",
        "{measure}, source of the national figure, {period}",
        300,
    ),
)
NUMBERS = ("value", "national")
# The text cells are cleaned by Django's own fields, as a form would: length, and no NUL characters (which
# PostgreSQL cannot store).
_TEXTS = {
    name: forms.CharField(
        max_length=longest,
        required=False,
        error_messages={"max_length": f"Enter no more than {longest} characters"},
    )
    for name, _, _, longest in FIELDS
    if name not in NUMBERS
}


def plain(value) -> str:
    """Return a recorded figure as it is typed: "60.5", "100", "" for none."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@dataclass
class Input:
    name: str
    label: str
    value: str
    error: str = ""
    recorded_now: str = ""  # after a refused save: what is recorded now, where it differs from what was typed
    recorded_by: str = ""  # on a value: who recorded the figures of the period, and when

    @property
    def id(self) -> str:
        return f"id_{self.name}"


@dataclass
class Cell:
    measure: Measure
    period: datetime.date
    existing: MeasureValue | None
    inputs: dict[str, Input]
    cleaned: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Input]:
        return [i for i in self.inputs.values() if i.error]

    def recorded(self, name: str) -> str:
        """Return the figure recorded now for `name`, as the grid shows it."""
        return plain(getattr(self.existing, name)) if self.existing is not None else ""

    def _set_error(self, name: str, message: str) -> None:
        if not self.inputs[name].error:
            self.inputs[name].error = message

    def clean(self) -> None:
        """Parse and check what was typed; errors go on the inputs, figures into `cleaned`."""
        for name, *_ in FIELDS:
            text = self.inputs[name].value.strip()
            if name in NUMBERS:
                try:
                    self.cleaned[name] = _NUMBER.clean(text)
                except ValidationError as error:
                    self._set_error(name, error.messages[0])
                    continue
                number = self.cleaned[name]
                if number is not None and number < 0:
                    self._set_error(name, "Enter a figure of 0 or more")
                elif number is not None and self.measure.unit == Measure.Unit.PERCENT and number > 100:
                    self._set_error(name, "Enter a percentage between 0 and 100")
            else:
                try:
                    self.cleaned[name] = _TEXTS[name].clean(text)
                except ValidationError as error:
                    self._set_error(name, error.messages[0])
        if self.errors:
            return
        data, existing = self.cleaned, self.existing
        if data["value"] is None and existing is not None and existing.value is not None:
            self._set_error("value", "A recorded value cannot be removed: correct it instead")
        if data["national"] is None and (data["national_period"] or data["national_source"]):
            self._set_error("national", "Enter the national figure for the period or source you gave")
        elif (
            data["national"] is None
            and data["value"] is None
            and existing is not None
            and existing.national is not None
        ):
            self._set_error("national", "A recorded national figure cannot be removed: correct it instead")

    def change(self) -> dict | None:
        """Return the row to record, or None if nothing differs from the record."""
        data = self.cleaned
        if self.existing is None:
            if data["value"] is None and data["national"] is None:
                return None
        elif all(data[name] == _recorded(self.existing, name) for name, *_ in FIELDS):
            return None
        return {"period_end": self.period, **data}


def _recorded(existing: MeasureValue, name: str):
    value = getattr(existing, name)
    return value if name in NUMBERS else (value or "")


@dataclass
class Row:
    """One measure: its version as the form was loaded (or posted), and a cell per period."""

    measure: Measure
    version: int
    cells: list[Cell]
    stale: bool = False

    @property
    def version_name(self) -> str:
        return f"m{self.measure.pk}-version"

    @property
    def lines(self) -> list[tuple[str, str, list[Input]]]:
        """Return (field, heading, inputs across the periods) for each line of the measure in the table."""
        return [(name, heading, [c.inputs[name] for c in self.cells]) for name, heading, _, _ in FIELDS]

    def changes(self) -> list[dict]:
        return [row for cell in self.cells if (row := cell.change())]

    def differs_from_record(self) -> bool:
        """Return whether anything posted for the measure differs from what is recorded now (as typed)."""
        return any(
            cell.inputs[name].value.strip() != cell.recorded(name)
            for cell in self.cells
            for name, *_ in FIELDS
        )

    @property
    def is_stale(self) -> bool:
        """Someone else saved the measure since the grid was loaded, and this grid would change it."""
        return self.version != self.measure.version and self.differs_from_record()


class Grid:
    """The measures by periods, with what was recorded or, when posted, what was typed."""

    def __init__(self, measures, periods: list[datetime.date], data=None) -> None:
        self.periods = periods
        self.bound = data is not None
        values: dict[tuple[int, datetime.date], MeasureValue] = {
            (v.measure_id, v.period_end): v
            for v in MeasureValue.objects.filter(measure__in=measures, period_end__in=periods).select_related(
                "recorded_by"
            )
        }
        self.rows = []
        for measure in measures:
            version = measure.version
            if data is not None:
                posted = _int(data.get(f"m{measure.pk}-version"))
                if posted is None:
                    continue  # not in the grid when the form was loaded (e.g. a measure added since)
                version = posted
            cells = []
            for period in periods:
                existing = values.get((measure.pk, period))
                inputs = {}
                for name, _, label, _ in FIELDS:
                    key = f"m{measure.pk}-{period:%Y-%m-%d}-{name}"
                    recorded = plain(getattr(existing, name)) if existing is not None else ""
                    typed = data.get(key) if data is not None else None
                    words = label.format(measure=measure.name, period=f"{period:%B %Y}")
                    inputs[name] = Input(key, words, recorded if typed is None else typed)
                if existing is not None and existing.recorded_at is not None:
                    who = existing.recorded_by or "Unknown"
                    inputs["value"].recorded_by = f"{who}, {existing.recorded_at:%-d %b %Y}"
                cells.append(Cell(measure, period, existing, inputs))
            self.rows.append(Row(measure, version, cells))

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]

    def is_valid(self) -> bool:
        for cell in self.cells:
            cell.clean()
        return not self.errors

    @property
    def errors(self) -> list[Input]:
        return [i for cell in self.cells for i in cell.errors]

    def changed_rows(self) -> list[Row]:
        return [row for row in self.rows if row.changes()]

    def mark_stale(self, stale: list[Row]) -> None:
        """Show, for each measure someone else changed, what is recorded now where it differs from the grid.

        A cell left blank cannot have been a choice to remove the other person's figure (figures are never
        removed): it takes the recorded figure.
        """
        for row in stale:
            row.stale = True
            row.version = row.measure.version
            for cell in row.cells:
                for name, *_ in FIELDS:
                    recorded, typed = cell.recorded(name), cell.inputs[name]
                    text = typed.value.strip()
                    if text == recorded or (recorded and plain(cell.cleaned.get(name)) == recorded):
                        continue
                    if not text:
                        typed.value, typed.error = recorded, ""
                    typed.recorded_now = recorded or "nothing"


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def periods_ending(until: datetime.date, months: int) -> list[datetime.date]:
    """Return `months` month-ends up to `until` (a month-end), newest first."""
    return month_ends(until + datetime.timedelta(days=1), months)[::-1]


def month_end(text: str | None, default: datetime.date) -> datetime.date:
    """Return the last day of the month given as "YYYY-MM", or `default` for anything else."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if not 1 <= month <= 12:
            return default
        first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    except ValueError:
        return default
    day = first_of_next - datetime.timedelta(days=1)
    return day if datetime.date(2000, 1, 1) <= day <= default else default
