"""An administrator's pages differ from a plan lead's only where code asks for an administrator.

The click-through walk relies on this (tests/browser/test_click_through.py): as an administrator it visits
only the pages that can differ from the plan lead's (home, whose header has the Admin link, and ADMIN_PAGES),
clicking every kind of link there and checking each (axe, reflow, HTML); the plan lead's walk clicks and
checks every other page. A new administrator-only control in another module fails here until the walk visits
its pages as the administrator (ADMIN_PAGES there).
"""

from __future__ import annotations

import re

from tests.browser.test_click_through import ADMIN_PAGES
from tests.project import ROOT

ASKS_FOR_AN_ADMINISTRATOR = re.compile(
    r"is_staff|is_superuser|ADMINISTRATOR|can_give_sign_in|send_tracker\.(add|change|view)_user|auth\.view_group"
)
# Where the code asks, and which pages show what it decides (the header is on every page).
KNOWN = {
    "templates/base.html": "the header's Admin link, on every page (the walk's first pages)",
    "actions/people_views.py": "giving a person a sign-in: the people pages",
    "templates/plans/person_detail.html": "the people pages",
    "accounts/forms.py": "password sign-in for break-glass administrators: the sign-in page, before any role",
    "accounts/mfa.py": "which roles must use a second step: the account pages",
    "core/roles.py": "the roles themselves",
    "actions/models/people.py": "a person's sign-in gets staff status with the Administrator role",
    "send_tracker/settings.py": "the roles that must use a second step",
}
NOT_SHIPPED = ("tests/", "demo/", ".venv/", "var/")


def _files_that_ask() -> set[str]:
    found = set()
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT).as_posix()
        if path.suffix not in (".py", ".html", ".txt") or relative.startswith(NOT_SHIPPED):
            continue
        if "/migrations/" in relative or path.name == "admin.py":  # the admin site is the administrators'
            continue
        if ASKS_FOR_AN_ADMINISTRATOR.search(path.read_text(encoding="utf-8", errors="replace")):
            found.add(relative)
    return found


def test_only_known_code_tells_an_administrator_from_a_plan_lead():
    unknown = _files_that_ask() - set(KNOWN)
    assert not unknown, (
        f"{sorted(unknown)} show something to administrators only: add the pages it shows on to ADMIN_PAGES "
        "in tests/browser/test_click_through.py, then the file to KNOWN here"
    )


def test_the_walk_checks_the_administrators_people_and_account_pages():
    assert {"/plans/people/", "/account/"} <= set(ADMIN_PAGES)


def test_the_scan_finds_the_header_link():
    assert "templates/base.html" in _files_that_ask()
