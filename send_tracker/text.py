"""Clean free text before it is stored: no invisible Unicode bidirectional controls."""

from __future__ import annotations

import re

from django.http import QueryDict

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
