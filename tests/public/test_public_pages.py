"""The public progress page (#33): prepared and approved by a plan lead, frozen on publish, read by anyone."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from actions.models import Measure, MeasureValue
from public.models import PrioritySummary, Publication, PublicMeasure, YouSaidWeDid
from public.reading_age import reading_age
from tests.factories import (
    make_action,
    make_plan,
    make_priority,
    make_published_paper,
    make_update,
    rag_level,
)

pytestmark = pytest.mark.django_db

DONE = "We hired four new caseworkers. Plans now arrive faster."
NEXT = "We will train school staff in the autumn term."


@pytest.fixture
def lead_client(plan_lead) -> Client:
    client = Client()
    client.force_login(plan_lead)
    return client


@pytest.fixture
def plan(plan_lead):
    plan = make_plan(title="Our SEND improvement plan")
    priority = make_priority(plan, number="1", title="Plans on time")
    make_action(priority, reference="1.1", rag_reason="Secret internal reason about Mrs Jones")
    return plan


def _post(client: Client, name: str, pk: int, **data) -> object:
    return client.post(reverse(name, args=[pk]), data)


def _prepare(client: Client, plan) -> None:
    """Write and approve everything through the pages, as a plan lead does."""
    priority = plan.priorities.get()
    _post(client, "publishing:purpose", plan.pk, version=0, purpose="To get help to children sooner.")
    _post(client, "publishing:summary", priority.pk, version=0, done=DONE, next_steps=NEXT)
    _post(client, "publishing:approve-summary", priority.pk, version=PrioritySummary.objects.get().version)
    _post(client, "publishing:item-add", priority.pk, version=0, you_said="Plans take too long.", we_did=DONE)
    item = YouSaidWeDid.objects.get()
    _post(client, "publishing:item-approve", item.pk, version=item.version)


def _publish(client: Client, plan) -> None:
    publication = Publication.objects.filter(plan=plan).first()
    version = publication.version if publication else 0
    response = _post(client, "publishing:publish", plan.pk, version=version)
    assert response.status_code == 302


def test_a_plan_lead_publishes_approved_words_and_the_public_reads_them(lead_client, plan):
    _prepare(lead_client, plan)
    check = lead_client.get(reverse("publishing:publish", args=[plan.pk]))
    assertContains(check, "Anyone can read the page once it is published")
    _publish(lead_client, plan)

    page = Client().get(reverse("public:progress", args=[plan.pk]))
    assert page.status_code == 200
    assertContains(page, "To get help to children sooner.")
    assertContains(page, DONE)
    assertContains(page, NEXT)
    assertContains(page, "Plans take too long.")
    assertContains(page, ">On track<")  # its only action is open, not due and not rated
    assertNotContains(page, "Secret internal reason")
    history = Publication.history.filter(published_at__isnull=False).first()
    assert history.history_user.username == "plan_lead"


def test_delivery_state_is_in_words_with_the_date_of_the_last_update(lead_client, plan, plan_lead):
    action = plan.actions.get()
    make_update(action, plan_lead, rag=rag_level(plan.rag_scale, "red"), rag_reason="Private reason")
    _prepare(lead_client, plan)
    _publish(lead_client, plan)
    page = Client().get(reverse("public:progress", args=[plan.pk]))
    assertContains(page, ">Behind<")
    assertContains(page, f"Last updated {datetime.date.today():%-d %B %Y}")
    assertNotContains(page, "Private reason")


def test_nothing_unapproved_reaches_the_page_and_a_publish_freezes_it(lead_client, plan):
    _prepare(lead_client, plan)
    _publish(lead_client, plan)
    priority = plan.priorities.get()
    summary = PrioritySummary.objects.get()
    _post(
        lead_client,
        "publishing:summary",
        priority.pk,
        version=summary.version,
        done="Draft words",
        next_steps=NEXT,
    )
    _publish(lead_client, plan)
    page = Client().get(reverse("public:progress", args=[plan.pk]))
    assertNotContains(page, "Draft words")
    assertContains(page, DONE)

    summary.refresh_from_db()
    _post(lead_client, "publishing:approve-summary", priority.pk, version=summary.version)
    assertNotContains(
        Client().get(reverse("public:progress", args=[plan.pk])), "Draft words"
    )  # not republished
    _publish(lead_client, plan)
    assertContains(Client().get(reverse("public:progress", args=[plan.pk])), "Draft words")


def test_an_unapproved_item_and_a_retired_one_are_left_off(lead_client, plan):
    _prepare(lead_client, plan)
    priority = plan.priorities.get()
    _post(lead_client, "publishing:item-add", priority.pk, version=0, you_said="Unapproved voice", we_did="x")
    item = YouSaidWeDid.objects.get(you_said="Plans take too long.")
    _post(lead_client, "publishing:item-retire", item.pk, version=item.version)
    _publish(lead_client, plan)
    page = Client().get(reverse("public:progress", args=[plan.pk]))
    assertNotContains(page, "Unapproved voice")
    assertNotContains(page, "Plans take too long.")


def test_public_pages_set_no_cookie_and_are_cacheable_with_an_etag(lead_client, plan, settings):
    _prepare(lead_client, plan)
    _publish(lead_client, plan)
    url = reverse("public:progress", args=[plan.pk])
    for client in (Client(), lead_client):  # a signed-in visitor gets the same, cookie-free page
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies
        assert response["Cache-Control"] == "public, max-age=300"
        assert "Cookie" not in response.get("Vary", "")
        assert "X-Robots-Tag" not in response
        assert "csrfmiddlewaretoken" not in response.content.decode()
    again = Client().get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304

    settings.PUBLIC_PAGES_INDEXABLE = False
    assert Client().get(url)["X-Robots-Tag"] == "noindex, nofollow"


def test_a_signed_in_page_stays_private():
    response = Client().get(reverse("login"))
    assert response["Cache-Control"] == "private, no-store"


def test_withdrawing_answers_410_everywhere_and_keeps_who_did_it(lead_client, plan):
    _prepare(lead_client, plan)
    _publish(lead_client, plan)
    publication = Publication.objects.get()
    response = _post(lead_client, "publishing:withdraw", plan.pk, version=publication.version)
    assert response.status_code == 302
    for name in ("public:progress", "public:feed", "public:embed"):
        assert Client().get(reverse(name, args=[plan.pk])).status_code == 410
    assertNotContains(Client().get(reverse("public:index")), plan.title)
    assert Publication.history.filter(withdrawn_at__isnull=False).first().history_user.username == "plan_lead"


def test_a_plan_never_published_is_not_found(plan):
    assert Client().get(reverse("public:progress", args=[plan.pk])).status_code == 404


def test_the_feed_and_the_embed(lead_client, plan):
    _prepare(lead_client, plan)
    _publish(lead_client, plan)
    feed = Client().get(reverse("public:feed", args=[plan.pk]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assertContains(feed, "1. Plans on time: on track")
    assertContains(feed, "<feed")
    embed = Client().get(reverse("public:embed", args=[plan.pk]))
    assert "<script" not in embed.content.decode()
    assert "<html" not in embed.content.decode()
    assertContains(embed, "Plans on time")


def test_small_counts_are_suppressed(lead_client, plan):
    measure = Measure.objects.create(
        name="Children waiting", plan=plan, unit="number", higher_is_better=False
    )
    for month, value in ((1, "3"), (2, "27")):
        MeasureValue.objects.create(
            measure=measure, period_end=datetime.date(2030, month, 28), value=Decimal(value)
        )
    _post(lead_client, "publishing:measure", measure.pk, version=0, is_public="1")
    assert PublicMeasure.objects.get().is_public
    _publish(lead_client, plan)
    page = Client().get(reverse("public:progress", args=[plan.pk]))
    assertContains(page, "<td>fewer than 5</td>", html=False)
    assertContains(page, "<td>27</td>", html=False)
    assertContains(page, "<td>February 2030</td>", html=False)  # months as families read them
    assertNotContains(page, "<td>3</td>", html=False)


def test_a_measure_not_chosen_is_not_shown(lead_client, plan):
    Measure.objects.create(name="Hidden measure", plan=plan, unit="percent", higher_is_better=True)
    _publish(lead_client, plan)
    assertNotContains(Client().get(reverse("public:progress", args=[plan.pk])), "Hidden measure")


def test_published_papers_are_linked_and_exempt_ones_are_not(lead_client, plan):
    paper = make_published_paper(plan, title="Progress report to scrutiny")
    exempt = make_published_paper(
        plan, title="Exempt staffing paper", access="exempt", exempt_reason="Para 1"
    )
    _publish(lead_client, plan)
    page = Client().get(reverse("public:progress", args=[plan.pk]))
    assertContains(page, "Progress report to scrutiny")
    assertNotContains(page, "Exempt staffing paper")
    version = paper.versions.get()
    pdf = Client().get(reverse("public:paper", args=[plan.pk, version.pk]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    hidden = exempt.versions.get()
    assert Client().get(reverse("public:paper", args=[plan.pk, hidden.pk])).status_code == 404


def test_public_pages_are_rate_limited_per_address(lead_client, plan, settings):
    settings.PUBLIC_PAGES_RATE_LIMIT = 3
    url = reverse("public:index")
    statuses = [Client(REMOTE_ADDR="203.0.113.9").get(url).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Client(REMOTE_ADDR="203.0.113.10").get(url).status_code == 200


def test_public_pages_refuse_writes(plan):
    assert Client().post(reverse("public:index")).status_code == 405


def test_the_public_page_runs_a_fixed_number_of_queries(
    lead_client, plan, plan_lead, django_assert_max_num_queries
):
    _prepare(lead_client, plan)
    _publish(lead_client, plan)
    url = reverse("public:progress", args=[plan.pk])
    with django_assert_max_num_queries(6) as small:
        Client().get(url)
    for number in range(2, 12):
        priority = make_priority(plan, number=str(number), title=f"Priority {number}")
        make_action(priority)
    _publish(lead_client, plan)
    with django_assert_max_num_queries(6) as large:
        Client().get(url)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_large_text_option(lead_client, plan):
    _prepare(lead_client, plan)
    _publish(lead_client, plan)
    url = reverse("public:progress", args=[plan.pk])
    assertContains(Client().get(url), f'href="{url}?text=large"')
    assertContains(Client().get(url + "?text=large"), 'class="public public--large"')


def test_officers_and_scrutiny_cannot_prepare_or_publish(plan, officer, scrutiny_member):
    for user in (officer, scrutiny_member):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("publishing:plan", args=[plan.pk])).status_code == 403
        assert _post(client, "publishing:publish", plan.pk, version=0).status_code == 403
    assert not Publication.objects.exists()


def test_a_stale_summary_save_is_refused_with_the_changes(lead_client, plan):
    _prepare(lead_client, plan)
    priority = plan.priorities.get()
    response = _post(
        lead_client, "publishing:summary", priority.pk, version=1, done="Mine", next_steps="Mine"
    )
    assert response.status_code == 409
    assertContains(response, "Someone else changed this", status_code=409)
    assert PrioritySummary.objects.get().done == DONE


def test_a_stale_publish_is_refused(lead_client, plan):
    _publish(lead_client, plan)
    publication = Publication.objects.get()
    _post(lead_client, "publishing:publish", plan.pk, version=publication.version - 1)
    publication.refresh_from_db()
    assert publication.version == 2  # created at 1, published once


def test_an_empty_summary_is_refused_naming_the_field(lead_client, plan):
    priority = plan.priorities.get()
    response = _post(lead_client, "publishing:summary", priority.pk, version=0, done="", next_steps="")
    assert response.status_code == 422
    assertContains(response, "Enter what has been done", status_code=422)
    assertContains(response, "<title>Error:", status_code=422)


def test_hard_words_get_a_reading_age_warning(lead_client, plan):
    priority = plan.priorities.get()
    hard = (
        "The multidisciplinary commissioning arrangements necessitate comprehensive reconfiguration, "
        "notwithstanding considerable organisational interdependencies and accountability frameworks."
    )
    response = _post(lead_client, "publishing:summary", priority.pk, version=0, done=hard, next_steps=hard)
    page = lead_client.get(response["Location"])
    assertContains(page, "Try shorter sentences and everyday words")
    assert reading_age(DONE + " " + NEXT + " We will tell you what changes.") <= 12
