"""A deployment may leave the demo app out of INSTALLED_APPS and every page still renders.

The pages load only core's tags: `{% page_banner %}` and `{% source_note %}` ask the installed apps for
their words, and the demo's AppConfig gives them while it is installed. override_settings(INSTALLED_APPS)
rebuilds the app registry and Django's template engines (a fresh engine finds only the installed apps'
tag libraries), so a template that still loaded one of the demo's would fail here.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from demo import framework as demo_framework
from demo import sources, wsoa
from demo.models import DemoDataset
from inspections.models import Assessment
from tests.factories import make_criterion, make_finding, make_plan

ROOT = Path(__file__).resolve().parents[2]
BANNER = "Demonstration data"
NOTE = "Data source"


@pytest.fixture
def pages(db) -> dict[str, str]:
    """Return the URLs of the pages that show the demo's banner or notes, over a database flagged as demo."""
    plan = make_plan(title=wsoa.TITLE)
    finding = make_finding()
    criterion = make_criterion()
    framework = criterion.framework
    framework.name, framework.year = demo_framework.NAME, demo_framework.YEAR
    framework.save()
    Assessment.objects.create(framework=framework, label="Feb 18", assessed_on=datetime.date(2018, 2, 28))
    DemoDataset.objects.create(
        pk=1, area_name="Demo local area", as_of=datetime.date(2026, 3, 1), loaded_at=timezone.now()
    )
    sources.forget()
    yield {
        "actions:list": reverse("actions:list"),
        "plans:detail": reverse("plans:detail", args=[plan.pk]),
        "reports:plan": reverse("reports:plan", args=[plan.pk]),
        "inspections:review": reverse("inspections:review", args=[finding.review_id]),
        "inspections:framework": reverse("inspections:framework", args=[framework.pk]),
        "inspections:matrix": reverse("inspections:matrix") + f"?framework={framework.pk}",
    }
    sources.forget()


def _get(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_with_the_demo_installed_the_pages_show_its_banner_and_notes(client, plan_lead, pages):
    client.force_login(plan_lead)
    for name, url in pages.items():
        status, body = _get(client, url)
        assert status == 200, name
        assert BANNER in body, name
    for name in ("plans:detail", "reports:plan", "inspections:framework", "inspections:matrix"):
        assert NOTE in _get(client, pages[name])[1], name


def test_without_the_demo_every_page_renders_with_no_banner_nor_notes(client, plan_lead, pages):
    client.force_login(plan_lead)
    without_demo = [app for app in settings.INSTALLED_APPS if app != "demo"]
    assert len(without_demo) == len(settings.INSTALLED_APPS) - 1
    with override_settings(INSTALLED_APPS=without_demo):
        for name, url in pages.items():
            status, body = _get(client, url)
            assert status == 200, name
            assert BANNER not in body and NOTE not in body, name


def test_no_template_loads_a_tag_library_of_the_demo():
    loads = re.compile(r"{%\s*load\s+([^%]*)%}")
    demo_libraries = {"demo_data"} | {path.stem for path in (ROOT / "demo").rglob("templatetags/*.py")}
    found = [
        f"{path.relative_to(ROOT)} loads {library}"
        for folder in ("templates", "jinja2")
        for path in (ROOT / folder).rglob("*.html")
        for match in loads.finditer(path.read_text())
        for library in match.group(1).split()
        if library in demo_libraries
    ]
    assert found == []
