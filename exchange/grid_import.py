"""Import a framework RAG grid (criteria as rows, rounds as columns), as in the Sunderland seed's table.

Each round column is matched to the framework's round of the same label (or date) or opened as a new
round; each cell is saved through `Assessment.rate`, the one write path for ratings. Cells that already
hold the same RAG are left alone, so importing the same grid again changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from exchange import cells
from exchange.files import Sheet
from exchange.plan_import import ImportAborted, Problem
from inspections.models import Assessment, Criterion, Framework, Rag, Rating, RatingError

CODE_NAMES = ("code", "criterion code", "ref", "reference", "criterion", "no", "no.")
_LETTER = {"red": Rag.RED, "amber": Rag.AMBER, "green": Rag.GREEN}


@dataclass
class RoundColumn:
    index: int
    label: str
    assessed_on: datetime.date | None
    assessment: Assessment | None  # None: a new round will be opened


@dataclass
class Cell:
    row: int
    criterion: Criterion
    round: RoundColumn
    rag: str
    version: int  # of the rating now (0 when not rated yet)


@dataclass
class GridPreview:
    framework: Framework
    rounds: list[RoundColumn] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


def guess_mapping(headers: list[str]) -> dict:
    code = next((i for i, h in enumerate(headers) if cells.normalise(h) in CODE_NAMES), None)
    rounds = [i for i, h in enumerate(headers) if i != code and h and cells.parse_month_end(h) is not None]
    return {"code": code, "rounds": rounds}


def clean_mapping(saved: dict, headers: list[str]) -> dict:
    def index(value):
        if isinstance(value, str) and value in headers:
            return headers.index(value)
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        return value if isinstance(value, int) and 0 <= value < len(headers) else None

    code = index(saved.get("code"))
    rounds = [i for i in (index(v) for v in saved.get("rounds", [])) if i is not None and i != code]
    return {"code": code, "rounds": sorted(set(rounds))}


def _round_columns(
    framework: Framework, sheet: Sheet, indexes: list[int], assessments: list, problems: list[Problem]
) -> list[RoundColumn]:
    """Return the round columns, each matched to its round by label or date (a new round otherwise)."""
    by_label = {cells.normalise(a.label): a for a in assessments}
    by_date = {a.assessed_on: a for a in assessments}
    rounds = []
    for index in indexes:
        label = sheet.headers[index]
        assessed_on = cells.parse_month_end(sheet.rows[0][index])
        assessment = by_label.get(cells.normalise(label)) or (
            by_date.get(assessed_on) if assessed_on else None
        )
        if assessment is None and assessed_on is None:
            message = f"“{label}” is not a round of {framework.name} nor a date (write e.g. “Feb 18”)"
            problems.append(Problem(1, label, message))
            continue
        if isinstance(sheet.rows[0][index], (datetime.date, datetime.datetime)):
            label = assessed_on.strftime("%b %y")
        rounds.append(RoundColumn(index, label[:50], assessed_on, assessment))
    return rounds


def build_preview(framework: Framework, sheet: Sheet, mapping: dict) -> GridPreview:
    """Return the ratings the grid would save and every problem; writes nothing. Four queries."""
    preview = GridPreview(framework=framework)
    headers = sheet.headers
    if mapping.get("code") is None:
        preview.problems.append(Problem(1, "Code", "Choose the column that holds the criterion codes"))
    if not mapping.get("rounds"):
        preview.problems.append(Problem(1, "Rounds", "Choose at least one column that is a round"))
    if preview.problems:
        return preview
    criteria = {cells.normalise(c.code): c for c in Criterion.objects.filter(framework=framework)}
    assessments = list(Assessment.objects.filter(framework=framework))
    ratings = {
        (rating.assessment_id, rating.criterion_id): rating
        for rating in Rating.objects.filter(assessment__framework=framework)
    }
    preview.rounds = _round_columns(framework, sheet, mapping["rounds"], assessments, preview.problems)
    seen: dict[str, int] = {}
    for number, raw in enumerate(sheet.body, start=2):
        code = cells.text(raw[mapping["code"]] if mapping["code"] < len(raw) else None)
        if not code:
            if any(cells.text(value) for value in raw):
                preview.problems.append(
                    Problem(number, headers[mapping["code"]], "Give the criterion's code")
                )
            continue
        criterion = criteria.get(cells.normalise(code))
        if criterion is None:
            preview.problems.append(
                Problem(number, headers[mapping["code"]], f"{code} is not a criterion of {framework.name}")
            )
            continue
        if code in seen:
            preview.problems.append(
                Problem(
                    number,
                    headers[mapping["code"]],
                    f"{code} is also on row {seen[code]}: each criterion once",
                )
            )
            continue
        seen[code] = number
        for column in preview.rounds:
            value = raw[column.index] if column.index < len(raw) else None
            if not cells.text(value):
                continue
            colour = cells.rag_colour(value)
            if colour not in _LETTER:
                preview.problems.append(
                    Problem(
                        number, headers[column.index], f"“{cells.text(value)}” is not Red, Amber or Green"
                    )
                )
                continue
            rating = ratings.get((column.assessment.pk, criterion.pk)) if column.assessment else None
            if rating is not None and rating.rag == _LETTER[colour]:
                preview.unchanged += 1
                continue
            if column.assessment is not None and column.assessment.is_agreed:
                preview.problems.append(
                    Problem(
                        number,
                        headers[column.index],
                        f"The round {column.assessment.label} is agreed: it cannot change",
                    )
                )
                continue
            preview.cells.append(
                Cell(number, criterion, column, _LETTER[colour], rating.version if rating else 0)
            )
    return preview


def apply_preview(preview: GridPreview, *, author) -> int:
    """Save every changed rating of a clean preview in one transaction; return how many were saved."""
    assert not preview.problems
    saved = 0
    with transaction.atomic():
        for column in preview.rounds:
            if column.assessment is None:
                column.assessment = Assessment.objects.create(
                    framework=preview.framework, label=column.label, assessed_on=column.assessed_on
                )
        for cell in preview.cells:
            try:
                current = cell.round.assessment.ratings.filter(criterion=cell.criterion).first()
                cell.round.assessment.rate(
                    criterion=cell.criterion,
                    author=author,
                    version=cell.version,
                    rag=cell.rag,
                    commentary=current.commentary if current else "",
                    next_steps=current.next_steps if current else "",
                )
            except RatingError as error:
                raise ImportAborted(f"Row {cell.row} ({cell.criterion.code}): {error}") from error
            saved += 1
    return saved
