"""The house has one direction: core ← accounts ← inspections ← actions ← reports, exchange ← public ← demo ←
the project package (settings, root URLs).

An app may import its own modules and any app below it, never one above it or beside it, so a change at
the bottom never needs the top and the demo can be left out of a deployment without breaking anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each app and the apps it may import (besides itself), bottom first.
MAY_IMPORT = {
    "core": set(),
    "accounts": {"core"},
    "inspections": {"core", "accounts"},
    "actions": {"core", "accounts", "inspections"},
    "reports": {"core", "accounts", "inspections", "actions"},
    "exchange": {"core", "accounts", "inspections", "actions"},
    "public": {"core", "accounts", "inspections", "actions", "reports"},
    "demo": {"core", "accounts", "inspections", "actions", "reports", "exchange", "public"},
    "send_tracker": {"core", "accounts", "inspections", "actions", "reports", "exchange", "public", "demo"},
}
OURS = set(MAY_IMPORT)
# The project package: settings, root URLs, WSGI/ASGI and the health check, nothing an app could need.
PROJECT_MODULES = {"__init__.py", "settings.py", "urls.py", "wsgi.py", "asgi.py", "health.py"}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _app_modules(app: str, root: Path = ROOT) -> list[Path]:
    return [path for path in (root / app).rglob("*.py") if "migrations" not in path.parts]


def _wrong_imports(app: str, root: Path = ROOT) -> list[str]:
    """Return "path:line imports module" for each import of one of our apps that `app` may not import."""
    allowed = MAY_IMPORT[app] | {app}
    return [
        f"{path.relative_to(root)}:{line} imports {module}"
        for path in _app_modules(app, root)
        for line, module in _imports(path)
        if module.split(".")[0] in OURS - allowed
    ]


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = _wrong_imports(app)
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_wrong_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from reports.models import CommitteePaper\nimport core.roles\n")
    assert _imports(module) == [(1, "reports.models"), (2, "core.roles")]


@pytest.mark.parametrize(
    ("app", "source", "wrong"),
    [
        ("core", "from accounts.models import User\n", "accounts.models"),
        ("accounts", "def f():\n    from inspections.models import Review\n", "inspections.models"),
        ("actions", "import reports.charts\n", "reports.charts"),
        ("exchange", "from public import views\n", "public"),
        ("demo", "from send_tracker.settings import DEBUG\n", "send_tracker.settings"),
    ],
)
def test_an_app_importing_one_above_it_fails_the_check(tmp_path, app, source, wrong):
    (tmp_path / app).mkdir()
    (tmp_path / app / "module.py").write_text(f"from core import roles\n{source}")
    assert _wrong_imports(app, tmp_path) == [f"{app}/module.py:{source.count(chr(10)) + 1} imports {wrong}"]


def test_an_import_from_below_passes_the_check(tmp_path):
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "module.py").write_text("from accounts.models import User\nimport inspections\n")
    assert _wrong_imports("actions", tmp_path) == []


def test_the_project_package_keeps_only_the_project():
    """Settings, root URLs, WSGI/ASGI and health: the accounts, shared helpers and demo live in their apps."""
    modules = {path.relative_to(ROOT / "send_tracker") for path in (ROOT / "send_tracker").rglob("*.py")}
    assert {str(path) for path in modules} <= PROJECT_MODULES


def test_the_user_model_keeps_its_database_label():
    """accounts took over the project's app label: tables, permissions, migrations kept their names."""
    from django.apps import apps
    from django.conf import settings

    config = apps.get_app_config("send_tracker")
    assert config.name == "accounts"
    assert settings.AUTH_USER_MODEL == "send_tracker.User"
    assert apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table == "send_tracker_user"
