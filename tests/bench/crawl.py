"""Every page a role can reach, measured (make bench only): nothing here lists the pages.

Signed in as each role, the bench follows links from the home page, breadth first, and measures the first
page of each URL shape it meets (digits as one placeholder, the query reduced to its keys: the browser
crawl's `shape`), so a new page is measured by existing. Each role measures the shapes it reaches (a
plan lead's paper page has its editing controls, an officer's has not), keyed "shape [role]" so the demo's
and the large area's figures pair up.

Each page: one uncounted request, two counted (the session's expiry is written at most once a minute, on
whichever request comes first: the fewer counts), then `runs` timed ones. Targets (issue #32), checked by
`misses`: median at most half the Django admin's changelist of actions measured in the same run on the same
data, at most 15 queries, the same count on the demo and on the large area, at most 200 KB of HTML.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.contrib import admin
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from tests.bench.timing import time_requests
from tests.browser.clicking import shape

ADMIN_RATIO = 0.5
QUERY_BUDGET = 15
HTML_BUDGET_BYTES = 200 * 1024
# Signing out ends the session, the admin is the yardstick (not our UI), and downloads are files, not pages.
SKIP_PREFIXES = ("/logout/", "/admin/", "/static/", "/media/")
SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv")
# A page slower than this over its runs stops early (after at least 5 requests).
PAGE_BUDGET_S = 5.0


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def crawlable(href: str) -> str | None:
    """Return a link's path and query when the crawl follows it (a page of ours), else None."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links(html: str, base: str = "/") -> list[str]:
    """Return the pages of ours that the page at `base` links to, in page order.

    Relative links count (a pager's `?page=2`, the matrix's `?rounds=2`): read from `base`.
    """
    parser = _Links()
    parser.feed(html)
    return [path for href in parser.hrefs if (path := crawlable(urljoin(base, href)))]


def p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(client, url: str, runs: int, budget_s: float = PAGE_BUDGET_S, **kwargs) -> dict:
    """Count one warm request's queries, then time `runs` requests of `url`."""
    client.get(url, **kwargs)
    counts = []
    for _ in range(2):  # the fewer of two: a slow machine may cross the session's minute in one of them
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, **kwargs)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(captured))
    queries = min(counts)
    timings, response = time_requests(client, url, runs, budget_s, **kwargs)
    return {
        "url": url,
        "queries": queries,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95(timings), 1),
        "runs": len(timings),
        "bytes": len(response.content),
    }


def yardstick(client, administrator, plan_pk: int, runs: int, measure_page=None) -> dict:
    """Time the admin changelist of one plan's actions in progress, 50 a page (the actions table's page).

    `measure_page(client, url, runs)` measures it, by default `measure` with a 30-second budget.
    """
    client.force_login(administrator)
    action_admin = admin.site._registry[Action]
    per_page = action_admin.list_per_page
    action_admin.list_per_page = 50
    url = f"/admin/actions/action/?plan__id__exact={plan_pk}&status__exact=in_progress"
    try:
        return measure_page(client, url, runs) if measure_page else measure(client, url, runs, 30)
    finally:
        action_admin.list_per_page = per_page


def discover(client, start: str = "/", kind=shape) -> Iterator[tuple[str, HttpResponse]]:
    """Yield (url, response) for the first page of each kind of URL reached from `start`, breadth first.

    As the client's user: redirects are followed as links; only HTML pages answering 200 are yielded.
    `kind` tells kinds of address apart: by default the URL shape.
    """
    queue: deque[str] = deque([start])
    queued = {kind(start)}
    while queue:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            found = [path] if (path := crawlable(urljoin(url, response["Location"]))) else []
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            yield url, response
            found = links(response.content.decode(), url)
        else:
            continue
        for target in found:
            if (target_kind := kind(target)) not in queued:
                queued.add(target_kind)
                queue.append(target)


def crawl(client, users: list[tuple[str, object]], runs: int) -> dict[str, dict]:
    """Sign in as each (role, user) and measure every shape it reaches from home, keyed "shape [role]"."""
    measured: dict[str, dict] = {}
    for role, user in users:
        client.force_login(user)
        for url, _ in discover(client):
            try:
                measured[f"{shape(url)} [{role}]"] = {"role": role, **measure(client, url, runs)}
            except AssertionError as failed:  # a page that stops answering 200 when asked again
                print(f"  not measured: {url} as {role}: {failed}")
    return measured


def misses(area: str, pages: dict[str, dict], admin_ms: float, counts_elsewhere: dict[str, int]) -> list[str]:
    """Return each target a shape breaks, one line each."""
    found = []
    for kind, page in pages.items():
        ratio = page["median_ms"] / admin_ms
        page["x_admin"] = round(ratio, 2)
        if ratio > ADMIN_RATIO:
            found.append(f"{area} {kind}: median {page['median_ms']} ms is {ratio:.2f} × the admin's")
        if page["queries"] > QUERY_BUDGET:
            found.append(f"{area} {kind}: {page['queries']} queries (≤ {QUERY_BUDGET})")
        if page["bytes"] > HTML_BUDGET_BYTES:
            found.append(f"{area} {kind}: {page['bytes'] // 1024} KB of HTML (≤ {HTML_BUDGET_BYTES // 1024})")
        other = counts_elsewhere.get(kind)
        if other is not None and other != page["queries"]:
            found.append(f"{area} {kind}: {page['queries']} queries here, {other} on the other data set")
    return found


def print_table(area: str, pages: dict[str, dict], admin: dict) -> None:
    print(
        f"\n{area}: {len(pages)} page shapes; admin changelist {admin['median_ms']} ms "
        f"(p95 {admin['p95_ms']}, {admin['queries']} queries)"
    )
    print(f"  {'shape [role]':<60} {'median':>7} {'p95':>7} {'× admin':>7} {'queries':>7} {'KB':>6}")
    for kind, page in sorted(pages.items(), key=lambda item: -item[1]["median_ms"]):
        print(
            f"  {kind[:60]:<60} {page['median_ms']:>7.1f} {page['p95_ms']:>7.1f} "
            f"{page.get('x_admin', 0):>7.2f} {page['queries']:>7} {page['bytes'] / 1024:>6.0f}"
        )
