from __future__ import annotations

import datetime

from django import forms

from inspections.models import Assessment, Framework, Rag


class RatingForm(forms.Form):
    """One criterion's rating in a round; `version` is the rating's version when the page was loaded."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
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
    assessed_on = forms.DateField(
        label="Date of the round",
        help_text="For example, 30 4 2018.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

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
