"""Read the values people type into spreadsheets (dates, RAG, status) and write cells Excel will not run."""

from __future__ import annotations

import calendar
import datetime
import re

# A cell starting with one of these is a formula to Excel, LibreOffice or Sheets (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d %b %y",
)
_ISO_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
MONTH_FORMATS = ("%b %y", "%B %Y", "%b %Y", "%B %y", "%b-%y", "%m/%Y")


def neutralise(value):
    """Return `value` safe to open in a spreadsheet: text that would start a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text(value) -> str:
    """Return a cell as text, undoing our export's neutralising quote, so a round trip keeps the text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    result = str(value).strip()
    if result.startswith("'") and result[1:2] in FORMULA_STARTS and result[1:2]:
        return result[1:]
    return result


def parse_date(value) -> datetime.date | None:
    """Return the date in a cell (a date, or UK or ISO text); raise ValueError if unreadable."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    if not raw:
        return None
    if _ISO_TIMESTAMP.match(raw):  # "2025-06-30T00:00:00Z", as SharePoint and Power Automate write dates
        raw = raw[:10]
    for form in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, form).date()
        except ValueError:
            continue
    raise ValueError(f"“{raw}” is not a date (write it as 31/01/2025)")


def parse_month_end(value) -> datetime.date | None:
    """Return a round's date from a heading: a date, or a month ("Feb 18") read as its last day."""
    try:
        return parse_date(value)
    except ValueError:
        pass
    raw = text(value)
    for form in MONTH_FORMATS:
        try:
            first = datetime.datetime.strptime(raw, form).date()
        except ValueError:
            continue
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return None


_COLOUR_WORDS = {
    "r": "red",
    "red": "red",
    "a": "amber",
    "amber": "amber",
    "y": "amber",
    "yellow": "amber",
    "g": "green",
    "green": "green",
    "b": "blue",
    "blue": "blue",
    "grey": "grey",
    "gray": "grey",
}


def rag_colour(value) -> str | None:
    """Return the colour a RAG cell names ("Amber", "A", "amber - at risk" → "amber"), or None if none."""
    raw = text(value).lower()
    if not raw:
        return None
    first = re.split(r"[\s\-–—:/(),]+", raw, maxsplit=1)[0]
    return _COLOUR_WORDS.get(first)


def normalise(value: str) -> str:
    """Return text compared loosely: lower case, single spaces, no punctuation at the ends."""
    return re.sub(r"\s+", " ", value).strip(" .:;-–").lower()


_GIVEN_BY = re.compile(r"\n\(Given by (?P<author>[^\n]+)\.\)$")


def given_by(note: str, author: str) -> str:
    """Return an imported note that names who gave it (when they are not one of the action's leads)."""
    return f"{note}\n(Given by {author}.)"


def split_given_by(narrative: str) -> tuple[str, str]:
    """Return (note, author) from a note written by given_by; the author is "" for any other note."""
    match = _GIVEN_BY.search(narrative)
    return (narrative[: match.start()], match["author"]) if match else (narrative, "")
