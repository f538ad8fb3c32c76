"""The charts of the dashboards, built from reports.dashboards figures; committee papers can reuse them."""

from __future__ import annotations

import datetime

from actions.models import Measure
from reports.charts import (
    BarSeries,
    Chart,
    LineSeries,
    ReferenceLine,
    format_number,
    stacked_bar_chart,
)
from reports.dashboards import (
    NOT_RATED,
    AcrossPlans,
    MeasureFigures,
    NationalFigure,
    PlanTally,
    Round,
    Tally,
)
from reports.line_charts import line_chart

UNIT_SUFFIX = {Measure.Unit.PERCENT: "%"}
RATING_SERIES = (("G", "Green", "green"), ("A", "Amber", "amber"), ("R", "Red", "red"))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _tally_words(tally: Tally, segments: list[tuple[str, str]]) -> str:
    parts = [f"{tally.by_colour.get(colour, 0)} {label.lower()}" for colour, label in segments]
    return ", ".join(parts)


def plan_chart(entry: PlanTally) -> Chart:
    """Return a stacked bar for the whole plan and one for each priority, segments in the scale's order."""
    rows: list[tuple[str, Tally]] = [("Whole plan", entry.tally)] + [
        (f"Priority {priority.number}: {priority.title}", tally) for priority, tally in entry.priorities
    ]
    series = [
        BarSeries(
            label, "none" if colour == NOT_RATED else colour, [t.by_colour.get(colour, 0) for _, t in rows]
        )
        for colour, label in entry.segments
    ]
    tally = entry.tally
    summary = (
        f"{entry.plan.title}: {_plural(tally.total, 'action')}, {tally.percent_complete}% complete, "
        f"{tally.overdue} overdue. {_tally_words(tally, entry.segments)}."
    )
    return stacked_bar_chart(
        f"plan-{entry.plan.pk}-rag",
        f"Delivery RAG of the actions in {entry.plan.title}, by priority",
        [name for name, _ in rows],
        series,
        summary=summary,
        category_heading="Plan or priority",
    )


def plans_chart(plans: AcrossPlans) -> Chart:
    """Return one stacked bar a plan: the overview compares plans; each plan's page splits it by priority."""
    series = [
        BarSeries(label, "none" if colour == NOT_RATED else colour, [counts[i] for _, counts in plans.rows])
        for i, (colour, label) in enumerate(plans.segments)
    ]
    total = sum(entry.tally.total for entry, _ in plans.rows)
    overall = ", ".join(f"{sum(s.values)} {s.name.lower()}" for s in series)
    summary = f"{_plural(len(plans.rows), 'plan')}, {_plural(total, 'action')}: {overall}."
    return stacked_bar_chart(
        "plans-rag",
        "Delivery RAG of the actions in each plan",
        [entry.plan.title for entry, _ in plans.rows],
        series,
        summary=summary,
        category_heading="Plan",
    )


def trend_chart(entry: PlanTally, dates: list[datetime.date], counts: list[dict[str, int]]) -> Chart:
    """Return the plan's RAG counts at each date as stacked columns."""
    return _trend(f"plan-{entry.plan.pk}-trend", entry.plan.title, entry.segments, dates, counts)


def plans_trend_chart(
    segments: list[tuple[str, str]], dates: list[datetime.date], counts: list[dict[str, int]]
) -> Chart:
    """Return the RAG counts of every plan shown, added up at each date, as stacked columns."""
    return _trend("plans-trend", "every plan in delivery", segments, dates, counts)


def _trend(
    chart_id: str,
    name: str,
    segments: list[tuple[str, str]],
    dates: list[datetime.date],
    counts: list[dict[str, int]],
) -> Chart:
    labels = [_period_label(day, index == len(dates) - 1) for index, day in enumerate(dates)]
    series = [
        BarSeries(label, "none" if colour == NOT_RATED else colour, [c.get(colour, 0) for c in counts])
        for colour, label in segments
    ]
    first, last = counts[0] if counts else {}, counts[-1] if counts else {}
    summary = (
        f"{name[0].upper()}{name[1:]}: at {labels[0]}, "
        f"{', '.join(f'{first.get(c, 0)} {label.lower()}' for c, label in segments)}; "
        f"at {labels[-1].lower()}, "
        f"{', '.join(f'{last.get(c, 0)} {label.lower()}' for c, label in segments)}."
    )
    return stacked_bar_chart(
        chart_id,
        f"Delivery RAG of the actions in {name} over time",
        labels,
        series,
        summary=summary,
        horizontal=False,
        category_heading="Month end",
    )


def _period_label(day: datetime.date, is_today: bool) -> str:
    return "Today" if is_today else day.strftime("%b %Y")


def framework_chart(framework, rounds: list[Round]) -> Chart:
    """Return the red, amber and green counts of each assessment round of a framework."""
    series = [
        BarSeries(word, colour, [r.counts.get(letter, 0) for r in rounds])
        for letter, word, colour in RATING_SERIES
    ]
    first, last = rounds[0], rounds[-1]

    def words(r: Round) -> str:
        return ", ".join(f"{r.counts.get(letter, 0)} {word.lower()}" for letter, word, _ in RATING_SERIES)

    summary = (
        f"{framework.name}: {_plural(len(rounds), 'assessment round')}. "
        f"{first.assessment.label}: {words(first)}. {last.assessment.label}: {words(last)}."
    )
    return stacked_bar_chart(
        f"framework-{framework.pk}-trend",
        f"RAG ratings of the {framework.name} criteria, per assessment round",
        [r.assessment.label for r in rounds],
        series,
        summary=summary,
        horizontal=False,
        category_heading="Assessment round",
        value_label="Number of criteria",
    )


def measure_chart(figures: MeasureFigures) -> Chart:
    """Return the measure's values, national figures and milestones, with baseline and final target lines."""
    measure = figures.measure
    suffix = UNIT_SUFFIX.get(measure.unit, "")
    series = [LineSeries("Value", [(v.period_end, v.value) for v in figures.values], "blue")]
    # National figures (the measure's shared comparator series where it uses one, else its own national-only
    # rows too), each labelled with the period it refers to; a shared series' values with their source too.
    # They do not set the time axis: figures years before the first value are drawn beyond an axis break.
    national = [(v.period_end, v.national) for v in figures.national_values]
    if national:
        notes = {v.period_end: _national_note(v) for v in figures.national_values if _national_note(v)}
        name = (
            "National"
            if measure.comparator is None or measure.comparator.area == "England"
            else measure.comparator.area
        )
        series.append(
            LineSeries(name, national, "black", dash="dashed", marker="square", notes=notes, context=True)
        )
    if figures.targets:
        series.append(
            LineSeries(
                "Milestone target",
                [(t.period_end, t.target) for t in figures.targets],
                "purple",
                marker="diamond",
                line=False,
            )
        )
    references = []
    if measure.baseline is not None:
        references.append(ReferenceLine("Baseline", measure.baseline, dash="dotted"))
    if measure.final_target is not None:
        references.append(ReferenceLine("Final target", measure.final_target, dash="dashdot"))
    return line_chart(
        f"measure-{measure.pk}",
        measure.name,
        series,
        references=references,
        summary=measure_summary(figures),
        unit_suffix=suffix,
        unit_label=measure.get_unit_display(),
    )


def _national_note(value) -> str:
    """Return the words beside a national figure: its period, and for a shared series' value its source."""
    if isinstance(value, NationalFigure) and value.national_source:
        return f"{value.national_period}; source: {value.national_source}"
    return value.national_period


def measure_summary(figures: MeasureFigures) -> str:
    """Return one or two sentences a councillor can read instead of the chart."""
    measure = figures.measure
    suffix = UNIT_SUFFIX.get(measure.unit, "")
    polarity = "Higher is better" if measure.higher_is_better else "Lower is better"
    latest = figures.latest
    if latest is None:
        text = f"{polarity}. No values recorded yet."
    else:
        text = f"{polarity}. Latest value {format_number(latest.value)}{suffix} at {latest.period_end:%B %Y}"
        if figures.previous is not None:
            previous = format_number(figures.previous.value)
            text += f" ({figures.direction} than {previous}{suffix} the period before)"
        text += "."
        if measure.final_target is not None:
            text += f" Final target {format_number(measure.final_target)}{suffix}."
    if figures.national is not None:
        national = figures.national
        text += f" National figure {format_number(national.national)}{suffix} ({national_period(national)})"
        text += f", source: {national.national_source}." if national.national_source else "."
    return text


def national_period(value) -> str:
    return value.national_period or f"{value.period_end:%B %Y}"
