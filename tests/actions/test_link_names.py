"""Links in the action tables say where they go: plans number their actions from 1, so a bare "1.1" is not
enough (WCAG 2.4.4 Link Purpose). The plan's name is added for assistive technology only."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import make_action, make_plan, make_priority


class _Links(HTMLParser):
    """Collect each link's text (its accessible name here: our links have no aria-label) and href."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._text).split()), self._href))
            self._href = None


@pytest.fixture
def two_plans_numbered_alike(officer):
    for title in ("SEND written statement of action", "Alternative provision strategy"):
        make_action(make_priority(make_plan(title=title), number="1"), reference="1.1", leads=[officer])


def links_by_name(html: str) -> dict[str, set[str]]:
    parser = _Links()
    parser.feed(html)
    by_name: dict[str, set[str]] = defaultdict(set)
    for name, href in parser.links:
        by_name[name].add(href)
    return by_name


@pytest.mark.parametrize("page", ["actions:list", "actions:mine"])
def test_no_two_links_share_a_name_but_go_elsewhere(client, officer, two_plans_numbered_alike, page):
    client.force_login(officer)
    by_name = links_by_name(client.get(reverse(page)).content.decode())
    assert {name: hrefs for name, hrefs in by_name.items() if len(hrefs) > 1} == {}
    assert "1.1 (SEND written statement of action)" in by_name
    assert "1.1 (Alternative provision strategy)" in by_name
    assert "Update action 1.1 (Alternative provision strategy)" in by_name


def test_sighted_users_still_see_just_the_reference(client, officer, two_plans_numbered_alike):
    client.force_login(officer)
    html = client.get(reverse("actions:list")).content.decode()
    assert '1.1<span class="visually-hidden"> (Alternative provision strategy)</span></a>' in html
