"""Which RAG level labels plainly mean closed, on track or not started (for scales made before the flags)."""

from __future__ import annotations

import re

from django.db.models import Q

# Only labels that mean one thing whatever the council; anything else is left for a plan lead to set.
CLOSED = {"complete", "completed", "closed", "done", "achieved", "delivered", "blue"}
ON_TRACK = {"on track", "on target", "on schedule", "green"}
NOT_STARTED = {"not started", "not yet started", "not due to start", "not due to start yet"}

FLAGS = {"counts_as_closed": CLOSED, "counts_as_on_track": ON_TRACK, "counts_as_not_started": NOT_STARTED}


def normalise(label: str) -> str:
    """Return the label in lower case, punctuation and spaces folded ("On-track." → "on track")."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", label.lower()).split())


def flag_for(label: str) -> str | None:
    """Return the flag field a level with this label plainly has, or None when the label is ambiguous."""
    words = normalise(label)
    matches = [flag for flag, labels in FLAGS.items() if words in labels]
    return matches[0] if len(matches) == 1 else None


def backfill_level_flags(apps, schema_editor=None) -> int:
    """Set the flags of levels on scales where no level has a flag yet, from their labels; return how many.

    A scale where any level already has a flag was set by someone: it is left exactly as it is.
    """
    rag_scale = apps.get_model("actions", "RagScale")
    rag_level = apps.get_model("actions", "RagLevel")
    any_flag = Q(counts_as_closed=True) | Q(counts_as_on_track=True) | Q(counts_as_not_started=True)
    flagged = rag_level.objects.filter(any_flag).values("scale")
    changed = 0
    for level in rag_level.objects.filter(scale__in=rag_scale.objects.exclude(pk__in=flagged)):
        flag = flag_for(level.label)
        if flag is not None:
            rag_level.objects.filter(pk=level.pk).update(**{flag: True})
            changed += 1
    return changed
