"""Frameworks as data: load a published framework from a JSON file, creating or correcting its rows.

Used by `manage.py load_frameworks` (production) and the demo loader. Loading is idempotent: rows are
saved only when something differs, so a second run writes nothing, not even history rows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from inspections.models import Criterion, Framework, Review, Section

DATA_DIR = Path(__file__).resolve().parent / "framework_data"
FRAMEWORK_FIELDS = ("description", "source", "red_meaning", "amber_meaning", "green_meaning", "outcomes")


class FrameworkDataError(ValueError):
    """A framework file is malformed; the message names the file and the problem."""


def data_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.json"))


def _save_if_changed(obj, values: dict[str, Any]) -> None:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)


def source_text(source: str | dict[str, Any]) -> str:
    """Return a framework's source note: as written, or composed from its parts (document, URL, section,
    version, what was and was not verified against the published text)."""
    if isinstance(source, str):
        return source
    lines = [
        f"{source['document']} ({source.get('publisher', '')}), {source['version']}.".replace(" ()", ""),
        f"Section: {source['section']}.",
        f"URL: {source['url']}",
    ]
    if source.get("verified"):
        lines += ["Checked word for word:", *(f"- {item}" for item in source["verified"])]
    if source.get("not_verified"):
        lines += [
            "Not verified, so not loaded or marked as such:",
            *(f"- {item}" for item in source["not_verified"]),
        ]
    return "\n".join(lines)


def validate(data: dict[str, Any], where: str) -> None:
    """Raise FrameworkDataError for a framework file that would load wrong data."""
    for key in ("name", "year", "sections"):
        if key not in data:
            raise FrameworkDataError(f"{where}: missing '{key}'.")
    source = data.get("source", "")
    if isinstance(source, dict):
        missing = [key for key in ("document", "url", "section", "version") if not source.get(key)]
        if missing:
            raise FrameworkDataError(f"{where}: the source is missing {missing}.")
    unknown = [o for o in data.get("outcomes", []) if o not in Review.Outcome.values]
    if unknown:
        raise FrameworkDataError(f"{where}: unknown outcomes {unknown}.")
    codes = [c["code"] for s in data["sections"] for c in s.get("criteria", [])]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise FrameworkDataError(f"{where}: criterion codes must be unique in a framework: {repeated}.")


@transaction.atomic
def load_framework(data: dict[str, Any], where: str = "framework data") -> Framework:
    """Create or update one framework, its sections and its criteria from parsed JSON data."""
    validate(data, where)
    values = {
        name: data.get(name, Framework._meta.get_field(name).get_default()) for name in FRAMEWORK_FIELDS
    }
    values["source"] = source_text(values["source"])
    framework, created = Framework.objects.get_or_create(
        name=data["name"], year=data["year"], defaults={**values, "is_local": False}
    )
    if not created:
        _save_if_changed(framework, values)
    for section_order, section_data in enumerate(data["sections"], start=1):
        section, created = Section.objects.get_or_create(
            framework=framework,
            order=section_order,
            defaults={"code": section_data["code"], "title": section_data["title"]},
        )
        if not created:
            _save_if_changed(section, {"code": section_data["code"], "title": section_data["title"]})
        for order, item in enumerate(section_data.get("criteria", []), start=1):
            wanted = {"wording": item["wording"], "group_heading": item.get("group_heading", "")}
            criterion = Criterion.objects.filter(framework=framework, code=item["code"]).first()
            if criterion is None:
                Criterion.objects.create(section=section, code=item["code"], order=order, **wanted)
            else:
                _save_if_changed(criterion, {**wanted, "section": section, "order": order})
    return framework


def load_file(path: Path) -> Framework:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise FrameworkDataError(f"{path.name}: not valid JSON ({error}).") from error
    return load_framework(data, where=path.name)


def load_all() -> list[Framework]:
    """Load every framework shipped with the app."""
    return [load_file(path) for path in data_files()]


def framework_2016() -> Framework:
    return load_file(DATA_DIR / "local_area_send_2016.json")
