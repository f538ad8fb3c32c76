from __future__ import annotations

import datetime

from django import forms

from core import dates
from core.dates import DateField
from core.versioning import VersionedModelForm, VersionField
from inspections.models import (
    Assessment,
    Finding,
    Framework,
    Rag,
    Review,
    RevisitJudgement,
    split_pasted_findings,
)

# Declared once for both review forms: links are https unless typed otherwise.
REPORT_URL = forms.URLField(label="Link to the report", max_length=500, required=False, assume_scheme="https")


class RatingForm(forms.Form):
    """One criterion's rating in a round; `version` is the rating's version when the page was loaded."""

    version = VersionField(allow_new=True)
    rag = forms.ChoiceField(label="Rating", choices=Rag.choices, widget=forms.RadioSelect)
    commentary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(
        label="Next steps to achieve green", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criterion_pk: int, **kwargs) -> None:
        # Ids unique on a page that holds a form per criterion.
        kwargs.setdefault("prefix", f"c{criterion_pk}")
        super().__init__(*args, **kwargs)

    def clean_commentary(self) -> str:
        return self.cleaned_data["commentary"].strip()

    def clean_next_steps(self) -> str:
        return self.cleaned_data["next_steps"].strip()


class NewAssessmentForm(forms.Form):
    label = forms.CharField(max_length=50, help_text='The column heading, e.g. "Apr 18".')
    assessed_on = DateField(label="Date of the round")

    def __init__(self, *args, framework: Framework, **kwargs) -> None:
        self.framework = framework
        super().__init__(*args, **kwargs)

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        if Assessment.objects.filter(framework=self.framework, label=label).exists():
            raise forms.ValidationError("There is already a round with this name; choose another.")
        return label

    def clean_assessed_on(self) -> datetime.date:
        assessed_on = self.cleaned_data["assessed_on"]
        if Assessment.objects.filter(framework=self.framework, assessed_on=assessed_on).exists():
            raise forms.ValidationError("There is already a round on this date.")
        return assessed_on


class LinkPriorityForm(forms.Form):
    priority = forms.ModelChoiceField(queryset=None, label="Priority that addresses this finding")

    def __init__(self, *args, queryset, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = queryset
        self.fields["priority"].label_from_instance = lambda p: f"{p.plan.title} – {p.number}. {p.title}"


class LocalFrameworkForm(forms.ModelForm):
    class Meta:
        model = Framework
        fields = ["name", "year", "description", "red_meaning", "amber_meaning", "green_meaning"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SectionForm(forms.Form):
    code = forms.CharField(max_length=20, help_text="e.g. Q1 or 1")
    title = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class CriterionForm(forms.Form):
    section = forms.ModelChoiceField(queryset=None)
    code = forms.CharField(max_length=20, help_text="Unique within this framework, e.g. 1.1")
    wording = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, framework: Framework, **kwargs) -> None:
        self.framework = framework
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = framework.sections.all()

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if self.framework.criteria.filter(code=code).exists():
            raise forms.ValidationError("This framework already has a criterion with this code.")
        return code


def use_framework_terms(form: forms.ModelForm, review: Review) -> None:
    """Offer only the outcomes and plans of the review's framework, and label the due date in its terms."""
    framework = review.framework if review.framework_id else None
    if framework is not None or review.kind in Review.CONSEQUENCES:
        allowed = [] if framework is None else framework.outcomes or []
        form.fields["outcome"].choices = [
            (value, label) for value, label in Review.Outcome.choices if value == "" or value in allowed
        ]
    kinds = review.allowed_plan_kinds()
    form.fields["plan_required"].choices = [
        (value, label) for value, label in Review.PlanKind.choices if value == "" or value in kinds
    ]
    form.fields["wsoa_due_on"].label = review.plan_due_label
    form.fields["wsoa_due_on"].help_text = "When the plan must be submitted."


class ReviewForm(dates.ModelForm):
    """A review's dates, outcome and conditions; `version` is the review's version when the page loaded."""

    version = VersionField()
    report_url = REPORT_URL

    class Meta:
        model = Review
        fields = list(Review.EDITABLE_FIELDS)
        widgets = {
            "outcome_detail": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        use_framework_terms(self, self.instance)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in Review.EDITABLE_FIELDS}

    def _post_clean(self) -> None:
        # Review.edit / add_step run the model's rules on save; the form checks only its own fields here
        # so that validating it never changes the instance the view may still show.
        pass


class ReviewNewForm(VersionedModelForm):
    """A new review of the kind and framework chosen first, so its outcome and plan are in their terms."""

    report_url = REPORT_URL

    class Meta:
        model = Review
        fields = ["title", *(name for name in Review.EDITABLE_FIELDS if name != "title"), "summary"]
        widgets = ReviewForm.Meta.widgets | {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        use_framework_terms(self, self.instance)

    def _post_clean(self) -> None:
        # Review.record runs the model's rules, putting each on its field.
        pass


class ReviewStartForm(forms.Form):
    """The first question of a new review: what kind, and the framework it is judged under."""

    kind = forms.ChoiceField(
        label="What kind of review", choices=[("", "Choose a kind"), *Review.Kind.choices]
    )
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.order_by("is_local", "-year", "name"),
        required=False,
        empty_label="None (e.g. a peer review)",
        label="Framework it is judged under",
        help_text="The framework decides the outcome and plan terms offered next.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") in Review.CONSEQUENCES and data.get("framework") is not None:
            self.add_error("framework", "A statutory direction or improvement notice has no framework.")
        return data


class FindingForm(VersionedModelForm):
    """One finding of a review: kind, theme, reference and the report's words."""

    class Meta:
        model = Finding
        fields = list(Finding.EDITABLE_FIELDS)
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        labels = {"text": "Finding, word for word"}

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip()

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()

    def _post_clean(self) -> None:
        # Finding.edit / Review.add_findings run the model's rules (a reference unique in the review).
        pass


class PasteFindingsForm(forms.Form):
    """Many findings at once: one per paragraph, a leading reference ("API1 Leaders should …") split off."""

    kind = forms.ChoiceField(label="Kind of finding", choices=[("", "Choose a kind"), *Finding.Kind.choices])
    theme = forms.CharField(
        max_length=300, required=False, help_text="Heading the review groups them under, if any."
    )
    text = forms.CharField(
        label="Findings",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "One finding per paragraph (leave a blank line between them), or one per line. "
            "A reference at the start, such as API1 or R1.3, is split off."
        ),
    )

    def clean_text(self) -> list[dict]:
        rows = split_pasted_findings(self.cleaned_data["text"])
        if not rows:
            raise forms.ValidationError("Paste at least one finding.")
        return rows

    def rows(self) -> list[dict]:
        """Return each pasted finding as the fields Review.add_findings takes."""
        kind, theme = self.cleaned_data["kind"], self.cleaned_data["theme"].strip()
        return [
            {"kind": kind, "theme": theme, "reference": reference, "text": text}
            for reference, text in self.cleaned_data["text"]
        ]


class FindingSearchForm(forms.Form):
    q = forms.CharField(
        label="Search findings",
        max_length=200,
        required=False,
        help_text="A reference such as API1, or words.",
    )


class StepForm(ReviewForm):
    """A new step after a review; `version` is the version of the review it follows up."""

    kind = forms.ChoiceField(
        label="What followed",
        choices=[(kind.value, kind.label) for kind in Review.STEP_KINDS],
    )

    class Meta(ReviewForm.Meta):
        fields = ["kind", *Review.EDITABLE_FIELDS]

    field_order = ["kind", *Review.EDITABLE_FIELDS]


class JudgementForm(forms.Form):
    """A revisit's judgement on one weakness; `version` is the judgement's version (0: not judged yet)."""

    version = VersionField(allow_new=True)
    judgement = forms.ChoiceField(
        label="Progress",
        choices=[("", "Choose a judgement"), *RevisitJudgement.Judgement.choices],
        error_messages={"required": "Choose a judgement for this weakness"},
    )
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the revisit report says about this weakness.",
    )

    def __init__(self, *args, finding_pk: int, **kwargs) -> None:
        kwargs.setdefault("prefix", f"f{finding_pk}")
        super().__init__(*args, **kwargs)

    def clean_evidence(self) -> str:
        return self.cleaned_data["evidence"].strip()


class CoverageFilterForm(forms.Form):
    """The coverage page's filters, sent by GET so a filtered view is a plain URL: review, plan and status.

    Choices come from the reviews and plans the view has already read; a choice that is not valid is shown
    as an error and the page shows every finding for that filter.
    """

    review = forms.TypedChoiceField(
        label="Review or inspection", required=False, coerce=int, empty_value=None
    )
    plan = forms.TypedChoiceField(label="Plan", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(self, data, *, reviews, plans, statuses, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.reviews = {review.pk: review for review in reviews}
        self.plans = {plan.pk: plan for plan in plans}
        self.fields["review"].choices = [("", "All reviews"), *((r.pk, r.title) for r in reviews)]
        self.fields["plan"].choices = [("", "All plans"), *((p.pk, p.title) for p in plans)]
        self.fields["status"].choices = [("", "All statuses"), *statuses]

    def chosen(self, name: str):
        """Return the valid choice for `name` (a review, a plan or a status key), or None."""
        if not self.is_bound or self.has_error(name):
            return None
        self.is_valid()
        value = self.cleaned_data.get(name)
        if name == "review":
            return self.reviews.get(value)
        if name == "plan":
            return self.plans.get(value)
        return value or None
