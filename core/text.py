"""Clean free text before it is stored: no invisible Unicode bidirectional controls, nothing too long for its
column."""

from __future__ import annotations

import re

from django.db import models
from django.http import QueryDict
from django.utils.text import Truncator

# Apps whose text people write (the admin included); third-party apps' rows are left as they are.
_OUR_APPS = {"send_tracker", "inspections", "actions", "reports"}

# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the LRM/RLM/ALM marks: they can make
# text display in a different order from how it is stored ("Trojan Source"), e.g. in a progress note.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def strip_bidi(text: str) -> str:
    """Return `text` without Unicode bidirectional control characters."""
    return BIDI_CONTROLS.sub("", text)


class FreeTextFormMixin:
    """Strip bidirectional controls from everything a bound form receives, before any field is cleaned.

    Put it first among the form's bases: `class NoteForm(FreeTextFormMixin, forms.Form)`.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            data = self.data.copy()
            if isinstance(data, QueryDict):
                for key, values in data.lists():
                    data.setlist(key, [strip_bidi(v) if isinstance(v, str) else v for v in values])
            else:
                data = {key: strip_bidi(v) if isinstance(v, str) else v for key, v in data.items()}
            self.data = data


def strip_bidi_before_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs
) -> None:
    """Strip bidirectional controls from the text fields of our models, however they are saved (admin too)."""
    if raw or sender._meta.app_label not in _OUR_APPS:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField) and field.name != "password":
            value = getattr(instance, field.attname)
            if isinstance(value, str) and BIDI_CONTROLS.search(value):
                setattr(instance, field.attname, strip_bidi(value))


def fit_change_reason(sender, history_instance, **kwargs) -> None:
    """Shorten a history change reason composed from what someone typed to fit its column.

    "Correction opened: <reason>" or "Background paper: <title>" quote text the forms allow up to 2,000 or 300
    characters into django-simple-history's 100-character column. The reason is a label in the history list;
    the full text is on the record (and so in its history row), so the label may end in an ellipsis.
    """
    reason = history_instance.history_change_reason
    longest = history_instance._meta.get_field("history_change_reason").max_length
    if reason and longest and len(reason) > longest:
        history_instance.history_change_reason = Truncator(reason).chars(longest)
