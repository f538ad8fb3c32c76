"""Server time of the dashboards with 400 actions and 800 updates, all of them "changed since" and listed.

Medians printed; ceilings are generous (the overview lists every change, new action and overdue action, about
1 MB of HTML here) so only an order-of-magnitude regression fails.
"""

from __future__ import annotations

import pytest

from tests.bench.test_page_timings import ACTIONS, RUNS, _median_ms
from tests.factories import make_busy_actions, make_user

pytestmark = pytest.mark.django_db

CEILING_MS = {"overview": 6000, "plan": 2000, "trends": 2000, "KPIs": 500}


def test_dashboards_stay_fast_with_hundreds_of_actions(client):
    actions = make_busy_actions(ACTIONS)
    client.force_login(make_user(role="Scrutiny member"))
    figures = {
        "overview": _median_ms(client, "/dashboard/"),
        "plan": _median_ms(client, f"/dashboard/plans/{actions[0].plan_id}/"),
        "trends": _median_ms(client, "/dashboard/trends/"),
        "KPIs": _median_ms(client, "/dashboard/kpis/"),
    }
    print(f"\nMedian server time over {RUNS} requests, {ACTIONS} actions, {ACTIONS * 2} updates:")
    for page, ms in figures.items():
        print(f"  {page:<22} {ms:7.1f} ms")
    for page, ms in figures.items():
        assert ms < CEILING_MS[page], f"{page} took {ms:.0f} ms"
