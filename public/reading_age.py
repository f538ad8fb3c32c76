"""A reading-age check for public summaries: Flesch–Kincaid grade plus five years.

A rough guide, as every readability formula is: it counts long sentences and long words, which is what
makes text hard for most readers. The plan lead sees a warning above the deployment's limit, never a refusal.
"""

from __future__ import annotations

import re

from django.conf import settings

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n\s*\n|\n\s*[-•*]")
VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    word = word.lower().strip("'’-")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(VOWEL_GROUPS.findall(word)))


def reading_age(text: str) -> int | None:
    """Return the reading age in years of `text`, or None when it has too few words to judge."""
    words = WORD.findall(text)
    if len(words) < 10:
        return None
    sentences = max(1, len([part for part in SENTENCE_END.split(text.strip()) if WORD.search(part)]))
    grade = 0.39 * len(words) / sentences + 11.8 * sum(map(syllables, words)) / len(words) - 15.59
    return max(5, round(grade + 5))


def reading_age_limit() -> int:
    return getattr(settings, "PUBLIC_READING_AGE_LIMIT", 12)


def reading_age_warning(*texts: str) -> str:
    """The warning shown to the plan lead when the text reads above the limit; empty when it does not."""
    age = reading_age("\n\n".join(text for text in texts if text))
    limit = reading_age_limit()
    if age is None or age <= limit:
        return ""
    return (
        f"This reads at about age {age}, above the {limit} this area aims for. "
        "Try shorter sentences and everyday words."
    )
