"""Hostile and awkward inputs for the security tests, grouped by what they attack.

Each entry is (id, text); the id names the pytest case. `ACCEPTED` are payloads a free-text field must store
verbatim and show escaped; `REJECTED` must be refused with a clear validation error (never a 500).
None starts or ends with whitespace, because the forms strip it: what is stored must equal what was sent.
"""

from __future__ import annotations

import pytest

XSS = [
    ("xss-script-tag", "<script>alert(1)</script>"),
    ("xss-attribute-breakout", '"><img src=x onerror=alert(1)>'),
    ("xss-single-quote-breakout", "'><svg/onload=alert(1)>"),
    ("xss-javascript-url", "javascript:alert(document.cookie)"),
    ("xss-javascript-link", '<a href="javascript:alert(1)">Click for evidence</a>'),
    ("xss-svg-onload", "<svg onload=alert(1)>"),
    ("xss-textarea-breakout", "</textarea><script>alert(1)</script>"),
    ("xss-json-breakout", '"}); alert(1); ({"a":"'),
    ("xss-htmx-attribute", '<div hx-get="/logout/" hx-trigger="load">'),
    ("xss-htmx-data-attribute", '<div data-hx-get="/logout/" data-hx-trigger="load">'),
]

HTML = [
    ("html-formatting", "<b>Bold</b> and <i>italic</i> progress"),
    ("html-comment", "<!-- hidden --> visible"),
    ("html-iframe", '<iframe src="https://evil.example/"></iframe>'),
    ("html-entities", "&lt;already escaped&gt; &amp; &#x27;"),
]

SQL = [
    ("sql-drop-table", "'; DROP TABLE actions_action; --"),
    ("sql-or-true", "1 OR 1=1"),
    ("sql-quoted-or", '" OR ""="'),
    ("sql-like-wildcards", "%' OR '1'='1"),
    ("sql-union", "1 UNION SELECT username, password FROM send_tracker_user --"),
]

TEMPLATE = [
    ("template-variable", "{{ 7*7 }}"),
    ("template-debug-tag", "{% debug %}"),
    ("template-settings", "{{ settings.SECRET_KEY }}"),
    ("template-other-engines", "${7*7} #{7*7} <%= 7*7 %>"),
]

UNICODE = [
    ("unicode-emoji", "Family hub opened 👨‍👩‍👧‍👦 🚸 ✅"),
    ("unicode-zero-width", "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom"),
    ("unicode-combining-marks", "Z\u0351\u036b\u0343a\u0310\u0313l\u036ag\u0350o\u0306"),
    ("unicode-welsh-and-accents", "Ysgol Gymraeg – café, naïve, Łódź"),
    ("unicode-line-separators", "line\u2028separator\u2029paragraph"),
]

# Bidirectional controls reorder how text displays ("Trojan Source"): the forms strip them, so what is stored
# is the text without them (the second item).
BIDI = [
    ("unicode-rtl-override", "invoice\u202efdp.exe", "invoicefdp.exe"),
    ("unicode-isolates", "Plan \u2067lead\u2069 agreed\u200f", "Plan lead agreed"),
]

NUMBERS = [
    ("number-negative", "-1"),
    ("number-huge", "99999999999999999999999999"),
    ("number-float-overflow", "1e309"),
    ("number-nan", "NaN"),
]

# Longer than every text field allows (MAX_NOTE_LENGTH is 5,000): must be a 422 with a clear message.
LONG_PLAIN = "A" * 20_000
LONG_MARKUP = "<script>alert(1)</script>" * 800  # also 20,000 characters

LONG = [
    ("long-plain-20000", LONG_PLAIN),
    ("long-markup-20000", LONG_MARKUP),
]

NUL = [
    ("nul-alone", "\x00"),
    ("nul-inside-text", "before\x00after"),
]

ACCEPTED = [*XSS, *HTML, *SQL, *TEMPLATE, *UNICODE, *NUMBERS]
REJECTED = [*LONG, *NUL]
ALL = [*ACCEPTED, *REJECTED]

# Open-redirect targets for `next`: none may be followed.
OFFSITE_NEXT = [
    ("absolute-url", "https://evil.example/phish"),
    ("scheme-relative", "//evil.example/phish"),
    ("backslash-trick", "/\\evil.example/phish"),
    ("javascript-url", "javascript:alert(1)"),
    ("data-url", "data:text/html,<script>alert(1)</script>"),
]


def params(entries: list[tuple[str, str]]) -> list:
    """Return the entries as pytest params, each named by its id."""
    return [pytest.param(text, id=name) for name, text in entries]
