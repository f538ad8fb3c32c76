"""Click as a person does, and check the page after every click: one h1, one main, one banner, one skip
link, the expected address, no console errors.

Used by the click-through and htmx-failure tests. Waiting is event-driven (load, or htmx settling), never
`networkidle`, so hundreds of clicks stay fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Page

DEMO_PASSWORD = "demo-password"

# Every `a[href]` on the page, described so links of the same kind can be told apart from different kinds.
# mode: "inplace" (htmx fetches a fragment, the address stays), "boost" (htmx swaps a region and pushes
# the address), "page" (an ordinary navigation), "fragment" (a same-page #anchor such as the skip link).
DESCRIBE_LINKS = """
() => Array.from(document.querySelectorAll("a[href]")).map((a, index) => {
  const attr = (el, name) => el.getAttribute(name) ?? el.getAttribute("data-" + name);
  const boosted = a.closest("[hx-boost],[data-hx-boost]");
  let mode = "page";
  if (attr(a, "hx-get") !== null) mode = "inplace";
  else if (a.getAttribute("href").startsWith("#")) mode = "fragment";
  else if (boosted && attr(boosted, "hx-boost") === "true") mode = "boost";
  const region =
    a.classList.contains("skip-link") ? "skip" :
    a.closest("thead") ? "table-head" :
    a.closest("tbody") ? "table-body" :
    a.closest("nav") ? "nav:" + (a.closest("nav").getAttribute("aria-label") || "") :
    a.closest("header") ? "header" :
    a.closest("footer") ? "footer" :
    a.closest("main") ? "main" : "body";
  const box = a.getBoundingClientRect();
  // Chromium gives a link inside a closed <details> a box, though nobody can see or click it.
  const folded = a.closest("details:not([open])") && !a.closest("summary");
  const visible = a.classList.contains("skip-link") || (box.width > 0 && box.height > 0 && !folded);
  const sameSite = a.origin === location.origin;
  const href = mode === "fragment" || !sameSite ? a.getAttribute("href") : a.pathname + a.search + a.hash;
  return {index, href, external: !sameSite, mode, region, visible, text: a.textContent.trim()};
})
"""

# Resolves when htmx has settled the next swap (or reports an error), whichever comes first.
ARM_HTMX_WAIT = """
() => {
  window.__htmxDone = false;
  const done = () => { window.__htmxDone = true; };
  for (const name of ["htmx:afterSettle", "htmx:responseError", "htmx:sendError"]) {
    document.addEventListener(name, done, {once: true});
  }
}
"""


# One round trip for the structure checks. A <header> is the banner unless it sits in a sectioning element
# (a whole page nested in <main> brings a second <header>, which is not a banner but is still wrong).
COUNT_LANDMARKS = """
() => ({
  h1: document.querySelectorAll("h1").length,
  main: document.querySelectorAll("main").length,
  "skip link": document.querySelectorAll("a.skip-link").length,
  header: document.querySelectorAll("header").length,
  banner: Array.from(document.querySelectorAll("header, [role=banner]")).filter((el) =>
    el.getAttribute("role") === "banner" ||
    !el.parentElement.closest("article, aside, main, nav, section")
  ).length,
})
"""


def shape(href: str) -> str:
    """Return the kind of address: digits replaced (in query keys too), the query reduced to its sorted keys.

    A plan's page pages each priority's actions with its own key (`priority_<id>_page`): one kind for all.
    """
    parts = urlsplit(href)
    keys = sorted({re.sub(r"\d+", "N", key) for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return parts.path + query + (f"#{parts.fragment}" if parts.fragment else "")


@dataclass
class Clicker:
    """A signed-in page plus what it saw: console errors since the last check, and each click made."""

    page: Page
    base_url: str
    errors: list[str] = field(default_factory=list)
    clicks: list[str] = field(default_factory=list)
    # The Django admin has no favicon link, so the browser asks for /favicon.ico there (our pages do not).
    allowed_errors: list[re.Pattern] = field(default_factory=lambda: [re.compile(r"/favicon\.ico\)$")])
    # Addresses that redirect (the start page sends each role to its home): where they end up.
    redirects: dict[str, str] = field(default_factory=dict)
    # The last page loaded by `goto`, as the server sent it.
    response: object = None

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    # -- navigation -----------------------------------------------------------------------------------

    def goto(self, path: str) -> None:
        self.response = self.page.goto(self.base_url + path, wait_until="load")
        self.check(path_of(self.page.url), what=f"goto {path}")

    def sign_in(
        self, username: str, *, password: str = DEMO_PASSWORD, expect_path: str | None = None
    ) -> None:
        if urlsplit(self.page.url).path != "/login/":
            self.goto("/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.click_button("Sign in", expect_path=expect_path, navigates=True)

    def final_path(self, href: str) -> str:
        """Return where an address ends up: itself, or where it redirects to."""
        return self.redirects.get(href, href)

    # -- clicking -------------------------------------------------------------------------------------

    def click_link(self, link: dict, *, what: str = "") -> None:
        """Click a link described by DESCRIBE_LINKS and check the page it leads to."""
        before = path_of(self.page.url)
        locator = self.page.locator("a[href]").nth(link["index"])
        label = what or f"{link['region']} link {link['text']!r} ({link['href']}) on {before}"
        if link["mode"] == "fragment":
            locator.focus()
            self.page.keyboard.press("Enter")
            expected = before.split("#")[0] + link["href"]
        elif link["mode"] in ("inplace", "boost"):
            expected = before if link["mode"] == "inplace" else self.final_path(link["href"])
            self.page.evaluate(ARM_HTMX_WAIT)
            locator.click()
            self.page.wait_for_function("() => window.__htmxDone === true")
        else:
            expected = self.final_path(link["href"])
            locator.click()
            self.page.wait_for_url(self.base_url + expected, wait_until="load")
        self.check(expected, what=label)

    def click_htmx(self, locator, *, expect_path: str | None = None, what: str = "") -> None:
        """Click something that makes an htmx request; wait until it has settled; check the page."""
        before = path_of(self.page.url)
        self.page.evaluate(ARM_HTMX_WAIT)
        locator.click()
        self.page.wait_for_function("() => window.__htmxDone === true")
        self.check(expect_path or before, what=what or f"htmx click on {before}")

    def click_button(
        self, name: str, *, within=None, expect_path: str | None = None, navigates: bool = False
    ) -> None:
        """Click a button by its accessible name; wait for the page it loads (or the htmx swap)."""
        scope = within or self.page
        button = scope.get_by_role("button", name=name)
        if navigates:
            with self.page.expect_navigation(wait_until="load"):
                button.click()
            self.check(expect_path or path_of(self.page.url), what=f"button {name!r}")
        else:
            self.click_htmx(button, expect_path=expect_path, what=f"button {name!r}")

    # -- checks ---------------------------------------------------------------------------------------

    def check(self, expected_path: str, *, what: str) -> None:
        self.clicks.append(what)
        counts = self.page.evaluate(COUNT_LANDMARKS)
        problems = []
        actual = path_of(self.page.url)
        if actual != expected_path:
            problems.append(f"address is {actual}, expected {expected_path}")
        # The Django admin has its own skip link and headings; it still needs one main and one banner.
        wanted = ("main", "banner", "header") if actual.startswith("/admin/") else tuple(counts)
        problems += [f"{counts[name]} {name} elements, expected 1" for name in wanted if counts[name] != 1]
        errors = [e for e in self.errors if not any(p.search(e) for p in self.allowed_errors)]
        if errors:
            problems.append(f"console errors: {errors}")
        self.errors.clear()
        assert not problems, f"after {what}: " + "; ".join(problems)


def sign_in(page: Page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form, without the click-through's checks."""
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # The click returns before the next page loads; wait until the browser has left the sign-in page.
    page.wait_for_url(lambda url: urlsplit(url).path != "/login/", wait_until="load")


def fill_date(scope, legend: str, iso: str) -> None:
    """Type an ISO date into the day, month and year boxes of the date input whose legend is `legend`."""
    year, month, day = iso.split("-")
    group = scope.get_by_role("group", name=legend)
    for part, value in (("Day", str(int(day))), ("Month", str(int(month))), ("Year", year)):
        group.get_by_label(part).fill(value)
