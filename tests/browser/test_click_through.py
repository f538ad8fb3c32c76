"""Each role clicks every kind of link it sees, once, from the first kind of page that shows it, then every
kind of button, on the demo data (every kind of page is still visited); after each click the page has one
h1, one main, one banner and one skip link, the expected address, and no console errors. Every kind of page
visited also passes tests/browser/page_checks.py (axe-core, no sideways scrolling at 320, 375 and 1280 px,
and the Nu HTML Checker), so one walk per role checks each page once for everything.

Pages and links join by existing: a link's kind is how it behaves (a page load, an htmx swap that pushes the
address, an htmx fetch in place) and the shape of its address, and for htmx links also where it sits (header,
breadcrumbs, table head, table body, pagination, main), since the region decides what htmx swaps; an ordinary
link loads the same page wherever it sits. The header's, menu's and footer's links are each a kind of their
own. A page's kind is the shape of its address, query keys included, so All actions sorted, paged and filtered
are different kinds of page.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from actions.models import Action
from tests.browser.clicking import DESCRIBE_LINKS, Clicker, path_of, shape
from tests.browser.page_checks import DESKTOP, FIRST_PAGES, PageChecks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_FOLLOWED = ("/logout/", "/admin/", "/static/")
DOWNLOADS = (".pdf", ".xlsx", ".csv", "/feed/")  # files and the public Atom feed, not pages
PAGES_PER_PATH = 8  # All actions: plain, sorted, paged, filtered, and the dashboards' drill-downs ...
# Told apart by their text too: each header and footer link is a kind of its own.
SITE_CHROME = ("skip", "header", "nav:Menu", "footer")


def click_every_kind_of_link(
    clicker: Clicker, start: str, checks: PageChecks, within: tuple[str, ...] | None = None
) -> dict[str, int]:
    """Visit every kind of page reachable from `start`, checking each, and click each kind of link once, from
    the first page that shows it; return the kinds clicked per page. With `within`, visit only `start` and
    the pages whose address starts with one of those (links to others are still clicked from those pages)."""
    queue: deque[str] = deque([start])
    pages_seen: set[str] = set()
    per_path: Counter[str] = Counter()
    clicked: dict[str, int] = {}
    done: set[tuple] = set()
    while queue:
        href = queue.popleft()
        if shape(href) in pages_seen:
            continue
        clicker.goto(href)
        here = path_of(clicker.page.url)
        path_shape = re.sub(r"\d+", "N", urlsplit(here).path)
        if shape(here) in pages_seen or per_path[path_shape] >= PAGES_PER_PATH:
            pages_seen.add(shape(href))
            continue
        pages_seen.update({shape(href), shape(here)})
        per_path[path_shape] += 1
        if not here.startswith("/admin/"):  # a third-party UI, tested separately
            checks.check(here, clicker.response.body())
        kinds: dict[tuple, dict] = {}
        for link in clicker.page.evaluate(DESCRIBE_LINKS):
            target = link["href"]
            parts = urlsplit(target)
            if not link["visible"] or link["external"] or target.startswith(NOT_FOLLOWED[0]):
                continue
            if parts.path.endswith(DOWNLOADS):  # a file, not a page: its own tests read it back
                continue
            if here.startswith("/admin/"):
                continue
            kind = (link["region"], link["mode"], target if link["mode"] == "fragment" else shape(target))
            if link["region"] in SITE_CHROME:
                kind = (*kind, link["text"])
            elif link["mode"] == "page":
                # An ordinary link does the same wherever it sits: its kind is where it leads.
                kind = kind[1:]
            followed = link["mode"] != "fragment" and not parts.path.startswith(NOT_FOLLOWED)
            if followed and (within is None or parts.path.startswith(within)):
                queue.append(target)
            if kind in done:
                continue
            done.add(kind)
            kinds.setdefault(kind, link)
        for number, link in enumerate(kinds.values()):
            if number:
                clicker.goto(here)
            clicker.click_link(link)
        clicked[shape(here)] = len(kinds)
    return clicked


def row(page, action: Action):
    return page.locator(f"#action-row-{action.pk}")


def demo_action(username: str, reference: str) -> Action:
    return Action.objects.select_related("plan").get(leads__user__username=username, reference=reference)


def officer_buttons(clicker: Clicker) -> None:
    page = clicker.page
    overdue, due = demo_action("officer", "1.2"), demo_action("officer", "2.3")
    clicker.goto("/actions/mine/")
    expect(row(page, overdue)).to_contain_text("Overdue")
    expect(row(page, due)).to_contain_text("Update due")

    # Open the form in the row, cancel it, open it again and complete the overdue action.
    clicker.click_htmx(row(page, overdue).get_by_role("link", name=f"Update action {overdue.reference}"))
    clicker.click_htmx(row(page, overdue).get_by_role("link", name="Cancel"))
    expect(row(page, overdue).get_by_role("button", name="Save update")).to_have_count(0)
    clicker.click_htmx(row(page, overdue).get_by_role("link", name=f"Update action {overdue.reference}"))
    row(page, overdue).get_by_label("Status").select_option("complete")
    row(page, overdue).get_by_label("Delivery RAG").select_option(label="Blue – Complete")
    row(page, overdue).get_by_label("Progress note").fill("Final audit signed off by the board.")
    row(page, overdue).get_by_label("Evidence of completion").fill("Board minutes, item 4.")
    clicker.click_button("Save update", within=row(page, overdue))
    expect(row(page, overdue)).to_contain_text("Complete")
    expect(row(page, overdue)).not_to_contain_text("Overdue")  # the row is fresh, not what was loaded

    # An update takes an action out of "Update due" at once.
    clicker.click_htmx(row(page, due).get_by_role("link", name=f"Update action {due.reference}"))
    row(page, due).get_by_label("Progress note").fill("Panel dates confirmed for the spring term.")
    fill_reasons_if_asked(row(page, due))
    clicker.click_button("Save update", within=row(page, due))
    expect(row(page, due)).to_contain_text("Saved")
    expect(row(page, due)).not_to_contain_text("Update due")

    # The action page's own form saves in place; the full update page saves and returns to `next`.
    action = demo_action("officer", "3.2")
    clicker.goto(f"/actions/{action.pk}/")
    page.get_by_label("Progress note").fill("Draft shared with the parent carer forum.")
    fill_reasons_if_asked(page.locator("#action-main"))
    clicker.click_button("Save update")
    banner = page.locator("#action-main .notification-banner")
    expect(banner).to_contain_text(f"Action {action.reference} updated")
    clicker.goto(f"/actions/{action.pk}/update/?next=/actions/mine/")
    page.get_by_label("Progress note").fill("Second draft agreed.")
    fill_reasons_if_asked(page.locator("main"))
    clicker.click_button("Save update", navigates=True, expect_path="/actions/mine/")
    expect(page.locator("#messages")).to_contain_text(f"Action {action.reference} updated")


def fill_reasons_if_asked(scope) -> None:
    """Fill the reason and recovery comment when the current RAG needs them (amber or red): only then are
    they shown (progressive disclosure)."""
    asked = (("Reason for the RAG rating", "Staffing gap."), ("Recovery comment", "Agency cover."))
    for label, text in asked:
        field = scope.get_by_label(label)
        if field.is_visible() and not field.input_value():
            field.fill(text)


def plan_lead_buttons(clicker: Clicker) -> None:
    page = clicker.page
    clicker.goto("/actions/")
    # A filter changes the results by htmx and pushes the address; so do sorting and paging.
    page.get_by_label("Actions per page").select_option("10")
    page.wait_for_url(re.compile(r"per_page=10"))
    clicker.check(path_of(page.url), what="choosing 10 actions per page")
    clicker.click_button("Apply filters", expect_path=path_of(page.url))
    due = page.locator("#action-results thead").get_by_role("link", name="Due")
    clicker.click_htmx(due, expect_path=due.evaluate("a => a.pathname + a.search"))
    next_link = page.locator("#action-results .pagination").get_by_role("link", name="Next page")
    clicker.click_htmx(next_link, expect_path=next_link.evaluate("a => a.pathname + a.search"))
    assert "page=2" in page.url and "sort=due_date" in page.url
    # After those swaps an action's reference opens its own page, not a page inside the results.
    first_ref = page.locator("#action-results tbody tr td:first-child a").first
    href = first_ref.get_attribute("href")
    first_ref.click()
    page.wait_for_url(clicker.base_url + href, wait_until="load")
    clicker.check(href, what="an action's reference after filter, sort and page swaps")

    # An update from a row of All actions leaves the address alone.
    clicker.goto("/actions/?sort=due_date")
    row_id = page.locator("#action-results tbody tr:has(a[hx-get], a[data-hx-get])").first.get_attribute("id")
    action = Action.objects.get(pk=int(row_id.removeprefix("action-row-")))
    clicker.click_htmx(row(page, action).get_by_role("link", name=f"Update action {action.reference}"))
    row(page, action).get_by_label("Progress note").fill("Checked by the plan lead.")
    fill_reasons_if_asked(row(page, action))
    clicker.click_button("Save update", within=row(page, action))
    expect(row(page, action)).to_contain_text("Saved")
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url(clicker.base_url + "/actions/", wait_until="load")
    clicker.check("/actions/", what="Clear filters")


def scrutiny_buttons(clicker: Clicker) -> None:
    page = clicker.page
    clicker.goto("/actions/")
    page.get_by_label("Status").select_option("complete")
    page.wait_for_url(re.compile(r"status=complete"))
    expect(page.locator("#action-results tbody .tag--status").first).to_have_text("Complete")
    clicker.check(path_of(page.url), what="filtering by status")
    clicker.click_button("Apply filters", expect_path=path_of(page.url))
    # Asking for a form it may not use gets the permission page, whose link leads back to the start.
    action = Action.objects.order_by("pk").first()
    page.goto(f"{clicker.base_url}/actions/{action.pk}/update/")
    clicker.allowed_errors.append(re.compile(r"status of 403"))
    clicker.check(f"/actions/{action.pk}/update/", what="opening an update form without permission")
    clicker.allowed_errors.pop()
    page.get_by_role("link", name="Go to the start page").click()
    page.wait_for_url(clicker.base_url + "/dashboard/", wait_until="load")  # a scrutiny member's home
    clicker.check("/dashboard/", what="Go to the start page")


BUTTONS = {"officer": officer_buttons, "lead": plan_lead_buttons, "scrutiny": scrutiny_buttons}
# An administrator's pages are the plan lead's but for the header's Admin link and the people pages' sign-in
# controls (tests/core/test_administrator_pages.py holds the code to that), and the plan lead's walk clicks
# and checks all the rest. The administrator's walk visits its home (the header, Admin link included) and
# these pages, which the plan lead's walk cannot see as an administrator does: it clicks every kind of link
# on them and checks each of them.
ADMIN_PAGES = ("/plans/people/", "/account/")
HOMES = {"officer": "/actions/mine/", "lead": "/plans/", "scrutiny": "/dashboard/", "admin": "/plans/"}


@pytest.mark.parametrize(
    "username",
    [
        pytest.param("officer", marks=pytest.mark.long(80)),
        pytest.param("lead", marks=pytest.mark.long(190)),
        pytest.param("scrutiny", marks=pytest.mark.long(80)),
        pytest.param("admin", marks=pytest.mark.long(30)),
    ],
)
def test_every_kind_of_link_and_button_leads_to_one_whole_page(page, live_server, demo_data, username):
    page.set_viewport_size(DESKTOP)
    clicker = Clicker(page, live_server.url, redirects={"/": HOMES[username]})
    clicker.goto("/login/")
    clicker.sign_in(username, expect_path=HOMES[username])
    checks = PageChecks(page, username)

    admin = username == "admin"
    clicked = click_every_kind_of_link(clicker, "/", checks, within=ADMIN_PAGES if admin else None)
    BUTTONS.get(username, lambda _: None)(clicker)
    clicker.goto(HOMES[username])
    clicker.click_button("Sign out", navigates=True, expect_path="/login/")

    # Every role clicked its way through the home, All actions sorted, and an action's page (the
    # administrator: its home, the people pages and a person's page, and the account page). Paging is
    # clicked by the plan lead's buttons (10 a page): All actions lists live plans only by default, which
    # in the demo data fit on one page.
    wanted = (
        {"/plans/", *ADMIN_PAGES, "/plans/people/N/"}
        if admin
        else {"/actions/", "/actions/?sort", "/actions/N/"}
    )
    assert wanted <= set(clicked), clicked
    assert sum(clicked.values()) >= 20, clicked
    assert checks.count >= (len(wanted) if admin else FIRST_PAGES + 2), checks.count
    problems = checks.problems()
    assert not problems, "\n".join(problems)
