"""Closing or archiving a plan and publishing a paper go through a check page that says what will happen,
with the button worded as the action; the change itself is still the one POST."""

from __future__ import annotations

from django.urls import reverse

from actions.models import Plan
from tests.factories import make_paper, make_plan, make_published_paper


def test_closing_a_plan_asks_first_and_the_button_closes_it(client, plan_lead):
    plan = make_plan(title="Written Statement of Action 2019")
    client.force_login(plan_lead)

    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    check = client.get(reverse("plans:status", args=[plan.pk]))

    assert f'href="{reverse("plans:status", args=[plan.pk])}"' in detail  # a link, not a button that closes
    html = check.content.decode()
    assert check.status_code == 200
    assert "<h1>Close Written Statement of Action 2019</h1>" in html
    assert ">Close the plan</button>" in html
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE  # looking at the check page changes nothing

    response = client.post(
        reverse("plans:status", args=[plan.pk]), {"version": plan.version, "status": "closed"}
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED


def test_archiving_a_plan_asks_first(client, plan_lead):
    plan = make_plan(title="Strategy plan")
    client.force_login(plan_lead)

    html = client.get(reverse("plans:archive", args=[plan.pk])).content.decode()

    assert "<h1>Archive Strategy plan</h1>" in html and ">Archive the plan</button>" in html
    assert "Nothing is deleted" in html
    plan.refresh_from_db()
    assert plan.archived_at is None


def test_a_check_page_is_refused_to_those_who_cannot_make_the_change(client, officer, scrutiny_member):
    plan = make_plan()
    for user in (officer, scrutiny_member):
        client.force_login(user)
        assert client.get(reverse("plans:status", args=[plan.pk])).status_code == 403
        assert client.get(reverse("plans:archive", args=[plan.pk])).status_code == 403


def test_a_closed_plan_has_no_closing_check_page(client, plan_lead):
    plan = make_plan(status=Plan.Status.CLOSED)
    client.force_login(plan_lead)

    response = client.get(reverse("plans:status", args=[plan.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])


def test_publishing_says_which_version_it_publishes(client, plan_lead):
    paper = make_paper()
    client.force_login(plan_lead)
    url = reverse("papers:publish", args=[paper.pk])

    detail = client.get(reverse("papers:detail", args=[paper.pk])).content.decode()
    check = client.get(url).content.decode()

    assert f'<a href="{url}" class="button">Publish version 1</a>' in detail
    assert "<h1>Publish version 1</h1>" in check and ">Publish version 1</button>" in check
    assert "cannot be taken back" in check
    paper.refresh_from_db()
    assert not paper.is_published


def test_a_published_paper_has_no_publishing_check_page(client, plan_lead):
    paper = make_published_paper()
    client.force_login(plan_lead)

    response = client.get(reverse("papers:publish", args=[paper.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("papers:detail", args=[paper.pk])
