"""Light formatting for paper text: paragraphs, lists, bold and links, from plain text, sanitised with nh3.

Officers type plain text. A blank line starts a new paragraph; lines starting "- " make a bulleted list and
"1. " a numbered one; **bold**; [words](https://…) for a link. Everything else is text: the input is escaped
first, so <script>, HTML and CSS typed into a paper are shown as typed, and nh3 then cleans the markup we
made (a second lock, in case a rule here is ever wrong).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "a", "br", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "p": {"class"}, "span": {"class"}, "ul": {"class"}, "ol": {"class"}}
URL_SCHEMES = {"https", "mailto"}

_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
# Applied to escaped text: a URL cannot hold a quote or angle bracket here, they are entities by now.
_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https://|mailto:)[^\s()]+)\)")
_BLOCKS = re.compile(r"\n\s*\n")


def inline(text: str) -> str:
    """Return one line of plain text as escaped HTML with **bold** and [links](https://…)."""
    html = escape(text)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _LINK.sub(r'<a href="\2">\1</a>', html)


@dataclass
class Block:
    kind: str  # "p", "ul" or "ol"
    lines: list[str] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    """Split plain text into paragraphs and lists, in order; lines of one kind in one chunk stay together."""
    found: list[Block] = []
    for chunk in _BLOCKS.split(text.replace("\r\n", "\n").strip()):
        current: Block | None = None
        for line in chunk.split("\n"):
            if not line.strip():
                continue
            bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
            kind, content = ("ul", bullet[1]) if bullet else ("ol", numbered[1]) if numbered else ("p", line)
            if current is None or current.kind != kind:
                current = Block(kind)
                found.append(current)
            current.lines.append(content)
    return found


def to_html(text: str, *, numbers: list[str] | None = None) -> SafeString:
    """Return sanitised HTML for plain text; paragraphs take the given numbers (e.g. "2.1") in turn."""
    parts: list[str] = []
    numbers = list(numbers or [])
    for block in blocks(text):
        if block.kind == "p":
            body = "<br>".join(inline(line) for line in block.lines)
            if numbers:
                number = escape(numbers.pop(0))
                parts.append(f'<p class="para"><span class="para__number">{number}</span> {body}</p>')
            else:
                parts.append(f"<p>{body}</p>")
        else:
            items = "".join(f"<li>{inline(line)}</li>" for line in block.lines)
            parts.append(f"<{block.kind}>{items}</{block.kind}>")
    cleaned = nh3.clean(
        "".join(parts),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - escaped above, then cleaned by nh3


def paragraph_count(text: str) -> int:
    """Return how many numbered paragraphs the text makes."""
    return sum(1 for block in blocks(text) if block.kind == "p")
