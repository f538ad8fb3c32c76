"""The house keeps its modules small and plain: no module over 600 lines, no function over 80 (issue #24).

Migrations are exempt (generated). The demo's data modules would be too, but today they all keep the rules,
so the check covers them and a data module that outgrows them can be listed here.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "core",
    "accounts",
    "inspections",
    "actions",
    "reports",
    "exchange",
    "public",
    "demo",
    "send_tracker",
)
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def our_modules() -> list[Path]:
    modules = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            modules.append(path)
    return modules


def oversized(path: Path) -> list[str]:
    """Return what in `path` breaks the size rules, one line each."""
    relative = path.relative_to(ROOT).as_posix()
    source = path.read_text(encoding="utf-8")
    found = []
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{relative}: {lines} lines (at most {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(source, filename=relative)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(
                    f"{relative}:{node.lineno} {node.name}(): {length} lines (at most {MAX_FUNCTION_LINES})"
                )
    return found


def test_the_checker_finds_a_long_function_and_a_long_module(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_FUNCTION_LINES))
    long_function = tmp_path / "long_function.py"
    long_function.write_text(f"def too_long():\n{body}\n")
    long_module = tmp_path / "long_module.py"
    long_module.write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    short = tmp_path / "short.py"
    short.write_text("def fine():\n    return 1\n")

    assert oversized(long_function) == ["long_function.py:1 too_long(): 81 lines (at most 80)"]
    assert oversized(long_module) == ["long_module.py: 601 lines (at most 600)"]
    assert oversized(short) == []


def test_every_module_and_function_of_ours_is_within_the_size_rules():
    modules = our_modules()
    assert len(modules) > 50  # the walk found our code
    offenders = [line for path in modules for line in oversized(path)]
    assert not offenders, "Split these by topic or into smaller functions:\n" + "\n".join(offenders)
