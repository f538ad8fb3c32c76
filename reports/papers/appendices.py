"""The data of each generated appendix, as plain JSON-ready dicts: what a published paper freezes.

Each builder runs a fixed number of queries whatever the size of the plan or framework. Leads are shown
with `str()` so the appendix keeps working if leads become people rather than users.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from types import SimpleNamespace

from django.db.models import CharField, DecimalField, F, OuterRef, Subquery, Value
from django.utils.dateformat import format as date_format

from actions.models import (
    Action,
    ActionUpdate,
    ComparatorValue,
    Measure,
    MeasureTarget,
    MeasureValue,
    Organisation,
    Plan,
)
from inspections import coverage as inspection_coverage
from inspections.models import Assessment, Criterion, Finding, Rating
from reports.models import Appendix

RATING_WORDS = {"R": ("red", "Red"), "A": ("amber", "Amber"), "G": ("green", "Green")}


def day(value: datetime.date | datetime.datetime | None) -> str:
    """Return a date as the council papers print it, e.g. "12 Aug 2019"; "" for none."""
    return date_format(value, "j M Y") if value else ""


def number(value) -> str:
    """Return a decimal without trailing zeros ("42", "42.5"); "" for none."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def action_plan(appendix: Appendix) -> dict:
    """Return the plan's actions grouped by priority, with status, RAG, leads and the latest update."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    actions = (
        Action.objects.live()
        .filter(plan_id=appendix.plan_id)
        .select_related("priority", "rag")
        .annotate(
            latest_narrative=Subquery(latest.values("narrative")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("priority__order", "priority__number", "order", "reference")
    )
    if appendix.action_filter == Appendix.ActionFilter.OPEN:
        actions = actions.open()
    elif appendix.action_filter == Appendix.ActionFilter.AT_RISK:
        actions = actions.filter(rag__colour__in=["red", "amber"])
    leads, organisations = _leaders(actions)
    priorities: dict[int, dict] = {}
    for action in actions:
        group = priorities.setdefault(
            action.priority_id,
            {"number": action.priority.number, "title": action.priority.title, "actions": []},
        )
        group["actions"].append(
            {
                "reference": action.reference,
                "description": action.description,
                "leads": leads[action.pk],
                "organisations": [
                    str(org) for org in sorted(organisations[action.pk].values(), key=_by_name)
                ],
                "due": day(action.due_date),
                "status": action.get_status_display(),
                "rag_colour": action.rag.colour if action.rag else "none",
                "rag_label": action.rag.label if action.rag else "Not rated",
                "latest_update": action.latest_narrative or "",
                "latest_at": day(action.latest_at),
            }
        )
    return {
        "plan": appendix.plan.title,  # read with the appendix by the snapshot
        "filter": appendix.get_action_filter_display(),
        "include_progress": appendix.include_progress,
        "priorities": list(priorities.values()),
        "action_count": sum(len(group["actions"]) for group in priorities.values()),
    }


def _leaders(actions) -> tuple[dict[int, list[str]], dict[int, dict[int, Organisation]]]:
    """Return each action's leads' names in name order, and the organisations leading it (its lead
    organisations and its leads' own, as Action.organisations_leading), from one query whatever the actions.
    """
    selected = actions.values("pk")
    fields = ("organisation_id", "organisation__name", "organisation__short_name")
    people = Action.leads.through.objects.filter(action__in=selected).values_list(
        "action_id", "person__name", *(f"person__{field}" for field in fields)
    )
    no_name = Value(None, output_field=CharField())
    own = Action.lead_organisations.through.objects.filter(action__in=selected).values_list(
        "action_id", no_name, *fields
    )
    leads: dict[int, list[str]] = defaultdict(list)
    organisations: dict[int, dict[int, Organisation]] = defaultdict(dict)
    for action_id, person, organisation_id, name, short_name in people.union(own, all=True).order_by(
        "person__name"
    ):
        if person is not None:
            leads[action_id].append(person)
        if organisation_id is not None:
            organisations[action_id][organisation_id] = Organisation(name=name, short_name=short_name)
    return leads, organisations


def _by_name(organisation: Organisation) -> str:
    return organisation.name.lower()


def rag_matrix(appendix: Appendix) -> dict:
    """Return the framework's criteria with their ratings in the last `rounds` assessments as columns."""
    framework = appendix.framework
    rounds = list(
        Assessment.objects.filter(framework=framework).order_by("-assessed_on")[: max(appendix.rounds, 1)]
    )
    rounds.reverse()
    ratings: dict[int, dict[int, str]] = defaultdict(dict)
    for criterion_id, assessment_id, rag in Rating.objects.filter(assessment__in=rounds).values_list(
        "criterion_id", "assessment_id", "rag"
    ):
        ratings[criterion_id][assessment_id] = rag
    sections: dict[int, dict] = {}
    criteria = (
        Criterion.objects.filter(section__framework=framework)
        .select_related("section")
        .order_by("section__order", "order", "pk")
    )
    for criterion in criteria:
        section = sections.setdefault(
            criterion.section_id,
            {"code": criterion.section.code, "title": criterion.section.title, "criteria": []},
        )
        cells = []
        for assessment in rounds:
            letter = ratings[criterion.pk].get(assessment.pk, "")
            colour, word = RATING_WORDS.get(letter, ("none", "Not rated"))
            cells.append({"colour": colour, "word": word})
        section["criteria"].append({"code": criterion.code, "wording": criterion.wording, "cells": cells})
    return {
        "framework": str(framework),
        "columns": [assessment.label for assessment in rounds],
        "meanings": [
            {"colour": colour, "word": word, "meaning": framework.meaning_of(letter)}
            for letter, (colour, word) in RATING_WORDS.items()
        ],
        "sections": list(sections.values()),
    }


def kpi_tables(appendix: Appendix) -> dict:
    """Return the plan's KPIs with their values, national comparators and targets.

    The paper prints each as a chart (reports/papers/kpi_charts.py, drawn from these figures when rendered,
    so a published paper's chart never changes) followed by the same figures as a table. A national-only row
    has an empty value.
    """
    measures = Measure.objects.current().filter(plan_id=appendix.plan_id)
    own, shared = _figures(measures)
    result = []
    for measure in measures.select_related("comparator"):
        values = own[measure.pk]
        if measure.comparator_id is not None:
            values = _with_shared_series(measure, values, shared[measure.pk])
        result.append(
            {
                "name": measure.name,
                "unit": measure.get_unit_display(),
                "higher_is_better": measure.higher_is_better,
                "baseline": number(measure.baseline),
                "baseline_on": day(measure.baseline_on),
                "final_target": number(measure.final_target),
                "final_target_on": day(measure.final_target_on),
                "source": measure.source,
                "unit_code": measure.unit,
                "values": [
                    {
                        "period": day(value.period_end),
                        "period_iso": value.period_end.isoformat(),
                        "value": number(value.value),
                        "national": number(value.national),
                        # A national-only row (no local value yet) prints the comparator with its own period.
                        "national_period": value.national_period if value.national is not None else "",
                        "national_source": value.national_source if value.national is not None else "",
                        "target": number(value.target),
                    }
                    for value in values
                ],
            }
        )
    return {"measures": result}


def _figures(measures) -> tuple[dict[int, list[SimpleNamespace]], dict[int, list[SimpleNamespace]]]:
    """Return each measure's own values and its shared comparator series' figures, in period order, each
    with the measure's target for its period: one query (a union) whatever the measures and series."""

    def target(measure: str) -> Subquery:
        targets = MeasureTarget.objects.filter(measure=OuterRef(measure), period_end=OuterRef("period_end"))
        return Subquery(targets.values("target")[:1])

    fields = ("measure_id", "period_end", "value", "national", "national_period", "national_source", "target")
    values = (
        MeasureValue.objects.filter(measure__in=measures.values("pk"))
        .order_by()
        .values_list(*fields[:-1], target("measure_id"), Value(False))
    )
    series = (
        ComparatorValue.objects.annotate(measure_pk=F("series__measures"))
        .filter(measure_pk__in=measures.values("pk"))
        .order_by()
        .values_list(
            "measure_pk",
            "period_end",
            Value(None, output_field=DecimalField()),
            "value",
            "period_label",
            "source",
            target("measure_pk"),
            Value(True),
        )
    )
    own: dict[int, list[SimpleNamespace]] = defaultdict(list)
    shared: dict[int, list[SimpleNamespace]] = defaultdict(list)
    for *row, is_shared in sorted(values.union(series, all=True), key=lambda row: row[1]):
        (shared if is_shared else own)[row[0]].append(SimpleNamespace(**dict(zip(fields, row, strict=True))))
    return own, shared


def _with_shared_series(measure: Measure, values, figures) -> list[SimpleNamespace]:
    """Return the measure's periods with its shared comparator series' figures (each with its period and
    source) as the national ones; a period of the series with no local value is a national-only row."""
    rows = {
        v.period_end: SimpleNamespace(
            period_end=v.period_end,
            value=v.value,
            national=None,
            national_period="",
            national_source="",
            target=v.target,
        )
        for v in values
    }
    for figure in figures:  # national, national_period and national_source hold the series' figure
        row = rows.setdefault(
            figure.period_end, SimpleNamespace(period_end=figure.period_end, value=None, target=figure.target)
        )
        row.national = figure.national
        row.national_period = figure.national_period
        row.national_source = figure.national_source or measure.comparator.source
    return [rows[period] for period in sorted(rows)]


def coverage(appendix: Appendix) -> dict:
    """Return each finding of the plan's review that needs action, its coverage status (as the coverage page
    decides it, from every plan answering it), its actions by RAG level, and the plan's priorities on it.

    Three queries: the plan, the findings, their priorities with delivery counts (and the scales' levels).
    """
    plan = Plan.objects.select_related("review").get(pk=appendix.plan_id)
    if plan.review_id is None:
        return {"review": "", "findings": []}
    findings = Finding.objects.filter(review_id=plan.review_id, kind__in=Finding.NEEDS_ACTION)
    findings = inspection_coverage.assess(
        inspection_coverage.with_addressing(findings.order_by("order", "pk"), actions=False)
    )
    summary = inspection_coverage.summary(findings)
    return {
        "review": str(plan.review),
        "summary": {
            "on_track": summary.counts[inspection_coverage.ON_TRACK],
            "total": summary.total,
            "parts": [[label, count] for _state, label, count in summary.parts],
        },
        "findings": [
            {
                "reference": finding.reference,
                "kind": finding.get_kind_display(),
                "text": finding.text,
                "status": finding.addressing.label,
                "status_colour": finding.addressing.colour,
                "counts": [[count.colour, count.word, count.number] for count in finding.addressing.counts],
                "overdue": finding.addressing.overdue,
                "priorities": [
                    {
                        "number": priority.number,
                        "title": priority.title,
                        "actions": priority.n_open + priority.n_complete,
                        "closed": priority.n_complete,
                        "at_risk": priority.n_open_red + priority.n_open_amber,
                    }
                    for priority in finding.priorities.all()
                    if priority.plan_id == plan.pk
                ],
            }
            for finding in findings
        ],
    }


def rebaselines(appendix: Appendix) -> dict:
    """Return the plan's live actions whose due date moved: first agreed and current date, and why."""
    actions = (
        Action.objects.live()
        .filter(plan_id=appendix.plan_id, original_due_date__isnull=False)
        .exclude(original_due_date=F("due_date"))
        .order_by("priority__order", "order", "reference")
        .only("reference", "description", "original_due_date", "due_date", "rebaseline_reason")
    )
    return {
        "actions": [
            {
                "reference": action.reference,
                "description": action.description,
                "old": day(action.original_due_date),
                "new": day(action.due_date),
                "reason": action.rebaseline_reason,
            }
            for action in actions
        ]
    }


BUILDERS = {
    Appendix.Kind.ACTION_PLAN: action_plan,
    Appendix.Kind.RAG_MATRIX: rag_matrix,
    Appendix.Kind.KPI_CHARTS: kpi_tables,
    Appendix.Kind.COVERAGE: coverage,
    Appendix.Kind.REBASELINES: rebaselines,
}


def appendix_data(appendix: Appendix) -> dict:
    """Return the frozen data of one appendix: generated from live data, or its own text."""
    builder = BUILDERS.get(appendix.kind)
    data = builder(appendix) if builder else {}
    return {
        "number": appendix.number,
        "title": appendix.title,
        "kind": appendix.kind,
        "intro": appendix.body,
        "data": data,
    }
