from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from actions.models import Action, RagLevel
from core.text import FreeTextFormMixin
from core.versioning import VersionField

MAX_NOTE_LENGTH = 5000


class RagLevelSelect(forms.Select):
    """Options that say whether their level needs a reason or a recovery comment, so the page shows those
    boxes only when the chosen level needs them (CSS :has, no JavaScript; tracker.css "Update form")."""

    levels: dict[str, RagLevel] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        level = self.levels.get(str(value))
        if level is not None and level.requires_reason:
            option["attrs"]["data-needs-reason"] = ""
        if level is not None and level.requires_recovery:
            option["attrs"]["data-needs-recovery"] = ""
        return option


class RagLevelChoiceField(forms.ModelChoiceField):
    """A RAG level of one scale; with `levels` set, a posted choice is found among them without a query."""

    levels: dict[str, RagLevel] | None = None

    def label_from_instance(self, obj: RagLevel) -> str:
        return f"{obj.get_colour_display()} – {obj.label}"

    def to_python(self, value):
        if self.levels is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.levels[str(value)]
        except KeyError:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class ActionUpdateForm(FreeTextFormMixin, forms.Form):
    """An officer's update of status, delivery RAG and progress, made against the version they loaded."""

    version = VersionField()
    status = forms.ChoiceField(choices=Action.Status.choices)
    rag = RagLevelChoiceField(
        queryset=RagLevel.objects.none(), label="Delivery RAG", empty_label=None, widget=RagLevelSelect
    )
    narrative = forms.CharField(
        label="Progress note",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        help_text="What has happened since the last update. Required with every update.",
    )
    evidence = forms.CharField(
        label="Evidence of completion",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        help_text="Required when marking the action complete: what shows the outcome was achieved.",
    )
    rag_reason = forms.CharField(
        label="Reason for the RAG rating",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        help_text="Required for ratings that need a reason (usually amber and red).",
    )
    recovery_plan = forms.CharField(
        label="Recovery comment",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        help_text="How delivery will get back on track, for ratings that need one.",
    )

    def __init__(self, *args, action: Action, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": action.version,
                "status": action.status,
                "rag": action.rag_id,
                "rag_reason": action.rag_reason,
                "recovery_plan": action.recovery_plan,
            },
        )
        super().__init__(*args, **kwargs)
        self.action = action
        rag = self.fields["rag"]
        rag.queryset = RagLevel.objects.filter(scale_id=action.plan.rag_scale_id)
        # The options from one query: Django's field would ask twice (the required attribute, the options),
        # and a third time to find the posted level.
        rag.levels = {str(level.pk): level for level in rag.queryset}
        rag.choices = [(level.pk, rag.label_from_instance(level)) for level in rag.levels.values()]
        rag.widget.levels = rag.levels
        # Unique ids per action: several forms can be open on one page (one per table row).
        self.auto_id = f"id_{action.pk}_%s"

    def clean(self) -> dict:
        """Ask the model for the rules of an update (one source) and show each problem on its field."""
        data = super().clean()
        status, rag = data.get("status"), data.get("rag")
        if status is None or "rag" not in data:
            return data
        problems = self.action.update_problems(
            status=status,
            rag=rag,
            **{name: data.get(name, "") for name in ("narrative", "evidence", "rag_reason", "recovery_plan")},
        )
        for field, message in problems.items():
            # A field that already failed (e.g. too long) keeps its own message, not a second one.
            if field not in self.errors:
                self.add_error(field if field in self.fields else None, message)
        # A level that needs no reason (or no recovery) keeps none: the boxes are hidden for it, and an
        # older rating's words must not carry over as if they were the reason for this one.
        if rag is None or not rag.requires_reason:
            data["rag_reason"] = ""
        if rag is None or not rag.requires_recovery:
            data["recovery_plan"] = ""
        return data


class CriterionMetForm(forms.Form):
    """Mark one success criterion met or not yet met, against the version it was shown at."""

    version = VersionField()
    met = forms.TypedChoiceField(
        choices=[("1", "Met"), ("0", "Not yet met")], coerce=lambda value: value == "1"
    )
