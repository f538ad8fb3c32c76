"""The house has one direction: core ← inspections ← actions ← reports, exchange ← public ← demo, the project.

An app may import its own modules and any app below it, never one above it or beside it, so a change at
the bottom never needs the top and the demo can be left out of a deployment without breaking anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each app and the apps it may import (besides itself).
MAY_IMPORT = {
    "core": set(),
    "inspections": {"core"},
    "actions": {"core", "inspections"},
    "reports": {"core", "inspections", "actions"},
    "exchange": {"core", "inspections", "actions"},
    "public": {"core", "inspections", "actions", "reports"},
    "demo": {"core", "inspections", "actions", "reports", "exchange", "public", "send_tracker"},
}
OURS = {*MAY_IMPORT, "send_tracker"}
# The project package may import the apps (root URLs, settings), but only its accounts part is used by
# the apps: the user model and the sign-in views they link to.
ACCOUNTS = ("send_tracker.models", "send_tracker.accounts")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _app_modules(app: str) -> list[Path]:
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_an_app_imports_only_the_apps_below_it(app):
    allowed = MAY_IMPORT[app] | {app}
    wrong = []
    for path in _app_modules(app):
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top not in OURS or top in allowed:
                continue
            if top == "send_tracker" and app != "core" and module.startswith(ACCOUNTS):
                continue
            wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_wrong_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from reports.models import CommitteePaper\nimport core.roles\n")
    assert _imports(module) == [(1, "reports.models"), (2, "core.roles")]


def test_the_project_package_keeps_only_the_project():
    """Settings, root URLs, WSGI/ASGI, health and accounts: no demo data, no shared helpers."""
    modules = {
        path.relative_to(ROOT / "send_tracker").parts for path in (ROOT / "send_tracker").rglob("*.py")
    }
    moved = {"demo", "large_area.py", "roles.py", "text.py", "templatetags", "management"}
    assert not {parts[0] for parts in modules} & moved
