"""The KPI appendix's charts, drawn from a paper's snapshot (not live data) with reports.charts.

The snapshot holds the figures as printed ("42.5", "" for none) and each period's date; a chart is rebuilt
from them whenever the paper is rendered, so a published paper's chart shows exactly its frozen figures.
Every chart comes with its words (the SVG's title and description, and a caption the PDF tags) and the
appendix prints the same figures as a table after it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from reports.charts import Chart, LineSeries, ReferenceLine, format_number
from reports.line_charts import line_chart

UNIT_SUFFIX = {"percent": "%"}


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _period(value: dict) -> datetime.date:
    """Return a value's period end: stored as ISO, or (older snapshots) parsed from its printed form."""
    if value.get("period_iso"):
        return datetime.date.fromisoformat(value["period_iso"])
    return datetime.datetime.strptime(value["period"], "%d %b %Y").date()


def _points(values: list[dict], key: str) -> list[tuple[datetime.date, Decimal]]:
    points = [(_period(value), _decimal(value[key])) for value in values if value.get(key)]
    return sorted((period, figure) for period, figure in points if figure is not None)


def summary(measure: dict, values: list[tuple[datetime.date, Decimal]], national) -> str:
    """Return what the chart shows in a sentence or two: polarity, latest value, target, national figure."""
    suffix = UNIT_SUFFIX.get(measure.get("unit_code", ""), "")
    text = "Higher is better." if measure["higher_is_better"] else "Lower is better."
    if not values:
        text += " No local values recorded yet."
    else:
        period, latest = values[-1]
        text += f" Latest value {format_number(latest)}{suffix} at {period:%B %Y}"
        if len(values) > 1:
            previous = values[-2][1]
            better = (latest > previous) == measure["higher_is_better"]
            change = "no change from" if latest == previous else ("better than" if better else "worse than")
            text += f" ({change} {format_number(previous)}{suffix} the period before)"
        text += "."
    if measure.get("final_target"):
        text += f" Final target {measure['final_target']}{suffix}"
        text += f" by {measure['final_target_on']}." if measure.get("final_target_on") else "."
    if national:
        period, figure = national[-1]
        text += f" Latest national figure {format_number(figure)}{suffix} ({period:%B %Y})."
    return text


def measure_chart(measure: dict, chart_id: str) -> Chart:
    """Return one KPI's line chart (value, national, milestone targets; baseline and final target lines)."""
    values = _points(measure["values"], "value")
    national = _points(measure["values"], "national")
    targets = _points(measure["values"], "target")
    series = [LineSeries("Value", values, "blue")]
    if national:
        series.append(LineSeries("National", national, "black", dash="dashed", marker="square", context=True))
    if targets:
        series.append(LineSeries("Milestone target", targets, "purple", marker="diamond", line=False))
    references = []
    if (baseline := _decimal(measure.get("baseline", ""))) is not None:
        references.append(ReferenceLine("Baseline", baseline, dash="dotted"))
    if (final_target := _decimal(measure.get("final_target", ""))) is not None:
        references.append(ReferenceLine("Final target", final_target, dash="dashdot"))
    return line_chart(
        chart_id,
        measure["name"],
        series,
        references=references,
        summary=summary(measure, values, national),
        unit_suffix=UNIT_SUFFIX.get(measure.get("unit_code", ""), ""),
        unit_label=measure.get("unit", ""),
    )


def appendix_charts(appendix: dict) -> list[dict]:
    """Return each measure of a KPI appendix with its chart, ids unique within the paper."""
    return [
        {"measure": measure, "chart": measure_chart(measure, f"appendix-{appendix['number']}-kpi-{index}")}
        for index, measure in enumerate(appendix["data"].get("measures", []), start=1)
    ]
