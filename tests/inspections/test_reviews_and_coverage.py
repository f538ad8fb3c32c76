"""Reviews as chains, review pages with findings by kind and theme, coverage flags, linking priorities."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Action
from inspections.models import Finding, Framework, Review, RevisitJudgement
from tests.factories import make_action, make_brag_scale, make_finding, make_priority, make_review, rag_level

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def chain():
    """Inspection → revisit (insufficient progress on 3 of 5) → statutory direction."""
    inspection = make_review(
        title="Joint local area SEND inspection", start_date=D(2019, 3, 4), outcome="wsoa"
    )
    weaknesses = [
        make_finding(inspection, reference=f"ASW{n}", order=n, text=f"Weakness {n}.") for n in range(1, 6)
    ]
    revisit = make_review(
        kind=Review.Kind.REVISIT, title="Revisit", start_date=D(2021, 3, 1), follows_up=inspection
    )
    for n, finding in enumerate(weaknesses):
        RevisitJudgement.objects.create(
            revisit=revisit,
            finding=finding,
            judgement="insufficient" if n < 3 else "sufficient",
            evidence=f"Evidence on {finding.reference}.",
            order=n,
        )
    direction = make_review(
        kind=Review.Kind.STATUTORY_DIRECTION,
        title="Statutory direction",
        start_date=D(2021, 6, 1),
        follows_up=revisit,
        conditions="Appoint an improvement adviser.",
    )
    return inspection, revisit, direction, weaknesses


def test_the_timeline_reads_the_review_chain_as_one(client, scrutiny_member, chain):
    revisit = chain[1]
    make_review(kind=Review.Kind.PEER_REVIEW, title="Regional peer review", start_date=D(2017, 6, 1))
    client.force_login(scrutiny_member)

    body = client.get(reverse("inspections:reviews")).content.decode()

    assert body.index("Regional peer review") < body.index("Joint local area SEND inspection")
    chain_html = body[body.index("Joint local area SEND inspection") :]
    assert chain_html.index("Revisit") < chain_html.index("Statutory direction")
    assert "and 2 steps after it" in body
    assert "Insufficient progress on 3 of 5" in body
    assert "Appoint an improvement adviser." in body
    assert f'follows up <a href="{reverse("inspections:review", kwargs={"review": revisit.pk})}">' in body


def test_a_revisit_page_shows_its_judgement_on_each_weakness(client, officer, chain):
    revisit = chain[1]
    client.force_login(officer)

    body = client.get(reverse("inspections:review", kwargs={"review": revisit.pk})).content.decode()

    assert "Insufficient progress on 3 of 5." in body
    assert body.count('tag tag--red">Insufficient progress') == 3
    assert "Evidence on ASW4." in body
    assert "Statutory direction" in body  # followed by


def test_findings_are_grouped_by_kind_then_theme_in_report_order(client, officer):
    review = make_review(kind=Review.Kind.PEER_REVIEW)
    make_finding(review, kind=Finding.Kind.STRENGTH, text="Strong early years.", order=1)
    make_finding(review, kind=Finding.Kind.RECOMMENDATION, theme="Strategy", text="Refine the SEF.", order=2)
    make_finding(review, kind=Finding.Kind.RECOMMENDATION, theme="Parents", text="Tell parents.", order=3)
    make_finding(review, kind=Finding.Kind.RECOMMENDATION, theme="Strategy", text="Write a plan.", order=4)
    client.force_login(officer)

    body = client.get(reverse("inspections:review", kwargs={"review": review.pk})).content.decode()

    order = [
        body.index(text)
        for text in (
            "Key strength",
            "Recommendation",
            "Strategy",
            "Refine the SEF.",
            "Write a plan.",
            "Parents",
            "Tell parents.",
        )
    ]
    assert order == sorted(order)


def test_each_finding_shows_the_actions_that_address_it_with_their_status(client, officer):
    weakness = make_finding(reference="ASW1")
    priority = make_priority(title="Records and oversight")
    priority.findings.add(weakness)
    make_action(priority, reference="1.1", status=Action.Status.IN_PROGRESS)
    client.force_login(officer)

    body = client.get(reverse("inspections:review", kwargs={"review": weakness.review_id})).content.decode()

    assert "Priority " + priority.number + ". Records and oversight" in body
    assert "Action 1.1" in body
    assert "In progress" in body
    assert '<strong class="tag tag--green coverage-status">On track</strong>' in body


@pytest.fixture
def three_findings():
    scale = make_brag_scale()
    review = make_review()
    uncovered = make_finding(review, reference="ASW1", text="Nobody acts on this.")
    off_track = make_finding(review, reference="ASW2", text="Only red actions.")
    covered = make_finding(review, reference="ASW3", text="A little late.")
    make_finding(review, kind=Finding.Kind.STRENGTH, text="A strength needs no action.")
    red = make_priority()
    red.findings.add(off_track)
    make_action(red, rag=rag_level(scale, "red"), due_date=D(2099, 1, 1))
    make_action(red, due_date=D(2020, 1, 1))  # overdue
    make_action(red, status=Action.Status.COMPLETE, due_date=D(2020, 1, 1))  # closed: not counted against
    green = make_priority()
    green.findings.add(covered)
    make_action(green, rag=rag_level(scale, "green"), due_date=D(2099, 1, 1))
    make_action(green, due_date=datetime.date.today() - datetime.timedelta(days=5))  # within the tolerance
    return uncovered, off_track, covered


def test_coverage_filters_findings_by_status_and_counts_them_first(client, scrutiny_member, three_findings):
    client.force_login(scrutiny_member)

    no_action = client.get(reverse("inspections:coverage"), {"status": "no_action"}).content.decode()
    off_track = client.get(reverse("inspections:coverage"), {"status": "off_track"}).content.decode()
    everything = client.get(reverse("inspections:coverage")).content.decode()

    assert "Nobody acts on this." in no_action and "Only red actions." not in no_action
    assert "Only red actions." in off_track and "A little late." not in off_track
    # A red action, and one overdue since 2020 (past the 28-day tolerance); the complete one is not counted.
    assert '<strong class="tag tag--overdue">Overdue</strong> 1' in off_track
    # The answer first: the overdue action puts ASW3 at risk, the red one ASW2 off track.
    assert "0 of 3 weaknesses on track, 1 at risk, 1 off track, 1 no action." in everything
    assert "2 of 3 weaknesses at risk or off track" in everything
    assert "No action (1)" in everything and "Off track (1)" in everything and "At risk (1)" in everything
    assert "A strength needs no action." not in everything


def test_the_coverage_all_link_is_the_page_itself_not_a_bare_question_mark(
    client, scrutiny_member, three_findings
):
    client.force_login(scrutiny_member)
    url = reverse("inspections:coverage")

    unfiltered = client.get(url).content.decode()
    filtered = client.get(url, {"status": "off_track", "plan": "7"}).content.decode()

    # "?" alone would leave the address as /inspections/coverage/? (a second address for the same page).
    assert f'<a href="{url}" aria-current="true">All (3)</a>' in unfiltered
    assert 'href="?"' not in unfiltered
    assert '<a href="?plan=7">All' in filtered


QUERIES: dict = {}


@pytest.mark.parametrize("size", [1, 8])
def test_the_coverage_page_takes_the_same_queries_whatever_the_findings(
    client, scrutiny_member, size, django_assert_max_num_queries
):
    scale = make_brag_scale()
    for n in range(size):
        finding = make_finding(reference=f"R{n}")
        priority = make_priority()
        priority.findings.add(finding)
        make_action(priority, rag=rag_level(scale, "amber"))
        make_action(priority)
    client.force_login(scrutiny_member)
    # session, user, groups and permissions (one query), the reviews and plans to filter by, findings with
    # reviews, priorities with plans and delivery counts, the scales' levels, the user's groups
    with django_assert_max_num_queries(9) as queries:
        response = client.get(reverse("inspections:coverage"))
    assert response.status_code == 200
    QUERIES["coverage", size] = len(queries)
    if size == 8:
        assert QUERIES["coverage", 1] == QUERIES["coverage", 8]


@pytest.mark.parametrize("actions_each", [1, 6])
def test_the_review_page_takes_the_same_queries_whatever_the_findings(
    client, scrutiny_member, django_assert_max_num_queries, chain, actions_each
):
    inspection = chain[0]
    for finding in chain[3]:
        priority = make_priority()
        priority.findings.add(finding)
        for _ in range(actions_each):
            make_action(priority)
    client.force_login(scrutiny_member)
    # session, user, groups and permissions (one query),
    # review, findings, priorities with delivery counts, the scales' levels, actions, judgements, follow-ups,
    # answering plans
    with django_assert_max_num_queries(11) as queries:
        client.get(reverse("inspections:review", kwargs={"review": inspection.pk}))
    QUERIES["review", actions_each] = len(queries)
    if actions_each == 6:
        assert QUERIES["review", 1] == QUERIES["review", 6]


def test_plan_lead_links_and_unlinks_a_priority_from_the_finding_page(client, plan_lead):
    finding = make_finding(reference="ASW1")
    priority = make_priority(title="Records")
    client.force_login(plan_lead)
    url = reverse("inspections:finding-priorities", kwargs={"finding": finding.pk})

    assert client.post(url, {"priority": priority.pk}).status_code == 302
    assert list(finding.priorities.all()) == [priority]
    page = client.get(reverse("inspections:finding", kwargs={"finding": finding.pk})).content.decode()
    assert "Unlink" in page

    assert client.post(url, {"remove": priority.pk}).status_code == 302
    assert not finding.priorities.exists()
    # Through the priority's side, so its history has a row for each change.
    assert priority.history.count() >= 2


def test_linking_without_choosing_a_priority_shows_an_error(client, plan_lead):
    finding = make_finding()
    client.force_login(plan_lead)

    response = client.post(reverse("inspections:finding-priorities", kwargs={"finding": finding.pk}), {})

    assert response.status_code == 422
    assert "Choose the priority that addresses this finding" in response.content.decode()


def test_scrutiny_member_sees_the_finding_but_cannot_link_priorities(client, scrutiny_member):
    finding = make_finding()
    priority = make_priority()
    client.force_login(scrutiny_member)

    page = client.get(reverse("inspections:finding", kwargs={"finding": finding.pk}))
    response = client.post(
        reverse("inspections:finding-priorities", kwargs={"finding": finding.pk}), {"priority": priority.pk}
    )

    assert page.status_code == 200 and "Link a priority" not in page.content.decode()
    assert response.status_code == 403
    assert not finding.priorities.exists()


# Model rules


def test_a_review_outcome_must_be_one_its_framework_allows():
    framework = Framework.objects.create(name="Area SEND", year=2023, outcomes=["positive", "inconsistent"])
    review = make_review(framework=framework, outcome="wsoa")

    with pytest.raises(ValidationError, match="does not have this outcome"):
        review.full_clean()
    review.outcome = "inconsistent"
    review.full_clean()


def test_a_review_chain_cannot_loop():
    first = make_review()
    second = make_review(follows_up=first)
    first.follows_up = second

    with pytest.raises(ValidationError, match="loop"):
        first.full_clean()


def test_a_revisit_judges_weaknesses_of_the_review_it_follows_up():
    weakness = make_finding()
    unrelated_revisit = make_review(kind=Review.Kind.REVISIT)

    judgement = RevisitJudgement(revisit=unrelated_revisit, finding=weakness, judgement="sufficient")
    with pytest.raises(ValidationError, match="follows up"):
        judgement.full_clean()


def test_areas_for_priority_action_are_their_own_kind_and_need_action():
    assert Finding.Kind.AREA_FOR_PRIORITY_ACTION != Finding.Kind.AREA_FOR_IMPROVEMENT
    assert Finding.Kind.AREA_FOR_PRIORITY_ACTION in Finding.NEEDS_ACTION


def test_the_review_page_lists_three_actions_a_priority_and_the_finding_page_all_of_them(client, officer):
    weakness = make_finding(reference="ASW1")
    priority = make_priority(title="Records and oversight")
    priority.findings.add(weakness)
    for n in range(1, 8):
        make_action(priority, reference=f"1.{n}", order=n)
    client.force_login(officer)

    review = client.get(reverse("inspections:review", kwargs={"review": weakness.review_id})).content.decode()
    finding = client.get(reverse("inspections:finding", kwargs={"finding": weakness.pk})).content.decode()

    assert [f"Action 1.{n}<" in review for n in range(1, 8)] == [True] * 3 + [False] * 4
    assert "The first 3 of this priority's actions: the finding's page lists them all." in review
    assert all(f"Action 1.{n}<" in finding for n in range(1, 8))
    assert "the finding's page lists them all" not in finding
