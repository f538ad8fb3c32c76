"""Forms plan leads use to build plans: each edit form carries the version it was loaded at."""

from __future__ import annotations

import functools

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.forms.models import ModelChoiceIterator

from actions.models import DEFAULT_TOLERANCE_DAYS, Action, Organisation, Person, Plan, Priority
from core import roles
from core.dates import DateField
from core.versioning import VersionedModelForm, VersionField
from core.widgets import PlainCheckboxSelectMultiple, PlainSelect

MAX_TEXT = 5000


class SharedChoiceIterator(ModelChoiceIterator):
    """Choices read from a list fetched once for several fields of one form (e.g. leads and officer)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.shared_objects():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.shared_objects()) + (self.field.empty_label is not None)


def share_choices(fields: list[forms.ModelChoiceField], queryset) -> None:
    """Give `fields` the same `queryset`, listed with one query however many of them are shown."""
    objects = functools.cache(lambda: list(queryset))
    for field in fields:
        field.iterator = SharedChoiceIterator
        field.shared_objects = objects
        field.queryset = queryset  # validates submitted values, and sets the widget's choices afresh


class PlanForm(VersionedModelForm):
    class Meta:
        model = Plan
        fields = [
            "title",
            "kind",
            "review",
            "due_on",
            "board",
            "lead",
            "rag_scale",
            "summary",
            "starts_on",
            "ends_on",
            "update_cycle_days",
            "off_track_tolerance_days",
        ]
        labels = {
            "review": "Review or inspection it answers",
            "board": "Owning board",
            "rag_scale": "RAG scale",
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = self.fields["lead"].queryset.filter(is_active=True)
        # Left blank (or not sent, e.g. by an older form), the tolerance keeps its value or the default.
        self.fields["off_track_tolerance_days"].required = False
        if self.instance.pk and self.instance.actions.exclude(rag=None).exists():
            # Moving a plan with rated actions to another scale maps their levels: its own step.
            self.fields["rag_scale"].disabled = True
            self.fields["rag_scale"].help_text = "Actions are rated on this scale, so it cannot change here."
        if self.instance.pk:
            # Changing the first cycle moves every deadline since the start; a change from a date does not.
            self.fields["update_cycle_days"].help_text = (
                "The cycle from the plan's start. To change it from a date and keep past deadlines as they "
                "were, use “Change the update cycle from a date” on the plan's page."
            )

    def clean_off_track_tolerance_days(self) -> int:
        days = self.cleaned_data["off_track_tolerance_days"]
        if days is None:
            return self.instance.off_track_tolerance_days if self.instance.pk else DEFAULT_TOLERANCE_DAYS
        return days

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return data


class PlanStatusForm(forms.Form):
    version = VersionField()
    status = forms.ChoiceField(choices=Plan.Status.choices)


class VersionOnlyForm(forms.Form):
    version = VersionField()


class PriorityForm(VersionedModelForm):
    class Meta:
        model = Priority
        fields = ["number", "title", "description", "lead", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"order": "Priorities are listed in this order (lowest first)."}

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["lead"].queryset = self.fields["lead"].queryset.filter(is_active=True)

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        clash = Priority.objects.filter(plan=self.plan, number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another priority in this plan has this number")
        return number


class LinkSearchForm(forms.Form):
    """The GET search of the findings and criteria picker."""

    q = forms.CharField(label="Search findings and criteria", required=False, max_length=200)


class ActionForm(VersionedModelForm):
    """Add or edit an action. The due date is set when adding; after that it moves by re-baselining."""

    class Meta:
        model = Action
        fields = [
            "priority",
            "reference",
            "description",
            "success_measure",
            "leads",
            "lead_organisations",
            "accountable_officer",
            "start_date",
            "due_date",
            "order",
        ]
        labels = {"priority": "Priority (move the action to another priority here)"}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "success_measure": forms.Textarea(attrs={"rows": 3}),
            # Hundreds of people in a large area: options written without a template each (issue #32).
            "leads": PlainCheckboxSelectMultiple,
            "lead_organisations": PlainCheckboxSelectMultiple,
            "accountable_officer": PlainSelect,
        }
        help_texts = {
            "leads": "Each lead is shown with their organisation. Add people under People.",
            "lead_organisations": "Partners who lead the action without a named person here.",
        }

    # Success criteria are rows named "criterion"; buttons add, remove or move a row (with or without JS).
    CRITERIA_OPERATIONS = ("add_criterion", "remove_criterion", "move_criterion_up")
    # Fields whose value the server checks as the user leaves them (htmx): the action's own fields; the
    # checkbox groups are left out because swapping a group would take focus from the box being ticked.
    INLINE_CHECKED = Action.EDITABLE_FIELDS

    def __init__(
        self, *args, plan: Plan, validate_url: str = "", criteria: list[str] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["priority"].queryset = plan.priorities.order_by("order", "number")
        people = Person.objects.select_related("organisation").order_by("name")
        share_choices([self.fields["leads"], self.fields["accountable_officer"]], people)
        self.fields["leads"].label_from_instance = lambda person: person.with_organisation
        self.fields["accountable_officer"].label_from_instance = lambda person: person.with_organisation
        self.fields["lead_organisations"].queryset = Organisation.objects.order_by("name")
        if self.instance.pk:
            self.fields["due_date"].disabled = True
            self.fields["due_date"].help_text = "To move the due date, re-baseline it and give the reason."
        if criteria is not None:
            self.criteria = criteria
        elif self.is_bound:
            self.criteria = [text.strip() for text in self.data.getlist("criterion")]
        elif self.instance.pk:
            self.criteria = [criterion.text for criterion in self.instance.success_criteria.all()]
        else:
            self.criteria = []
        for name in self.INLINE_CHECKED if validate_url else ():
            # A date is checked on submit: leaving the day box is not the end of typing the date.
            if not self.fields[name].disabled and not isinstance(self.fields[name], DateField):
                self.fields[name].widget.attrs.update(
                    {
                        "data-hx-post": f"{validate_url}?validate={name}",
                        "data-hx-trigger": "blur changed",
                        "data-hx-target": "closest .form-group",
                        "data-hx-swap": "outerHTML",
                    }
                )

    @property
    def criteria_rows(self) -> list[str]:
        """Return the rows to show: the criteria, and an empty row to type a new one in."""
        rows = list(self.criteria)
        if not rows or rows[-1]:
            rows.append("")
        return rows

    def criteria_operation(self) -> tuple[str, int] | None:
        """Return the row button pressed (operation, row index), or None when the form was submitted."""
        for name in self.CRITERIA_OPERATIONS if self.is_bound else ():
            if name in self.data:
                value = self.data[name]
                return name, int(value) if value.isdigit() else -1
        return None

    def apply_criteria_operation(self) -> int:
        """Add, remove or move up the row the pressed button names; return the row to focus next."""
        operation, index = self.criteria_operation()
        rows = list(self.criteria)
        if operation == "add_criterion":
            rows = [text for text in rows if text] + [""]
            focus = len(rows) - 1
        elif operation == "remove_criterion" and 0 <= index < len(rows):
            del rows[index]
            focus = min(index, len(rows))
        elif operation == "move_criterion_up" and 0 < index < len(rows):
            rows[index - 1], rows[index] = rows[index], rows[index - 1]
            focus = index - 1
        else:
            focus = 0
        self.criteria = rows
        return focus

    def posted_initial(self) -> dict:
        """Return what was posted as initial values, to show the form again without judging it yet."""
        initial = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField):
                initial[name] = self.data.getlist(name)
            elif name in self.data and not field.disabled:
                initial[name] = self.data[name]
        return initial

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        clash = Action.objects.filter(plan=self.plan, reference=reference).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another action in this plan has this reference")
        return reference

    def clean(self) -> dict:
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date") or self.instance.due_date
        # Checked when either date is set here: an imported history may keep a revised date before the start.
        moved = {"start_date", "due_date"} & set(self.changed_data) or not self.instance.pk
        if start and due and due < start and moved:
            self.add_error("start_date", "The start date must be on or before the due date")
        for number, text in enumerate(self.criteria, start=1):
            if len(text) > MAX_TEXT:
                self.add_error(None, f"Success criterion {number} must be at most {MAX_TEXT} characters")
        return data

    def criteria_lines(self) -> list[str]:
        return [text for text in self.criteria if text]


class RebaselineForm(forms.Form):
    version = VersionField()
    due_date = DateField(label="New due date")
    reason = forms.CharField(
        label="Reason for re-baselining",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the due date, e.g. agreed by the board on 12 March because of staff vacancies.",
    )


class ArchiveForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(
        label="Reason for archiving",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: merged into action 2.3. The action is hidden, not deleted; it can return.",
    )


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "job_title", "organisation", "email"]
        help_texts = {"email": "For reminders. The person does not need to sign in."}


class PersonSignInForm(forms.Form):
    """An administrator gives a person a sign-in: a username and a role; the person chooses the password."""

    username = forms.CharField(
        max_length=150,
        help_text="Letters, digits and @ . + - _ only, e.g. their work email address.",
        validators=[UnicodeUsernameValidator()],
    )
    email = forms.EmailField(help_text="The link to choose a password is sent here.")
    role = forms.ChoiceField(
        choices=[(role, role) for role in roles.ROLES],
        widget=forms.RadioSelect,
        help_text="What they may do: officers update the actions they lead; scrutiny members only read.",
    )

    def __init__(self, *args, person: Person, **kwargs) -> None:
        kwargs.setdefault("initial", {"username": person.email.lower(), "email": person.email})
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Another account already has this username")
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account already uses this email address: link that account to the person instead"
            )
        return email
