"""The RAG matrix: criteria by question, assessment rounds as columns, and the summary scrutiny reads.

`build_matrix` returns plain data (dataclasses, strings, dates) so a committee paper can render the same
matrix as an appendix. It runs four queries whatever the number of criteria and rounds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from django.db.models import Q

from inspections.models import Assessment, Criterion, Framework, Rag, Rating

# Higher is better: a move from red (0) to amber (1) is an improvement.
_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
WORDS = dict(Rag.choices)


@dataclass
class Column:
    pk: int
    label: str
    assessed_on: datetime.date
    agreed: bool


@dataclass
class Cell:
    rag: str  # "R", "A", "G", or "" when not rated in this round
    word: str  # "Red", "Amber", "Green" or "Not rated"
    movement: str  # "up", "down", "same", or "" (first round, or not rated either side)
    movement_word: str  # "improved from Red", "worse than Amber", "no change", ""
    commentary: str = ""
    next_steps: str = ""


@dataclass
class Row:
    criterion_pk: int
    code: str
    wording: str
    group_heading: str
    cells: list[Cell]

    @property
    def current(self) -> Cell:
        return self.cells[-1]

    @property
    def previous(self) -> Cell | None:
        return self.cells[-2] if len(self.cells) > 1 else None


@dataclass
class SectionRows:
    pk: int
    code: str
    title: str
    rows: list[Row]


@dataclass
class Summary:
    """What the seed's section 4 writes by hand, from the latest round against the one before."""

    latest: str = ""
    previous: str = ""
    red: list[Row] = field(default_factory=list)
    red_to_amber: list[Row] = field(default_factory=list)
    to_green: list[Row] = field(default_factory=list)
    worse: list[Row] = field(default_factory=list)
    amber: list[Row] = field(default_factory=list)
    green: list[Row] = field(default_factory=list)
    next_steps: list[Row] = field(default_factory=list)


@dataclass
class Matrix:
    framework_pk: int
    framework_name: str
    meanings: dict[str, str]
    columns: list[Column]
    sections: list[SectionRows]
    summary: Summary
    criterion_count: int = 0
    shown_count: int = 0
    rounds: list[Column] = field(default_factory=list)  # every round, for choosing one to compare with
    hidden_rounds: int = 0  # rounds left out of `columns`
    earlier_rounds: int = 0  # of them, before the first column
    later_rounds: int = 0  # of them, after the last column (a window of earlier rounds)

    @property
    def shown_to(self) -> int:
        """Return the number (from 1, oldest first) of the last round shown."""
        return self.earlier_rounds + len(self.columns)


def _movement(before: str, after: str) -> tuple[str, str]:
    if not before or not after:
        return "", ""
    if before == after:
        return "same", "no change"
    if _RANK[after] > _RANK[before]:
        return "up", f"improved from {WORDS[before]}"
    return "down", f"worse than {WORDS[before]}"


def build_matrix(
    framework: Framework,
    *,
    section: int | None = None,
    current: str | None = None,
    moved_since: int | None = None,
    last: int | None = None,
    window: int = 1,
) -> Matrix:
    """Return the matrix of every round of `framework` (or a window of `last`), oldest first, filtered.

    section: a section pk; current: "R", "A", "G" or "none" (not rated in the latest round);
    moved_since: an assessment pk, keeping criteria whose latest rating differs from that round's.
    last: show only the latest rounds (three years of monthly rounds are too wide to read); the ratings of
    older rounds are not read, except the one before them (the first column's movement) and `moved_since`.
    window: which `last` rounds, counted back from the latest (1: the latest `last`, 2: the `last` before
    them …); the rounds after the window are read too, for the latest ratings the filters and summary use.
    The summary always covers every criterion and the latest round, whatever the filters and the window.
    """
    every_round = list(Assessment.objects.filter(framework=framework).order_by("assessed_on"))
    assessments, start, end = _rounds_to_read(every_round, last, moved_since, window)
    hidden = len(every_round) - (end - start)
    read_from = len(every_round) - len(assessments)  # the read rounds run from there to the latest
    first, stop = start - read_from, end - read_from  # the shown ones among them
    criteria = list(
        Criterion.objects.filter(framework=framework)
        .select_related("section")
        .order_by("section__order", "order", "pk")
    )
    ratings: dict[tuple[int, int], Rating] = {
        (rating.assessment_id, rating.criterion_id): rating
        for rating in Rating.objects.filter(
            Q(assessment__in=[a.pk for a in assessments]) if hidden else Q(assessment__framework=framework)
        ).only("assessment_id", "criterion_id", "rag", "commentary", "next_steps")
    }
    columns = [Column(a.pk, a.label, a.assessed_on, a.is_agreed) for a in assessments]
    column_index = {a.pk: i for i, a in enumerate(assessments)}

    sections: dict[int, SectionRows] = {}
    all_rows: list[Row] = []
    for criterion in criteria:
        cells = _cells(criterion, assessments, ratings)
        row = Row(criterion.pk, criterion.code, criterion.wording, criterion.group_heading, cells)
        all_rows.append(row)
        if not _keep(row, criterion.section_id, section, current, column_index.get(moved_since)):
            continue
        if criterion.section_id not in sections:
            sections[criterion.section_id] = SectionRows(
                criterion.section_id, criterion.section.code, criterion.section.title, []
            )
        sections[criterion.section_id].rows.append(replace(row, cells=cells[first:stop]))  # the rounds shown

    return Matrix(
        framework_pk=framework.pk,
        framework_name=str(framework),
        meanings={rag: framework.meaning_of(rag) for rag in Rag.values},
        columns=columns[first:stop],
        sections=list(sections.values()),
        summary=_summary(all_rows, columns),
        criterion_count=len(all_rows),
        shown_count=sum(len(s.rows) for s in sections.values()),
        rounds=[Column(a.pk, a.label, a.assessed_on, a.is_agreed) for a in every_round],
        hidden_rounds=hidden,
        earlier_rounds=start,
        later_rounds=len(every_round) - end,
    )


def round_windows(rounds: list[Column], last: int) -> list[tuple[int, str]]:
    """Return each window of `last` rounds `build_matrix(window=…)` shows, latest first, with its label."""
    windows = []
    for window in range(1, -(-len(rounds) // last) + 1):
        end = len(rounds) - last * (window - 1)
        windows.append((window, f"{rounds[max(0, end - last)].label} to {rounds[end - 1].label}"))
    return windows


def _rounds_to_read(
    every_round: list[Assessment], last: int | None, moved_since: int | None, window: int = 1
) -> tuple[list[Assessment], int, int]:
    """The rounds whose ratings are read, and the slice of `every_round` shown (start, end).

    The round before the first shown one is read for the first column's movement, every round after the
    shown ones for the latest ratings, and `moved_since` wherever it falls. A window past the oldest
    rounds shows the oldest.
    """
    if not last or len(every_round) <= last:
        return every_round, 0, len(every_round)
    windows = -(-len(every_round) // last)
    end = len(every_round) - last * (min(max(window, 1), windows) - 1)
    start = max(0, end - last)
    read_from = max(0, start - 1)
    since_index = next((i for i, a in enumerate(every_round) if a.pk == moved_since), None)
    if since_index is not None:
        read_from = min(read_from, since_index)
    return every_round[read_from:], start, end


def _cells(
    criterion: Criterion, assessments: list[Assessment], ratings: dict[tuple[int, int], Rating]
) -> list[Cell]:
    """One cell per round read for `criterion`, each with its movement from the round before."""
    cells: list[Cell] = []
    before = ""
    for assessment in assessments:
        rating = ratings.get((assessment.pk, criterion.pk))
        rag = rating.rag if rating else ""
        movement, movement_word = _movement(before, rag)
        cells.append(
            Cell(
                rag=rag,
                word=WORDS.get(rag, "Not rated"),
                movement=movement,
                movement_word=movement_word,
                commentary=rating.commentary if rating else "",
                next_steps=rating.next_steps if rating else "",
            )
        )
        before = rag
    return cells


def _keep(row: Row, section_pk: int, section: int | None, current: str | None, since: int | None) -> bool:
    if section and section_pk != section:
        return False
    latest = row.cells[-1].rag if row.cells else ""
    if current == "none" and latest:
        return False
    if current in Rag.values and latest != current:
        return False
    # Kept when it moved since that round (a criterion with no rounds cannot have moved).
    return since is None or bool(row.cells and row.cells[since].rag != latest)


def _summary(rows: list[Row], columns: list[Column]) -> Summary:
    if not columns:
        return Summary()
    summary = Summary(latest=columns[-1].label, previous=columns[-2].label if len(columns) > 1 else "")
    for row in rows:
        now = row.current.rag
        before = row.previous.rag if row.previous else ""
        if now == Rag.RED:
            summary.red.append(row)
        elif now == Rag.AMBER and before == Rag.RED:
            summary.red_to_amber.append(row)
        elif now == Rag.AMBER:
            summary.amber.append(row)
        elif now == Rag.GREEN and before in (Rag.RED, Rag.AMBER):
            summary.to_green.append(row)
        elif now == Rag.GREEN:
            summary.green.append(row)
        if row.current.movement == "down":
            summary.worse.append(row)
        if row.current.next_steps and now != Rag.GREEN:
            summary.next_steps.append(row)
    return summary
