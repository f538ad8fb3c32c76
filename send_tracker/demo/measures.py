"""Four KPIs with a year of monthly values (the last twelve month-ends), national comparators and milestones.

Values and targets are dated from today so the charts always end last month. Like the update log, they are
only written for a measure that has none, so a later run never rewrites figures someone has entered.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from actions.models import Measure, MeasureTarget, MeasureValue
from send_tracker.demo.base import Demo, ensure

P = Measure.Unit.PERCENT

# name: (description, (plan, priority number), unit, higher is better, baseline, baseline date (None: the
# first value's month), final target, source, twelve monthly values oldest first, national comparator,
# milestone targets as (months from last month-end, target))
MEASURES = {
    "% of new EHC plans issued within 20 weeks": (
        "New EHC plans issued within the statutory 20 weeks, excluding exception cases.",
        ("wsoa", "3"),
        P,
        True,
        "69",
        datetime.date(2019, 3, 31),
        "85",
        "SEN2 return and case management system",
        ["52.0", "54.5", "53.8", "57.2", "59.0", "61.4", "60.8", "63.5", "66.1", "67.9", "69.6", "71.0"],
        "59.9",
        [(-6, "60"), (-3, "65"), (0, "70"), (3, "75"), (6, "80"), (9, "85")],
    ),
    "% of annual reviews completed within statutory timescales": (
        "Annual reviews held and amended plans (or decisions) issued within the statutory timescales.",
        ("wsoa", "3"),
        P,
        True,
        "41",
        None,
        "90",
        "Case management system",
        ["41.0", "43.2", "44.0", "47.5", "46.8", "51.9", "55.0", "58.3", "57.1", "61.0", "63.8", "66.2"],
        None,
        [(-6, "50"), (0, "65"), (6, "80"), (9, "90")],
    ),
    "% of audited EHC plans rated good or better": (
        "EHC plans rated good or better in the monthly multi-agency audit.",
        ("wsoa", "2"),
        P,
        True,
        "20",
        None,
        "70",
        "Multi-agency EHC plan audit",
        ["20.0", "22.0", "25.0", "24.0", "28.0", "31.0", "33.0", "35.0", "38.0", "41.0", "44.0", "46.0"],
        None,
        [(-3, "35"), (3, "50"), (9, "70")],
    ),
    "% of young people aged 16 to 25 with an EHC plan not in education, employment or training (NEET)": (
        "Lower is better. Young people aged 16 to 25 with an EHC plan whose activity is NEET.",
        ("strategy", "6"),
        P,
        False,
        "9.8",
        None,
        "6.0",
        "Client caseload information system (CCIS)",
        ["9.8", "9.6", "9.9", "9.4", "9.1", "8.8", "8.9", "8.5", "8.1", "7.9", "7.6", "7.3"],
        "7.1",
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
            national,
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
        if not measure.values.exists():
            bulk_create_with_history(
                [
                    MeasureValue(
                        measure=measure,
                        period_end=month_end(demo.today, index + 1 - len(values)),
                        value=Decimal(value),
                        national=Decimal(national) if national else None,
                        recorded_by=recorder,
                    )
                    for index, value in enumerate(values)
                ],
                MeasureValue,
                default_user=recorder,
            )
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
