"""Rating rounds: a dated assessment of a framework's criteria, one RAG rating per criterion."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from core.versioning import Versioned
from inspections.models.frameworks import Criterion, Framework, Rag


class AssessmentQuerySet(models.QuerySet):
    def latest_for(self, framework: Framework) -> Assessment | None:
        return self.filter(framework=framework).order_by("-assessed_on").first()


class RatingError(Exception):
    """A rating could not be saved; the message says why, for the person who tried."""


class AssessmentAgreedError(RatingError):
    """The round has been agreed and is read-only."""


class IncompleteRoundError(RatingError):
    """The round has criteria nobody has rated yet; carries their codes in framework order."""

    def __init__(self, unrated: list[str]) -> None:
        self.unrated = unrated
        if unrated:
            listed = ", ".join(unrated)
            message = (
                f"This round cannot be agreed until every criterion is rated. "
                f"Not rated yet ({len(unrated)}): {listed}."
            )
        else:
            message = "This round cannot be agreed: its framework has no criteria to rate."
        super().__init__(message)


class Assessment(models.Model):
    """A dated round of RAG ratings against a framework, e.g. "Feb 18"."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    label = models.CharField(max_length=50, help_text='Column heading, e.g. "Feb 18".')
    assessed_on = models.DateField()
    notes = models.TextField(blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True, help_text="Once agreed, the round is read-only.")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "assessed_on"], name="assessment_unique_date"),
            models.CheckConstraint(
                condition=Q(agreed_at__isnull=True) | Q(agreed_by__isnull=False),
                name="assessment_agreed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework.name}: {self.label}"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None

    @classmethod
    def open_round(cls, *, framework: Framework, label: str, assessed_on, author) -> Assessment:
        """Open a new round, pre-filled with every rating of the latest earlier round of the framework."""
        with transaction.atomic():
            previous = (
                cls.objects.filter(framework=framework, assessed_on__lt=assessed_on)
                .order_by("-assessed_on")
                .first()
            )
            assessment = cls.objects.create(
                framework=framework, label=label, assessed_on=assessed_on, notes=""
            )
            if previous is not None:
                copies = [
                    Rating(
                        assessment=assessment,
                        criterion_id=rating.criterion_id,
                        rag=rating.rag,
                        commentary=rating.commentary,
                        next_steps=rating.next_steps,
                        rated_by=author,
                    )
                    for rating in previous.ratings.all()
                ]
                bulk_create_with_history(copies, Rating, default_user=author)
        return assessment

    def unrated_codes(self) -> list[str]:
        """Return the codes of the framework's criteria this round has no rating for, in framework order."""
        return list(
            Criterion.objects.filter(framework_id=self.framework_id)
            .exclude(ratings__assessment=self)
            .order_by("section__order", "order", "pk")
            .values_list("code", flat=True)
        )

    def agree(self, *, author) -> None:
        """Mark the round agreed (read-only from now on).

        Raises AssessmentAgreedError if it already is, and IncompleteRoundError (listing the codes) while
        any criterion of the framework is unrated: nothing is written then.
        """
        with transaction.atomic():
            # The round's row lock, which rate() takes too: a rating being saved finishes first (and is in the
            # agreed round), and one saved after this commits is refused. The time is read under the lock.
            if self._lock_round() is not None:
                raise AssessmentAgreedError("This round has already been agreed.")
            unrated = self.unrated_codes()
            if unrated or not Criterion.objects.filter(framework_id=self.framework_id).exists():
                raise IncompleteRoundError(unrated)
            self.agreed_at = timezone.now()
            self.agreed_by = author
            # A full save (not only the UPDATE above) so the history records who agreed it.
            self.save()

    def rate(
        self, *, criterion: Criterion, author, version: int, rag: str, commentary: str, next_steps: str
    ) -> Rating:
        """Save one criterion's rating made against `version` (0: not rated yet); the one write path.

        Raises AssessmentAgreedError for an agreed round and StaleVersionError when someone else saved the
        rating since `version`: nothing is overwritten.
        """
        if criterion.framework_id != self.framework_id:
            raise RatingError("This criterion belongs to a different framework.")
        if rag not in Rag.values:
            raise RatingError("Choose red, amber or green.")
        with transaction.atomic():
            # Serialised with agree() on the round's row: checking agreed_at without the lock let a rating
            # land after the round was agreed.
            if self._lock_round() is not None:
                raise AssessmentAgreedError("This round has been agreed and can no longer be changed.")
            return Rating.save_at_version(
                {"assessment": self, "criterion": criterion},
                version,
                {"rag": rag, "commentary": commentary, "next_steps": next_steps, "rated_by": author},
            )

    def _lock_round(self):
        """Lock the round's row until the transaction ends (SELECT … FOR UPDATE); return its agreed_at."""
        return Assessment.objects.select_for_update().values_list("agreed_at", flat=True).get(pk=self.pk)

    def _current_rating(self, criterion: Criterion) -> Rating | None:
        return Rating.objects.filter(assessment=self, criterion=criterion).select_related("rated_by").first()


class Rating(Versioned):
    """The RAG rating of one criterion in one assessment, with commentary and next steps to reach green."""

    stale_message = "Someone else saved this rating since you opened it."

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="ratings")
    rag = models.CharField("RAG", max_length=1, choices=Rag.choices)
    commentary = models.TextField(blank=True)
    next_steps = models.TextField("next steps to achieve green", blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "criterion__section__order", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_rating_per_criterion"),
            models.CheckConstraint(condition=Q(rag__in=Rag.values), name="rating_rag_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} {self.get_rag_display()} ({self.assessment.label})"

    def clean(self) -> None:
        if (
            self.criterion_id
            and self.assessment_id
            and self.criterion.section.framework_id != self.assessment.framework_id
        ):
            raise ValidationError({"criterion": "This criterion belongs to a different framework."})
