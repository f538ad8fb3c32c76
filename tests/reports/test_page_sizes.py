"""Every page stays readable and light on the largest areas: at most 200 KB of HTML (issue #32).

On the large area (`generate_large_area`) the overview was 457 KB, trends 428 KB, the KPI page 317 KB, the
300-action plan's page 227 KB and the RAG matrix with all 36 rounds of 55 criteria 250 KB; now at most about
125 KB each. The pages' sizes follow the plans, priorities, criteria, months, measures and the 300-action
plan, not the number of other actions or the length of each update log, so the test builds that shape at a
size the suite can afford: the plan of 300 actions and seven of 20 (8 plans, 80 priorities), 36 monthly
rounds of two frameworks of 55 criteria, 16 measures of 36 months, two updates an action and 30 users.
Seconds, not the half-minute of the full build; a page that grows with the data (a chart or a row per
action, per plan, per round or per month without paging) still fails here.

One build serves two checks: named pages, the biggest of their kind (the crawl meets the first of each), as
a councillor; then every kind of page a plan lead (who reaches the most kinds, editing forms included)
reaches from home by links, with the bench's crawl. `make bench` measures every role's pages.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from core import roles
from demo import large_area
from tests.bench import crawl
from tests.browser.clicking import shape

pytestmark = pytest.mark.django_db

LIMIT = 200 * 1024


@pytest.fixture
def area(monkeypatch):
    monkeypatch.setattr(large_area, "_update_counts", lambda rng, total: [2] * total)
    monkeypatch.setattr(large_area, "PLAN_SIZES", (300,) + (20,) * 7)
    monkeypatch.setattr(large_area, "MEASURES", 16)
    monkeypatch.setattr(large_area, "USERS", 30)
    return large_area.generate()


def kind(url: str) -> str:
    """Return the URL's shape without its pagers' and sort keys: another page or order of a list is as big."""
    path, _, keys = shape(url).partition("?")
    kept = [key for key in keys.split("&") if key and not key.endswith("page") and key != "sort"]
    return path + ("?" + "&".join(kept) if kept else "")


def sizes_of(client, urls: list[str]) -> dict[str, int]:
    sizes = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        sizes[url] = len(response.content)
    return sizes


def test_no_page_is_over_200_kb_on_the_large_area(client, area):
    client.force_login(User.objects.filter(groups__name=roles.SCRUTINY_MEMBER).first())
    matrix = reverse("inspections:matrix")
    sizes = sizes_of(
        client,
        [
            reverse("reports:overview"),
            reverse("reports:trends"),
            reverse("reports:kpis"),
            f"{reverse('reports:kpis')}?plan={area.appendix_plan_pk}",
            reverse("reports:plan", args=[area.appendix_plan_pk]),  # the plan of 300 actions
            matrix,
            f"{matrix}?rounds=2",  # earlier rounds, a window at a time
            f"{matrix}?rounds=all",  # was every round: now the latest window
        ],
    )

    client.force_login(User.objects.filter(username__startswith="la-", groups__name=roles.PLAN_LEAD).first())
    for url, response in crawl.discover(client, kind=kind):
        sizes[f"{kind(url)} {url}"] = len(response.content)

    assert len(sizes) > 80  # the crawl reached the pages (about 100 kinds)
    over = [f"{url} {size / 1024:.0f} KB" for url, size in sizes.items() if size > LIMIT]
    assert not over, over
