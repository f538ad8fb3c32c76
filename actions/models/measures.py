"""KPI measures, their milestone targets and recorded values."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models.plans import Plan, Priority
from core.versioning import Versioned


class Unit(models.TextChoices):
    """What a measure or comparator series counts in."""

    PERCENT = "percent", "Per cent"
    NUMBER = "number", "Number"
    DAYS = "days", "Days"
    WEEKS = "weeks", "Weeks"
    RATE = "rate", "Rate per 10,000"


class ComparatorSeries(Versioned):
    """A national or comparator series, e.g. England's % of new EHC plans issued within 20 weeks.

    Entered once and compared with by any number of measures on any plan.
    """

    name = models.CharField(max_length=300, unique=True)
    area = models.CharField(
        max_length=100, default="England", help_text="e.g. England, or statistical neighbours"
    )
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="The usual publication, e.g. DfE SEN2; each value keeps its own.",
    )
    history = HistoricalRecords()

    stale_message = (
        "Someone else changed this series since you opened the page. Nothing was saved: check their changes, "
        "then save again."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "comparator series"

    def __str__(self) -> str:
        return f"{self.name} ({self.area})"

    def record_values(self, *, version: int, rows: list[dict]) -> list[ComparatorValue]:
        """Record or correct several periods ({period_end, period_label, value, source}) in one save.

        Made against the series' `version`: a stale one raises StaleVersionError and writes nothing.
        Unchanged rows are skipped; values are changed, never deleted.
        """
        existing = {v.period_end: v for v in self.values.all()}
        saved = []
        with transaction.atomic():
            self.claim_version(version)
            # A real save, so the series' history records who entered the values and when.
            self.save(update_fields=["version"])
            for row in rows:
                current = existing.get(row["period_end"]) or ComparatorValue(
                    series=self, period_end=row["period_end"]
                )
                fields = ("period_label", "value", "source")
                if current.pk and all(getattr(current, f) == row[f] for f in fields):
                    continue
                for name in fields:
                    setattr(current, name, row[name])
                current.full_clean()
                current.save()
                saved.append(current)
        return saved


class ComparatorValue(models.Model):
    """One period of a comparator series, with the period as published and its own source."""

    series = models.ForeignKey(ComparatorSeries, on_delete=models.PROTECT, related_name="values")
    period_end = models.DateField(help_text="The date the period ends, for ordering and charts.")
    period_label = models.CharField(
        "period", max_length=60, help_text='The period as published, e.g. "2023" or "2023/24".'
    )
    value = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(max_length=300, blank=True, help_text="The publication this figure comes from.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["series", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["series", "period_end"], name="one_value_per_series_period"),
        ]

    def __str__(self) -> str:
        return f"{self.series.name}: {self.value} ({self.period_label})"


class MeasureQuerySet(models.QuerySet):
    def current(self) -> MeasureQuerySet:
        """Return the measures not retired: what dashboards, grids and papers show."""
        return self.filter(retired_at__isnull=True)


class Measure(Versioned):
    """A KPI with its baseline, final target and milestone targets; values are recorded over time."""

    Unit = Unit

    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="measures")
    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    # No default: whoever adds a KPI must say which way is better (a silent "higher" misreads waiting times).
    higher_is_better = models.BooleanField(
        "which way is better", choices=[(True, "Higher is better"), (False, "Lower is better")]
    )
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_on = models.DateField(null=True, blank=True)
    final_target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    final_target_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="Where the figures come from.")
    comparator = models.ForeignKey(
        ComparatorSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name="compared with",
        help_text="A national or comparator series shared with other measures.",
    )
    order = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Retired measures keep their values but are not shown.",
    )
    history = HistoricalRecords()

    objects = MeasureQuerySet.as_manager()

    # What a plan lead sets in the app (create and edit_definition).
    DEFINITION_FIELDS = (
        "name",
        "description",
        "plan",
        "priority",
        "unit",
        "higher_is_better",
        "baseline",
        "baseline_on",
        "final_target",
        "final_target_on",
        "source",
        "comparator",
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.priority_id and self.plan_id and self.priority.plan_id != self.plan_id:
            raise ValidationError({"priority": "Choose a priority of the plan this measure evidences."})
        if self.priority_id and not self.plan_id:
            raise ValidationError({"plan": "Choose the plan of the priority."})

    @classmethod
    def define(cls, *, targets: dict | None = None, **fields) -> Measure:
        """Create a measure from its definition and milestone targets ({period_end: {target, label}}).

        Raises ValidationError (writing nothing) for a definition that breaks a rule.
        """
        unknown = set(fields) - set(cls.DEFINITION_FIELDS)
        if unknown:
            raise ValueError(f"Not settable here: {sorted(unknown)}")
        measure = cls(**fields)
        measure.full_clean()
        with transaction.atomic():
            measure.save()
            measure._save_targets(targets)
        return measure

    def retire(self, *, version: int) -> None:
        """Retire the measure (kept with its values and history, no longer shown), made against `version`."""
        if self.retired_at is not None:
            raise ValidationError("This measure is already retired.")
        self.retired_at = timezone.now()
        self.save_edit(version=version, fields=["retired_at"])

    def _save_targets(self, targets: dict | None) -> None:
        for period_end, target in (targets or {}).items():
            defaults = target if isinstance(target, dict) else {"target": target}
            MeasureTarget.objects.update_or_create(measure=self, period_end=period_end, defaults=defaults)

    def record_values(self, *, author, version: int, rows: list[dict]) -> list[MeasureValue]:
        """Record or correct values (period_end, value, national, national_period/source, note) at `version`.

        A row whose figures are unchanged is skipped; every other row is stamped with who and when. The whole
        grid is saved or nothing is: a stale version raises StaleVersionError and writes nothing.
        """
        now = timezone.now()
        existing = {v.period_end: v for v in self.values.all()}
        saved = []
        with transaction.atomic():
            self.claim_version(version)
            for row in rows:
                current = existing.get(row["period_end"]) or MeasureValue(
                    measure=self, period_end=row["period_end"], version=0
                )
                fields = ("value", "national", "national_period", "national_source", "note")
                if current.pk and all(getattr(current, f) == row.get(f, getattr(current, f)) for f in fields):
                    continue
                for name in fields:
                    if name in row:
                        setattr(current, name, row[name])
                current.recorded_by = author
                current.recorded_at = now
                current.version += 1
                current.save()
                saved.append(current)
        return saved

    def edit_definition(
        self, *, version: int, targets: dict | None = None, labels: dict | None = None, **fields
    ) -> None:
        """Change the definition (unit, polarity, baseline, final target, source...) and milestone targets.

        `targets` maps period_end to a milestone target (or {target, label}), made against `version`; `labels`
        maps period_end to the milestone's label ("M1") where one is known (the import's form). Milestones are
        added or changed, never deleted (nothing is hard-deleted from the UI).
        """
        labels = labels or {}
        with transaction.atomic():
            self.claim_version(self._definition_version(version))
            for name, value in fields.items():
                setattr(self, name, value)
            self.full_clean()
            self.save()
            labelled = {
                day: {"target": target, "label": labels[day]} if day in labels else target
                for day, target in (targets or {}).items()
            }
            self._save_targets(labelled)

    def _definition_version(self, version: int) -> int:
        """Return the version a definition edit made against `version` claims; locks the row until commit.

        Recording values moves the version on without changing the definition (and writes no history row),
        so an edit loaded before that is not stale: it claims the version as it is now. Any save of the
        definition since (a history row after `version`) leaves `version`, which the claim then refuses.
        """
        stored = type(self)._default_manager.select_for_update().filter(pk=self.pk)
        now = stored.values_list("version", flat=True).first()
        if now is None or now < version or self.history.filter(version__gt=version).exists():
            return version
        return now


class MeasureTarget(models.Model):
    """A milestone target for one period."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="targets")
    period_end = models.DateField()
    target = models.DecimalField(max_digits=12, decimal_places=2)
    label = models.CharField(max_length=20, blank=True, help_text='The milestone\'s own name, e.g. "M1".')
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_end"], name="one_target_per_measure_period"),
        ]

    def __str__(self) -> str:
        label = f"{self.label} " if self.label else ""
        return f"{self.measure}: {label}{self.target} by {self.period_end}"


class MeasureValue(models.Model):
    """The value of a KPI for one period, with the national comparator where there is one."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="values")
    period_end = models.DateField()
    # Empty on a national-only row: a comparator published for a period with no local figure.
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    national = models.DecimalField(
        "national comparator", max_digits=12, decimal_places=2, null=True, blank=True
    )
    national_period = models.CharField(
        "period of the national figure",
        max_length=60,
        blank=True,
        help_text='National figures are published later and for their own period, e.g. "2023" or "2023/24".',
    )
    national_source = models.CharField(
        "source of the national figure",
        max_length=300,
        blank=True,
        help_text="The publication the national figure comes from, e.g. DfE SEN2 2024.",
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_end"], name="one_value_per_measure_period"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} at {self.period_end}"
