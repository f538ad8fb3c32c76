"""Scrutiny members reach no write endpoint from the dashboards: every link and form is read-only."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from actions.models import Measure, MeasureValue
from tests.factories import make_action, make_brag_scale, make_update, rag_level

pytestmark = pytest.mark.django_db
READ_ONLY = {
    "home",
    "actions:list",
    "actions:mine",
    "actions:detail",
    "reports:overview",
    "reports:plan",
    "reports:kpis",
    "reports:series-list",
    "reports:trends",
    "inspections:reviews",
    "inspections:matrix",
    "inspections:coverage",
    "inspections:frameworks",
    "boards:list",
    "papers:list",
    # Their own account (password, two-step verification): nothing of the area's data is written there.
    "account:index",
    # Downloads of what the page shows (.xlsx/.csv): GET only.
    "exchange:export-actions",
    "exchange:export-plan",
    "exchange:export-matrix",
    "exchange:export-kpis",
}


@pytest.fixture
def pages(officer):
    scale = make_brag_scale()
    action = make_action(leads=[officer], due_date=timezone.localdate().replace(year=2020))
    make_update(action, officer, rag=rag_level(scale, "red"), rag_reason="Late.", recovery_plan="Soon.")
    measure = Measure.objects.create(name="Timeliness", plan=action.plan, higher_is_better=True)
    MeasureValue.objects.create(measure=measure, period_end=timezone.localdate(), value=Decimal("50"))
    return [
        reverse("reports:overview"),
        reverse("reports:plan", args=[action.plan_id]),
        reverse("reports:kpis"),
        reverse("reports:trends"),
    ]


def test_every_link_on_the_dashboards_leads_to_a_read_only_page(client, scrutiny_member, pages):
    client.force_login(scrutiny_member)

    for url in pages:
        html = client.get(url).content.decode()
        links = {href.split("#")[0].split("?")[0] for href in re.findall(r'href="(/[^"]*)"', html)}
        names = {
            resolve(link).view_name
            for link in links
            if not link.startswith("/static/") and link not in ("/logout/", "/favicon.ico")
        }
        assert names <= READ_ONLY, f"{url}: {sorted(names - READ_ONLY)}"
        # The only form that posts is "Sign out"; the date picker sends GET.
        assert re.findall(r'<form method="post" action="([^"]+)"', html) == ["/logout/"], url
