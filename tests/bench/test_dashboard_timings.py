"""Server time and queries of the dashboards with 400 actions and 800 updates, all of them "changed since".

Run with `make bench` (not part of `make test`: timings depend on the machine's load). Medians and query
counts are printed; ceilings are generous so only an order-of-magnitude regression fails. The overview lists
its changes, new actions and overdue actions a page at a time, so its time no longer grows with them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import Measure, MeasureValue
from reports.dashboards import month_ends
from tests.bench.test_page_timings import ACTIONS, RUNS, _median_ms
from tests.factories import make_busy_actions, make_user

pytestmark = pytest.mark.django_db

CEILING_MS = {"overview": 800, "overview, one plan": 800, "plan": 1500, "trends": 1500, "KPIs": 1500}
KPI_MEASURES, KPI_MONTHS = 60, 36


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _measures(plan) -> None:
    """Sixty KPIs with three years of monthly values, as the large area has."""
    periods = month_ends(timezone.localdate(), KPI_MONTHS)
    for index in range(KPI_MEASURES):
        measure = Measure.objects.create(name=f"Measure {index}", plan=plan, higher_is_better=index % 2 == 0)
        MeasureValue.objects.bulk_create(
            MeasureValue(measure=measure, period_end=day, value=Decimal(40 + i % 20), national=Decimal(50))
            for i, day in enumerate(periods)
        )


def test_dashboards_stay_fast_with_hundreds_of_actions(client):
    actions = make_busy_actions(ACTIONS)
    plan_id = actions[0].plan_id
    _measures(actions[0].plan)
    client.force_login(make_user(role="Scrutiny member"))
    pages = {
        "overview": "/dashboard/",
        "overview, one plan": f"/dashboard/?plan={plan_id}",
        "plan": f"/dashboard/plans/{plan_id}/",
        "trends": "/dashboard/trends/",
        "KPIs": "/dashboard/kpis/",
    }
    figures = {page: (_median_ms(client, url), _queries(client, url)) for page, url in pages.items()}
    print(
        f"\nMedian server time over {RUNS} requests, {ACTIONS} actions and {ACTIONS * 2} updates (all "
        f"changed since the default date), {KPI_MEASURES} KPIs x {KPI_MONTHS} months:"
    )
    for page, (ms, queries) in figures.items():
        print(f"  {page:<22} {ms:7.1f} ms  {queries:3d} queries")
    for page, (ms, _) in figures.items():
        assert ms < CEILING_MS[page], f"{page} took {ms:.0f} ms"
