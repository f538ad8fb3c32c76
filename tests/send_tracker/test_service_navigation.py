"""The header's service navigation: at most six items per role in plain words, a Menu button that works
without JavaScript, and the lists each role lands on."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from actions.models import Plan
from tests.factories import make_action, make_plan, make_priority, make_user

ITEM = re.compile(r'class="service-nav__link" href="([^"]+)"[^>]*>([^<]+)</a>')

EXPECTED = {
    "officer": ["My actions", "All actions", "Reports", "Committee papers"],
    "scrutiny_member": ["All actions", "Reports", "Committee papers"],
    "plan_lead": ["My actions", "Plans", "All actions", "Update cycle", "Reports", "Committee papers"],
    "administrator": ["My actions", "Plans", "All actions", "Update cycle", "Reports", "Committee papers"],
}


def items(html: str) -> list[str]:
    """Return the labels of the wide-screen list (the Menu's list repeats them for narrow screens)."""
    wide = html.split('class="service-nav__wide"', 1)[1].split("</ul>", 1)[0]
    return [label for _href, label in ITEM.findall(wide)]


@pytest.mark.parametrize("persona", EXPECTED)
def test_each_role_has_at_most_six_items_in_plain_words(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    html = client.get(reverse("papers:list")).content.decode()

    assert items(html) == EXPECTED[persona]
    assert len(items(html)) <= 6
    # The same items behind the Menu button, which is a <details>: it opens without JavaScript.
    menu = html.split('<details class="service-nav__menu">', 1)[1].split("</details>", 1)[0]
    assert '<summary class="service-nav__toggle">Menu</summary>' in menu
    assert [label for _href, label in ITEM.findall(menu)] == EXPECTED[persona]


def test_a_councillor_sees_my_actions_only_when_they_lead_one(client, scrutiny_member):
    client.force_login(scrutiny_member)
    assert "My actions" not in items(client.get(reverse("reports:overview")).content.decode())

    make_action(leads=[scrutiny_member])

    assert items(client.get(reverse("reports:overview")).content.decode())[0] == "My actions"


def test_account_and_sign_out_sit_beside_the_name_not_in_the_navigation(client, officer):
    client.force_login(officer)

    html = client.get(reverse("actions:mine")).content.decode()

    account = html.split('class="header__account"', 1)[1].split("</div>", 1)[0]
    assert f'href="{reverse("account:index")}"' in account and "Sign out" in account
    assert "Account" not in items(html)


@pytest.mark.parametrize(
    ("url_name", "current"),
    [("inspections:reviews", "Reports"), ("inspections:matrix", "Reports"), ("reports:overview", "Reports")],
)
def test_pages_under_an_item_mark_it_current(client, plan_lead, url_name, current):
    client.force_login(plan_lead)

    html = client.get(reverse(url_name)).content.decode()

    wide = html.split('class="service-nav__wide"', 1)[1].split("</ul>", 1)[0]
    assert re.search(rf'aria-current="(page|true)">{current}</a>', wide)


def test_all_actions_lists_live_plans_actions_and_closed_ones_only_on_request(client, scrutiny_member):
    live = make_action(make_priority(make_plan(title="Live plan")), description="Action of the live plan")
    closed = make_action(
        make_priority(make_plan(title="Closed plan", status=Plan.Status.CLOSED)),
        description="Action of the closed plan",
    )
    client.force_login(scrutiny_member)
    url = reverse("actions:list")

    default = client.get(url).content.decode()
    both = client.get(url, {"plans": "all"}).content.decode()
    only_closed = client.get(url, {"plans": "closed"}).content.decode()
    chosen = client.get(url, {"plan": closed.plan_id}).content.decode()

    assert live.description in default and closed.description not in default
    assert both.index(live.description) < both.index(closed.description)
    assert closed.description in only_closed and live.description not in only_closed
    assert closed.description in chosen  # choosing a closed plan shows its actions


def test_plan_leads_land_on_their_live_plans_with_closed_ones_after(client, plan_lead):
    make_plan(title="Closed plan", status=Plan.Status.CLOSED)
    make_plan(title="A live plan", lead=plan_lead)
    client.force_login(plan_lead)

    html = client.get(reverse("home"), follow=True).content.decode()

    assert (
        html.index("Live plans")
        < html.index("A live plan")
        < html.index("Closed plans")
        < html.index("Closed plan<")
    )
    assert "(you lead it)" in html


def test_no_user_role_sees_more_than_six_items_even_with_every_role(client, db):
    from core import roles

    user = make_user("everything", role=roles.ADMINISTRATOR)
    for role in roles.ROLES:
        user.groups.add(*make_user(role=role).groups.all())
    client.force_login(user)

    assert len(items(client.get(reverse("papers:list")).content.decode())) <= 6
