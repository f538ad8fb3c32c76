"""The dashboards stay readable and light on the largest areas: every page at most 200 KB of HTML (issue #32).

On the large area (`generate_large_area`) the overview was 457 KB, trends 428 KB, the KPI page 317 KB and the
300-action plan's page 227 KB; now about 70-125 KB each. The pages' sizes follow the plans, priorities,
months, measures and the 300-action plan, not the number of other actions or the length of each update log,
so the test builds that shape at a size the suite can afford: the plan of 300 actions and seven of 20 (8
plans, 80 priorities), 36 monthly rounds of two frameworks of 10 criteria, 16 measures of 36 months, two
updates an action and 30 users. Seconds, not the half-minute of the full build; a page that grows with the
data (a chart or a row per action, per plan or per month without paging) still fails here.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from core import roles
from demo import large_area

pytestmark = pytest.mark.django_db

LIMIT = 200 * 1024


@pytest.fixture
def area(monkeypatch):
    monkeypatch.setattr(large_area, "_update_counts", lambda rng, total: [2] * total)
    monkeypatch.setattr(large_area, "PLAN_SIZES", (300,) + (20,) * 7)
    monkeypatch.setattr(large_area, "CRITERIA_PER_FRAMEWORK", 10)
    monkeypatch.setattr(large_area, "MEASURES", 16)
    monkeypatch.setattr(large_area, "USERS", 30)
    return large_area.generate()


def test_no_dashboard_page_is_over_200_kb_on_the_large_area(client, area):
    client.force_login(User.objects.filter(groups__name=roles.SCRUTINY_MEMBER).first())
    pages = [
        reverse("reports:overview"),
        reverse("reports:trends"),
        reverse("reports:kpis"),
        f"{reverse('reports:kpis')}?plan={area.appendix_plan_pk}",
        reverse("reports:plan", args=[area.appendix_plan_pk]),  # the plan of 300 actions
    ]

    sizes = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        sizes[url] = len(response.content)

    shown = ", ".join(f"{url} {size / 1024:.0f} KB" for url, size in sizes.items())
    assert max(sizes.values()) <= LIMIT, shown
