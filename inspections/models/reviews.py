"""The review chain: reviews and inspections, what followed each, their findings and revisit judgements."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.versioning import Versioned

if TYPE_CHECKING:
    from inspections.models.frameworks import Framework


class Review(Versioned):
    """A step of the review chain: a peer review, inspection, revisit, self-evaluation, or what followed one.

    `follows_up` links each step to the one it answers, so "inspection → revisit → statutory direction"
    reads as one chain.
    """

    class Kind(models.TextChoices):
        PEER_REVIEW = "peer_review", "Peer review"
        INSPECTION = "inspection", "Ofsted/CQC local area inspection"
        REVISIT = "revisit", "Revisit or monitoring visit"
        SELF_EVALUATION = "self_evaluation", "Self-evaluation"
        STATUTORY_DIRECTION = "statutory_direction", "DfE statutory direction"
        IMPROVEMENT_NOTICE = "improvement_notice", "Improvement notice"
        DFE_NHSE_REVIEW = "dfe_nhse_review", "DfE or NHS England review"

    # Steps that are not reviews of the area but consequences of one: they carry conditions, not findings.
    CONSEQUENCES = (Kind.STATUTORY_DIRECTION, Kind.IMPROVEMENT_NOTICE)

    class Outcome(models.TextChoices):
        NONE = "", "Not yet known"
        NO_WSOA = "no_wsoa", "No written statement of action required"
        WSOA = "wsoa", "Written statement of action required"
        POSITIVE = "positive", "Typically positive experiences and outcomes"
        INCONSISTENT = "inconsistent", "Inconsistent experiences and outcomes"
        SYSTEMIC = "systemic", "Widespread and/or systemic failings"
        SUFFICIENT_PROGRESS = "sufficient_progress", "Sufficient progress made"
        INSUFFICIENT_PROGRESS = "insufficient_progress", "Insufficient progress made"

    class PlanKind(models.TextChoices):
        """The plan a review requires; values are the actions app's plan kinds (it is above this app)."""

        NONE = "", "None required"
        WSOA = "wsoa", "Written statement of action"
        ACCELERATED_PROGRESS = "accelerated_progress", "Accelerated progress plan"
        PRIORITY_ACTION_PLAN = "priority_action_plan", "Priority action plan"
        IMPROVEMENT = "improvement", "Improvement plan"
        PEER_REVIEW = "peer_review", "Peer review action plan"

    # Each framework's own words: a 2016 term never appears on a 2023 review, nor the reverse. The
    # framework is told by the outcomes it allows (frameworks are data; their outcomes say which one).
    PLAN_KINDS_2016 = (PlanKind.WSOA, PlanKind.ACCELERATED_PROGRESS)
    PLAN_KINDS_2023 = (PlanKind.PRIORITY_ACTION_PLAN, PlanKind.IMPROVEMENT)
    PLAN_KINDS_OTHER = (PlanKind.PEER_REVIEW, PlanKind.IMPROVEMENT, PlanKind.ACCELERATED_PROGRESS)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    lead_body = models.CharField(
        "reviewers / lead body",
        max_length=300,
        blank=True,
        help_text="e.g. Ofsted and CQC, or the peer councils",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    report_published_on = models.DateField(null=True, blank=True)
    focus_question = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField(blank=True)
    report_title = models.CharField("report title", max_length=300, blank=True)
    report_url = models.URLField("link to the report", max_length=500, blank=True)
    plan_required = models.CharField(
        "plan it requires", max_length=30, choices=PlanKind.choices, blank=True, default=""
    )
    # The column keeps its first name; forms and pages label it in the review's framework's terms
    # (plan_due_label), so a 2023 review reads "Priority action plan due".
    wsoa_due_on = models.DateField(
        "plan submission due",
        null=True,
        blank=True,
        help_text="Submission deadline for the plan the review requires.",
    )
    revisit_due_on = models.DateField("revisit due", null=True, blank=True)
    framework = models.ForeignKey(
        "Framework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        help_text="The framework the area was judged under; its outcome must be one the framework allows.",
    )
    follows_up = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text="The review this one follows up, e.g. the inspection a revisit or direction follows.",
    )
    conditions = models.TextField(
        blank=True, help_text="For a statutory direction or improvement notice: what it requires, by when."
    )
    history = HistoricalRecords()

    stale_message = (
        "Someone else changed this review since you opened the page. "
        "Nothing was saved: check their changes below, then save again."
    )

    # What a plan lead may add after a review in the app: a follow-up review or a consequence of one.
    STEP_KINDS = (Kind.REVISIT, Kind.INSPECTION, Kind.STATUTORY_DIRECTION, Kind.IMPROVEMENT_NOTICE)
    # Fields a plan lead may change in the app (Review.edit); kind, framework and the chain stay as made.
    EDITABLE_FIELDS = (
        "title",
        "lead_body",
        "start_date",
        "end_date",
        "report_published_on",
        "report_title",
        "report_url",
        "outcome",
        "outcome_detail",
        "plan_required",
        "wsoa_due_on",
        "revisit_due_on",
        "conditions",
    )

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="review_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%B %Y})"

    def clean(self) -> None:
        errors = {}
        if self.follows_up_id and self.pk and self.follows_up_id == self.pk:
            errors["follows_up"] = "A review cannot follow itself up."
        if self.follows_up_id and self.pk:
            step, seen = self.follows_up, {self.pk}
            while step is not None:
                if step.pk in seen:
                    errors["follows_up"] = "This would make the review chain a loop."
                    break
                seen.add(step.pk)
                step = step.follows_up
        if self.framework_id and self.outcome and not self.framework.allows_outcome(self.outcome):
            errors["outcome"] = f"The {self.framework} does not have this outcome."
        if self.plan_required and self.plan_required not in self.allowed_plan_kinds():
            errors["plan_required"] = (
                f"Under this framework the plan is one of: {', '.join(self.allowed_plan_labels())}."
            )
        if self.kind in self.CONSEQUENCES and self.outcome:
            errors["outcome"] = "A statutory direction or improvement notice has conditions, not an outcome."
        if self.follows_up_id and self.start_date and self.start_date < self.follows_up.start_date:
            errors["start_date"] = (
                f"A step cannot start before the review it follows up "
                f"({self.follows_up.start_date:%-d %B %Y})."
            )
        if errors:
            raise ValidationError(errors)

    def framework_edition(self) -> str:
        """Return "2016", "2023" or "" (no national framework), told by the outcomes the framework allows."""
        return self.framework.edition() if self.framework_id else ""

    def allowed_plan_kinds(self) -> tuple[str, ...]:
        """Return the plan kinds this review may require, in its framework's terms."""
        return {"2016": self.PLAN_KINDS_2016, "2023": self.PLAN_KINDS_2023}.get(
            self.framework_edition(), self.PLAN_KINDS_OTHER
        )

    def allowed_plan_labels(self) -> list[str]:
        return [str(self.PlanKind(kind).label) for kind in self.allowed_plan_kinds()]

    @property
    def plan_due_label(self) -> str:
        """Return the due date's label in the framework's terms, e.g. "Priority action plan due"."""
        kind = self.plan_required or self.allowed_plan_kinds()[0]
        if self.framework_edition() == "" and not self.plan_required:
            return "Action plan due"
        return f"{self.PlanKind(kind).label} due"

    @classmethod
    def record(cls, *, kind: str, framework: Framework | None, **fields) -> Review:
        """Record a new review of any kind, judged under `framework` (None for a peer review, say).

        Raises ValidationError (writing nothing) for a review that breaks a rule, e.g. an outcome or a plan
        its framework does not have.
        """
        unknown = set(fields) - set(cls.EDITABLE_FIELDS) - {"focus_question", "summary"}
        if unknown:
            raise ValueError(f"Not settable here: {sorted(unknown)}")
        review = cls(kind=kind, framework=framework, **fields)
        review.full_clean()
        review.save()
        return review

    def add_findings(self, rows: list[dict]) -> list[Finding]:
        """Add findings ({kind, theme, reference, text}) after the review's last, in the order given.

        All or nothing: raises ValidationError naming the first refused row (e.g. a reference the review
        already has) and writes none of them.
        """
        with transaction.atomic():
            # Serialises additions to one review, so two pastes never share an order number.
            Review.objects.select_for_update().filter(pk=self.pk).values_list("pk", flat=True).get()
            last = self.findings.aggregate(last=models.Max("order"))["last"] or 0
            created = []
            seen: set[str] = set()
            for offset, row in enumerate(rows, start=1):
                finding = Finding(review=self, order=last + offset, **row)
                try:
                    if finding.reference and finding.reference in seen:
                        raise ValidationError({"reference": "This reference appears twice."})
                    finding.full_clean()
                except ValidationError as error:
                    label = finding.reference or f"Paragraph {offset}"
                    raise ValidationError(f"{label}: {' '.join(error.messages)}") from error
                seen.add(finding.reference)
                finding.save()
                created.append(finding)
        return created

    # The one write path for chain steps and revisit judgements entered in the app.

    def edit(self, *, version: int, **changes) -> None:
        """Change the given fields of this review, made against `version`; the one write path in the app.

        Raises ValidationError (writing nothing) for a change that breaks a rule of the review, and
        StaleVersionError (writing nothing) if someone else saved the review since `version`.
        """
        unknown = set(changes) - set(self.EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"Not editable here: {sorted(unknown)}")
        for name, value in changes.items():
            setattr(self, name, value)
        self.full_clean()
        self.save_edit(version=version, fields=list(changes))

    def add_step(self, *, version: int, kind: str, **fields) -> Review:
        """Add a step after this review (a revisit, a re-inspection, a statutory direction or an
        improvement notice), made against this review's `version`: if the review changed since the form
        was loaded (e.g. its outcome), the step is refused with StaleVersionError and nothing is written.

        A follow-up review is judged under this review's framework; a consequence carries conditions.
        """
        if kind not in self.STEP_KINDS:
            raise ValidationError({"kind": "Choose a revisit, inspection, statutory direction or notice."})
        unknown = set(fields) - set(self.EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"Not settable here: {sorted(unknown)}")
        step = Review(kind=kind, follows_up=self, **fields)
        if kind not in self.CONSEQUENCES:
            step.framework_id = self.framework_id
        step.full_clean()
        with transaction.atomic():
            self.check_version(version)
            step.save()
        return step

    def weaknesses_to_judge(self) -> models.QuerySet[Finding]:
        """Return the areas of weakness of the review this one follows up, in report order."""
        if not self.follows_up_id:
            return Finding.objects.none()
        return (
            Finding.objects.current()
            .filter(review_id=self.follows_up_id, kind__in=Finding.JUDGED)
            .order_by("order", "pk")
        )

    def judge(self, *, finding: Finding, version: int, judgement: str, evidence: str) -> RevisitJudgement:
        """Record this revisit's judgement on one area of weakness, made against the judgement's
        `version` (0: not judged yet); the one write path in the app.

        Raises ReviewError for a weakness this review cannot judge or an unknown judgement, and
        StaleVersionError when someone else saved the judgement since `version`: nothing is overwritten.
        """
        if not self.follows_up_id or finding.review_id != self.follows_up_id:
            raise ReviewError("Judge an area of weakness of the review this one follows up.")
        if finding.kind not in Finding.JUDGED:
            raise ReviewError("Only areas of weakness (or for priority action) are judged on a revisit.")
        if judgement not in RevisitJudgement.Judgement.values:
            raise ReviewError("Choose sufficient or insufficient progress.")
        return RevisitJudgement.save_at_version(
            {"revisit": self, "finding": finding},
            version,
            {"judgement": judgement, "evidence": evidence, "order": finding.order},
        )


class ReviewError(Exception):
    """A change to a review, chain step or judgement was refused; the message says why."""


# A reference as reports print them before a finding's text: "API1", "R1.3", "ASW2", "AFI1a", followed by an
# optional ".", ":" or ")" and a space. Plain list numbers ("1.") are not references.
PASTED_REFERENCE = re.compile(
    r"(?P<reference>[A-Z]{1,6}\d+(?:\.\d+)*[a-z]?)[.:)]?\s+(?P<text>\S.*)", re.DOTALL
)


def split_pasted_findings(pasted: str) -> list[tuple[str, str]]:
    """Return (reference, text) for each paragraph of `pasted`, the reference split off where it leads.

    Paragraphs are separated by blank lines; lines inside one are joined (text pasted from a PDF breaks
    lines mid-sentence). Text without any blank line is one finding per line.
    """
    text = pasted.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return []
    if re.search(r"\n\s*\n", text):
        paragraphs = [
            " ".join(line.strip() for line in block.splitlines()) for block in re.split(r"\n\s*\n", text)
        ]
    else:
        paragraphs = text.splitlines()
    rows = []
    for paragraph in (p.strip() for p in paragraphs):
        if not paragraph:
            continue
        match = PASTED_REFERENCE.fullmatch(paragraph)
        if match and len(match["reference"]) <= 20:
            rows.append((match["reference"], match["text"].strip()))
        else:
            rows.append(("", paragraph))
    return rows


class FindingQuerySet(models.QuerySet):
    def current(self) -> FindingQuerySet:
        """Return the findings not retired: what pages, coverage and revisits read."""
        return self.filter(retired_at__isnull=True)

    def matching(self, query: str) -> FindingQuerySet:
        """Return findings whose reference, text or theme holds `query`; an exact reference comes first."""
        query = query.strip()
        if not query:
            return self.none()
        exact = models.Case(
            models.When(reference__iexact=query, then=models.Value(0)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        )
        return (
            self.filter(Q(reference__icontains=query) | Q(text__icontains=query) | Q(theme__icontains=query))
            .annotate(exact_reference=exact)
            .order_by("exact_reference", "-review__start_date", "review", "order", "pk")
        )


class Finding(Versioned):
    stale_message = (
        "Someone else changed this finding since you opened the page. "
        "Nothing was saved: check their changes below, then save again."
    )

    class Kind(models.TextChoices):
        STRENGTH = "strength", "Key strength"
        GOOD_PRACTICE = "good_practice", "Good practice to share"
        RECOMMENDATION = "recommendation", "Recommendation"
        SIGNIFICANT_WEAKNESS = "significant_weakness", "Area of significant weakness"
        AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
        # The 2023 framework's worst outcome names these; they are not areas for improvement.
        AREA_FOR_PRIORITY_ACTION = "area_for_priority_action", "Area for priority action"

    # Kinds that need something done about them: the traceability check asks each is covered by a priority.
    NEEDS_ACTION = (
        Kind.RECOMMENDATION,
        Kind.SIGNIFICANT_WEAKNESS,
        Kind.AREA_FOR_PRIORITY_ACTION,
        Kind.AREA_FOR_IMPROVEMENT,
    )
    # Kinds a revisit or monitoring inspection judges progress on.
    JUDGED = (Kind.SIGNIFICANT_WEAKNESS, Kind.AREA_FOR_PRIORITY_ACTION)
    # The order a report gives its kinds in, used to group a review's findings.
    KIND_ORDER = (
        Kind.STRENGTH,
        Kind.GOOD_PRACTICE,
        Kind.SIGNIFICANT_WEAKNESS,
        Kind.AREA_FOR_PRIORITY_ACTION,
        Kind.AREA_FOR_IMPROVEMENT,
        Kind.RECOMMENDATION,
    )

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    theme = models.CharField(max_length=300, blank=True, help_text="Heading the review groups this under.")
    reference = models.CharField(max_length=20, blank=True, help_text="e.g. R1.2 or ASW1")
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Retired findings are kept but no longer shown."
    )
    history = HistoricalRecords()

    objects = FindingQuerySet.as_manager()

    EDITABLE_FIELDS = ("kind", "theme", "reference", "text")

    class Meta:
        ordering = ["review", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reference"],
                condition=~Q(reference=""),
                name="finding_reference_unique_in_review",
            ),
        ]

    def __str__(self) -> str:
        label = self.reference or self.get_kind_display()
        return f"{label}: {self.text[:80]}"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def edit(self, *, version: int, **changes) -> None:
        """Change the finding's kind, theme, reference or text, made against `version`.

        Raises ValidationError (e.g. a reference the review already has) or StaleVersionError, writing
        nothing either way.
        """
        unknown = set(changes) - set(self.EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"Not editable here: {sorted(unknown)}")
        for name, value in changes.items():
            setattr(self, name, value)
        self.full_clean()
        self.save_edit(version=version, fields=list(changes))

    def move(self, *, version: int, up: bool) -> bool:
        """Swap this finding with the one before (`up`) or after it among the review's current findings.

        Made against this finding's `version` (StaleVersionError if it changed); returns False when it is
        already first or last. The review's findings are renumbered 1, 2, 3… so equal orders cannot stick.
        """
        with transaction.atomic():
            Review.objects.select_for_update().filter(pk=self.review_id).values_list("pk", flat=True).get()
            self.claim_version(version)
            siblings = list(
                Finding.objects.current().filter(review_id=self.review_id).order_by("order", "pk")
            )
            index = next(i for i, f in enumerate(siblings) if f.pk == self.pk)
            other = index - 1 if up else index + 1
            if not 0 <= other < len(siblings):
                return False
            siblings[index], siblings[other] = siblings[other], siblings[index]
            for position, finding in enumerate(siblings, start=1):
                if finding.order != position:
                    finding.order = position
                    # A real save per moved finding, so each one's history records the move.
                    finding.save(update_fields=["order"])
            self.order = siblings.index(next(f for f in siblings if f.pk == self.pk)) + 1
        return True

    def retire(self, *, version: int) -> None:
        """Retire the finding (kept with its history and links, no longer shown), made against `version`."""
        if self.is_retired:
            raise ReviewError("This finding is already retired.")
        self.retired_at = timezone.now()
        self.save_edit(version=version, fields=["retired_at"])


class RevisitJudgement(Versioned):
    """A revisit's judgement on one area of weakness of the review it follows up, with the evidence."""

    stale_message = (
        "Someone else saved a judgement on this weakness since you opened the page. "
        "Nothing was saved: your text is kept below; save again to replace theirs."
    )

    class Judgement(models.TextChoices):
        SUFFICIENT = "sufficient", "Sufficient progress"
        INSUFFICIENT = "insufficient", "Insufficient progress"

    revisit = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="judgements")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="revisit_judgements")
    judgement = models.CharField(max_length=20, choices=Judgement.choices)
    evidence = models.TextField(blank=True, help_text="What the revisit report says about this weakness.")
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["revisit", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["revisit", "finding"], name="one_judgement_per_weakness"),
            models.CheckConstraint(
                condition=Q(judgement__in=["sufficient", "insufficient"]), name="revisit_judgement_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding.reference or self.finding_id}: {self.get_judgement_display()}"

    def clean(self) -> None:
        if self.revisit_id and self.finding_id and self.finding.review_id != self.revisit.follows_up_id:
            raise ValidationError(
                {"finding": "Judge an area of weakness of the review this revisit follows up."}
            )
