# Quoted and cited wording reads best one sentence to a line.
# ruff: noqa: E501
"""Four KPIs of the live (illustrative) plan: a year of monthly values, milestones and national comparators.

The local values, baselines and targets are illustrative (generated), dated from the as-of date so the charts
end last month; each measure's source says so. National comparators are England's published figures for the
period they refer to, as national-only rows (no local value) with that period and the publication: a month
after it carries no national figure rather than repeating an old one. Only the 20-week timeliness measure has
a published national figure; the others have none. Like the update log, values are only written for a
measure that has none, so a later run never rewrites figures someone has entered.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from actions.models import Measure, MeasureTarget, MeasureValue
from demo.base import Demo, ensure

P = Measure.Unit.PERCENT

ILLUSTRATIVE_SOURCE = "Illustrative: generated for the demonstration (a real area would name its return here)"
DFE_EHC_PLANS = "DfE, Education, health and care plans (England), reporting year {}: new EHC plans issued within 20 weeks, excluding exceptions"

# National comparators: measure name -> [(period end, figure, period, source)].
NATIONAL = {
    "% of new EHC plans issued within 20 weeks": [
        (datetime.date(2019, 12, 31), "60.4", "2019 (calendar year)", DFE_EHC_PLANS.format(2020)),
        (datetime.date(2023, 12, 31), "50.3", "2023 (calendar year)", DFE_EHC_PLANS.format(2024)),
    ],
}

# name: (description, (plan, priority number), unit, higher is better, baseline, baseline date (None: the
# first value's month), final target, source, twelve monthly values oldest first, (unused),
# milestone targets as (months from last month-end, target))
MEASURES = {
    "% of new EHC plans issued within 20 weeks": (
        "New EHC plans issued within the statutory 20 weeks, excluding exception cases.",
        ("improvement", "3"),
        P,
        True,
        "52",
        None,
        "85",
        ILLUSTRATIVE_SOURCE,
        ["52.0", "54.5", "53.8", "57.2", "59.0", "61.4", "60.8", "63.5", "66.1", "67.9", "69.6", "71.0"],
        None,
        [(-6, "60"), (-3, "65"), (0, "70"), (3, "75"), (6, "80"), (9, "85")],
    ),
    "% of annual reviews completed within statutory timescales": (
        "Annual reviews held and amended plans (or decisions) issued within the statutory timescales.",
        ("improvement", "3"),
        P,
        True,
        "41",
        None,
        "90",
        ILLUSTRATIVE_SOURCE,
        ["41.0", "43.2", "44.0", "47.5", "46.8", "51.9", "55.0", "58.3", "57.1", "61.0", "63.8", "66.2"],
        None,
        [(-6, "50"), (0, "65"), (6, "80"), (9, "90")],
    ),
    "% of audited EHC plans rated good or better": (
        "EHC plans rated good or better in the monthly multi-agency audit.",
        ("improvement", "2"),
        P,
        True,
        "20",
        None,
        "70",
        ILLUSTRATIVE_SOURCE,
        ["20.0", "22.0", "25.0", "24.0", "28.0", "31.0", "33.0", "35.0", "38.0", "41.0", "44.0", "46.0"],
        None,
        [(-3, "35"), (3, "50"), (9, "70")],
    ),
    "% of young people aged 16 to 25 with an EHC plan not in education, employment or training (NEET)": (
        "Lower is better. Young people aged 16 to 25 with an EHC plan whose activity is NEET.",
        ("improvement", "3"),
        P,
        False,
        "9.8",
        None,
        "6.0",
        ILLUSTRATIVE_SOURCE,
        ["9.8", "9.6", "9.9", "9.4", "9.1", "8.8", "8.9", "8.5", "8.1", "7.9", "7.6", "7.3"],
        None,
        [(-6, "9.0"), (0, "8.0"), (6, "7.0"), (9, "6.0")],
    ),
}


def month_end(today: datetime.date, months: int) -> datetime.date:
    """Return the last day of the month `months` after the last complete month before `today`."""
    index = today.year * 12 + (today.month - 1) - 1 + months
    year, month = divmod(index, 12)
    first_of_next = datetime.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def build(demo: Demo) -> None:
    """Create the measures, and their values and milestone targets when they have none."""
    recorder = demo.user("neil.foster")
    for order, (name, row) in enumerate(MEASURES.items(), start=1):
        (
            description,
            (plan, number),
            unit,
            higher,
            baseline,
            baseline_on,
            final,
            source,
            values,
            _national,
            targets,
        ) = row
        first = month_end(demo.today, 1 - len(values))
        measure = ensure(
            Measure,
            {"name": name},
            {
                "description": description,
                "plan": demo.plans[plan],
                "priority": demo.priorities[(plan, number)],
                "unit": unit,
                "higher_is_better": higher,
                "baseline": Decimal(baseline),
                "final_target": Decimal(final),
                "source": source,
                "order": order,
            },
            on_create={
                "baseline_on": baseline_on or first,
                "final_target_on": month_end(demo.today, max(months for months, _ in targets)),
            },
        )
        demo.illustrative(measure, "Definition, baseline, targets and local values illustrative.")
        if not measure.values.exists():
            local = [
                MeasureValue(
                    measure=measure,
                    period_end=month_end(demo.today, index + 1 - len(values)),
                    value=Decimal(value),
                    note="Illustrative figure.",
                    recorded_by=recorder,
                )
                for index, value in enumerate(values)
            ]
            months = {row.period_end for row in local}
            national = [
                MeasureValue(
                    measure=measure,
                    period_end=period_end,
                    value=None,
                    national=Decimal(figure),
                    national_period=period,
                    national_source=publication,
                    recorded_by=recorder,
                )
                for period_end, figure, period, publication in NATIONAL.get(name, [])
                if period_end not in months
            ]
            bulk_create_with_history([*national, *local], MeasureValue, default_user=recorder)
        if not measure.targets.exists():
            bulk_create_with_history(
                [
                    MeasureTarget(
                        measure=measure, period_end=month_end(demo.today, months), target=Decimal(target)
                    )
                    for months, target in targets
                ],
                MeasureTarget,
                default_user=demo.user("lead"),
            )
