"""Views never catch StaleVersionError themselves: the one version check answers a stale save (issue #24).

A stale save goes through `core.versioning.save_or_conflict` (or `versioned_edit` / `edit_view` on top of
it), which renders the 409 conflict page, sends a one-button form back with the conflict, or calls the
view's own `on_stale` page. A hand-written `except StaleVersionError` branch in a view is how the pattern
came to be written 21 times; this test keeps it written once. The spreadsheet import collects stale rows
with the rest of its per-row errors, so it may catch the error (it is not a view).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from tests.core.test_module_size import ROOT, our_modules

ALLOWED = {
    "core/versioning.py",  # the one place that turns the error into a response
    "exchange/plan_import/applying.py",  # the import: per-row errors, not a view
}


def stale_branches(path: Path) -> list[str]:
    """Return each `except` in `path` that names StaleVersionError (alone, in a tuple, or as an attribute)."""
    relative = path.relative_to(ROOT).as_posix()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=relative)):
        if not isinstance(node, ast.ExceptHandler) or node.type is None:
            continue
        names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(node.type) if isinstance(n, ast.Attribute)}
        if "StaleVersionError" in names:
            found.append(f"{relative}:{node.lineno}")
    return found


def test_the_checker_finds_a_stale_branch_however_it_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.core.test_one_version_check.ROOT", tmp_path)
    view = tmp_path / "views.py"
    view.write_text(
        textwrap.dedent(
            """\
            from core import versioning
            from core.versioning import StaleVersionError
            def a():
                try:
                    pass
                except StaleVersionError:
                    pass
            def b():
                try:
                    pass
                except (ValueError, versioning.StaleVersionError) as stale:
                    pass
            def c():
                try:
                    pass
                except ValueError:
                    pass
            """
        )
    )

    assert stale_branches(view) == ["views.py:6", "views.py:11"]


def test_no_view_catches_a_stale_save_itself():
    modules = our_modules()
    assert len(modules) > 50  # the walk found our code
    branches = [
        branch
        for path in modules
        if path.relative_to(ROOT).as_posix() not in ALLOWED
        for branch in stale_branches(path)
    ]
    assert not branches, (
        "Answer a stale save with core.versioning.save_or_conflict (on_stale= for a page of the view's "
        "own), versioned_edit or edit_view, not a hand-written branch:\n" + "\n".join(branches)
    )
