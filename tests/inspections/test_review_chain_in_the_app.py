"""Plan leads record the review chain in the app: edit a review, add what followed it, judge a revisit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.versioning import StaleVersionError
from inspections.models import (
    Finding,
    Review,
    ReviewError,
    RevisitJudgement,
)
from tests.factories import make_action, make_finding, make_priority, make_review
from tests.inspections.helpers import make_framework

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def inspection():
    framework = make_framework(
        sections=1, per_section=1, outcomes=["no_wsoa", "wsoa", "insufficient_progress"]
    )
    review = make_review(
        title="Joint local area SEND inspection", start_date=D(2019, 3, 4), framework=framework
    )
    make_finding(review, kind=Finding.Kind.STRENGTH, text="Strong early years.", order=1)
    for n in range(1, 4):
        make_finding(review, reference=f"ASW{n}", order=n + 1, text=f"Weakness {n}.")
    return review


@pytest.fixture
def revisit(inspection):
    return make_review(
        kind=Review.Kind.REVISIT, title="Revisit", start_date=D(2021, 3, 1), follows_up=inspection
    )


def weakness(review, reference):
    return review.findings.get(reference=reference)


def step_data(version, **fields):
    data = {
        "version": str(version),
        "kind": Review.Kind.STATUTORY_DIRECTION,
        "title": "Statutory direction",
        "start_date": "2021-06-01",
        "conditions": "Appoint an improvement adviser by 1 September 2021.",
        "outcome": "",
    }
    data.update(fields)
    return data


def review_data(review, **fields):
    data = {
        "version": str(review.version),
        "title": review.title,
        "lead_body": review.lead_body,
        "start_date": review.start_date.isoformat(),
        "outcome": review.outcome,
    }
    data.update(fields)
    return data


def judgement_data(finding, version, judgement="insufficient", evidence="Waiting times still long."):
    prefix = f"f{finding.pk}"
    return {
        f"{prefix}-version": str(version),
        f"{prefix}-judgement": judgement,
        f"{prefix}-evidence": evidence,
    }


# Chain steps


def test_a_plan_lead_records_the_statutory_direction_that_followed_a_revisit(client, plan_lead, revisit):
    client.force_login(plan_lead)

    response = client.post(
        reverse("inspections:review-step-new", kwargs={"review": revisit.pk}), step_data(revisit.version)
    )

    direction = Review.objects.get(follows_up=revisit)
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:review", kwargs={"review": direction.pk})
    assert direction.kind == Review.Kind.STATUTORY_DIRECTION
    assert direction.start_date == D(2021, 6, 1)
    assert direction.conditions == "Appoint an improvement adviser by 1 September 2021."
    assert direction.framework is None  # a consequence is not judged under a framework
    assert direction.history.get().history_user == plan_lead
    timeline = client.get(reverse("inspections:reviews")).content.decode()
    assert timeline.index("Revisit") < timeline.index("Statutory direction")


def test_a_follow_up_revisit_is_judged_under_the_framework_of_the_review_it_follows(
    client, administrator, inspection
):
    client.force_login(administrator)

    client.post(
        reverse("inspections:review-step-new", kwargs={"review": inspection.pk}),
        step_data(
            inspection.version, kind=Review.Kind.REVISIT, title="Revisit", outcome="insufficient_progress"
        ),
    )

    revisit = Review.objects.get(follows_up=inspection)
    assert revisit.framework == inspection.framework
    assert revisit.outcome == "insufficient_progress"


def test_a_step_after_a_review_changed_since_the_form_was_loaded_is_refused(client, plan_lead, revisit):
    client.force_login(plan_lead)
    stale = revisit.version
    revisit.edit(version=revisit.version, outcome="")  # someone else saves the revisit meanwhile

    response = client.post(
        reverse("inspections:review-step-new", kwargs={"review": revisit.pk}), step_data(stale)
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed Revisit since you opened this page" in body
    assert "Appoint an improvement adviser by 1 September 2021." in body  # what was typed is kept
    assert not Review.objects.filter(follows_up=revisit).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"outcome": "wsoa"}, "A statutory direction or improvement notice has conditions, not an outcome."),
        ({"start_date": "2020-01-01"}, "A step cannot start before the review it follows up (1 March 2021)."),
        ({"kind": Review.Kind.PEER_REVIEW}, "Choose what followed from the list"),
        ({"title": ""}, "Enter the title"),
    ],
)
def test_an_invalid_step_is_refused_with_a_message_and_nothing_is_added(
    client, plan_lead, revisit, fields, message
):
    client.force_login(plan_lead)

    response = client.post(
        reverse("inspections:review-step-new", kwargs={"review": revisit.pk}),
        step_data(revisit.version, **fields),
    )

    assert response.status_code == 422
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Review.objects.filter(follows_up=revisit).exists()


def test_an_outcome_the_framework_does_not_allow_is_not_offered(client, plan_lead, inspection):
    client.force_login(plan_lead)
    url = reverse("inspections:review-step-new", kwargs={"review": inspection.pk})

    page = client.get(url).content.decode()
    response = client.post(url, step_data(inspection.version, kind=Review.Kind.REVISIT, outcome="systemic"))

    assert 'value="insufficient_progress"' in page
    assert 'value="systemic"' not in page
    assert response.status_code == 422
    assert not Review.objects.filter(follows_up=inspection).exists()


# Editing a review


def test_a_plan_lead_edits_a_reviews_dates_and_conditions_with_history_kept(client, plan_lead, revisit):
    client.force_login(plan_lead)

    response = client.post(
        reverse("inspections:review-edit", kwargs={"review": revisit.pk}),
        review_data(revisit, end_date="2021-03-05", outcome="insufficient_progress"),
    )

    assert response.status_code == 302
    revisit.refresh_from_db()
    assert revisit.end_date == D(2021, 3, 5)
    assert revisit.outcome == "insufficient_progress"
    assert revisit.version == 2
    assert [h.history_user for h in revisit.history.order_by("history_date")] == [None, plan_lead]


def test_a_stale_edit_of_a_review_is_refused_and_overwrites_nothing(
    client, plan_lead, administrator, revisit
):
    client.force_login(plan_lead)
    url = reverse("inspections:review-edit", kwargs={"review": revisit.pk})
    loaded = review_data(revisit)
    assert client.post(url, {**loaded, "outcome": "insufficient_progress"}).status_code == 302
    client.force_login(administrator)

    response = client.post(url, {**loaded, "outcome": "", "end_date": "2021-03-09"})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed Revisit since you opened this page" in body
    assert "Insufficient progress made" in body  # what the other person saved
    assert f'name="version" value="{revisit.version + 1}"' in body  # saving again is a deliberate choice
    revisit.refresh_from_db()
    assert revisit.outcome == "insufficient_progress" and revisit.end_date is None


def test_an_edit_breaking_a_review_rule_is_refused(client, plan_lead, revisit):
    client.force_login(plan_lead)

    response = client.post(
        reverse("inspections:review-edit", kwargs={"review": revisit.pk}),
        review_data(revisit, end_date="2021-01-01"),
    )

    assert response.status_code == 422
    revisit.refresh_from_db()
    assert revisit.end_date is None and revisit.version == 1


def test_the_review_page_offers_the_chain_links_to_plan_leads_only(
    client, plan_lead, scrutiny_member, revisit
):
    judgements = reverse("inspections:judgements", kwargs={"review": revisit.pk})
    page = reverse("inspections:review", kwargs={"review": revisit.pk})
    client.force_login(plan_lead)
    assert judgements in client.get(page).content.decode()
    client.force_login(scrutiny_member)
    body = client.get(page).content.decode()
    assert judgements not in body
    assert reverse("inspections:review-edit", kwargs={"review": revisit.pk}) not in body


@pytest.mark.parametrize("role", ["scrutiny_member", "officer"])
def test_readers_cannot_change_the_chain(client, request, role, revisit, inspection):
    client.force_login(request.getfixturevalue(role))
    finding = weakness(inspection, "ASW1")

    responses = [
        client.post(reverse("inspections:review-step-new", kwargs={"review": revisit.pk}), step_data(1)),
        client.post(reverse("inspections:review-edit", kwargs={"review": revisit.pk}), review_data(revisit)),
        client.post(
            reverse("inspections:judge", kwargs={"review": revisit.pk, "finding": finding.pk}),
            judgement_data(finding, 0),
        ),
        client.get(reverse("inspections:judgements", kwargs={"review": revisit.pk})),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert not Review.objects.filter(follows_up=revisit).exists()
    assert not RevisitJudgement.objects.exists()
    revisit.refresh_from_db()
    assert revisit.version == 1


# Revisit judgements


def test_the_judgements_page_lists_the_weaknesses_of_the_inspection_followed_up(client, plan_lead, revisit):
    client.force_login(plan_lead)

    body = client.get(reverse("inspections:judgements", kwargs={"review": revisit.pk})).content.decode()

    assert body.index("Weakness 1.") < body.index("Weakness 2.") < body.index("Weakness 3.")
    assert "Strong early years." not in body  # strengths are not judged
    assert "0 of 3 judged" in body


def test_a_plan_lead_records_then_revises_a_judgement_with_history(client, plan_lead, revisit, inspection):
    client.force_login(plan_lead)
    finding = weakness(inspection, "ASW2")
    url = reverse("inspections:judge", kwargs={"review": revisit.pk, "finding": finding.pk})

    first = client.post(url, judgement_data(finding, 0))
    second = client.post(url, judgement_data(finding, 1, "sufficient", "Waiting times now within 18 weeks."))

    expected = reverse("inspections:judgements", kwargs={"review": revisit.pk}) + f"#finding-{finding.pk}"
    assert first["Location"] == second["Location"] == expected
    judgement = RevisitJudgement.objects.get(revisit=revisit, finding=finding)
    assert (judgement.judgement, judgement.evidence, judgement.version) == (
        "sufficient",
        "Waiting times now within 18 weeks.",
        2,
    )
    history = judgement.history.order_by("history_date")
    assert [h.judgement for h in history] == ["insufficient", "sufficient"]
    assert {h.history_user for h in history} == {plan_lead}
    review_page = client.get(reverse("inspections:review", kwargs={"review": revisit.pk})).content.decode()
    assert "Insufficient progress on 0 of 1." in review_page


def test_a_stale_judgement_is_refused_with_the_one_saved_meanwhile(
    client, plan_lead, administrator, revisit, inspection
):
    finding = weakness(inspection, "ASW1")
    url = reverse("inspections:judge", kwargs={"review": revisit.pk, "finding": finding.pk})
    client.force_login(plan_lead)
    assert client.post(url, judgement_data(finding, 0, "insufficient", "Not yet.")).status_code == 302
    client.force_login(administrator)

    response = client.post(url, judgement_data(finding, 0, "sufficient", "All fine."))

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved a judgement on this weakness since you opened the page." in body
    assert "All fine." in body  # what was typed is kept
    assert f'name="f{finding.pk}-version" value="1"' in body
    judgement = RevisitJudgement.objects.get(finding=finding)
    assert (judgement.judgement, judgement.evidence) == ("insufficient", "Not yet.")


def test_a_judgement_without_a_choice_is_refused(client, plan_lead, revisit, inspection):
    client.force_login(plan_lead)
    finding = weakness(inspection, "ASW1")

    response = client.post(
        reverse("inspections:judge", kwargs={"review": revisit.pk, "finding": finding.pk}),
        judgement_data(finding, 0, judgement=""),
    )

    assert response.status_code == 422
    assert "Choose a judgement for this weakness" in response.content.decode()
    assert not RevisitJudgement.objects.exists()


def test_only_weaknesses_of_the_review_followed_up_can_be_judged(client, plan_lead, revisit, inspection):
    client.force_login(plan_lead)
    strength = inspection.findings.get(kind=Finding.Kind.STRENGTH)
    elsewhere = make_finding(reference="ASW9")

    responses = [
        client.post(
            reverse("inspections:judge", kwargs={"review": revisit.pk, "finding": f.pk}),
            judgement_data(f, 0),
        )
        for f in (strength, elsewhere)
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert not RevisitJudgement.objects.exists()


def test_the_model_is_the_one_write_path_for_judgements(plan_lead, revisit, inspection):
    finding = weakness(inspection, "ASW3")
    record = revisit.judge(finding=finding, version=0, judgement="insufficient", evidence="")

    with pytest.raises(StaleVersionError) as stale:
        revisit.judge(finding=finding, version=0, judgement="sufficient", evidence="")
    assert stale.value.current == record
    with pytest.raises(ReviewError):
        revisit.judge(finding=make_finding(), version=0, judgement="sufficient", evidence="")
    with pytest.raises(ReviewError):
        revisit.judge(finding=finding, version=1, judgement="maybe", evidence="")
    with pytest.raises(ReviewError):
        inspection.judge(finding=finding, version=0, judgement="sufficient", evidence="")
    record.refresh_from_db()
    assert (record.judgement, record.version) == ("insufficient", 1)


def test_the_model_refuses_stale_review_edits_and_unknown_steps(revisit):
    revisit.edit(version=1, outcome="insufficient_progress")

    with pytest.raises(StaleVersionError):
        Review.objects.get(pk=revisit.pk).edit(version=1, outcome="")
    with pytest.raises(StaleVersionError):
        revisit.add_step(
            version=1, kind=Review.Kind.IMPROVEMENT_NOTICE, title="Notice", start_date=D(2021, 6, 1)
        )
    with pytest.raises(ValidationError):
        revisit.add_step(version=2, kind=Review.Kind.PEER_REVIEW, title="Peer", start_date=D(2021, 6, 1))
    with pytest.raises(ValueError):
        revisit.edit(version=2, kind=Review.Kind.INSPECTION)
    revisit.refresh_from_db()
    assert (revisit.outcome, revisit.version) == ("insufficient_progress", 2)
    assert not revisit.follow_ups.exists()


# Query counts


def _inspection_with_weaknesses(count: int) -> Review:
    framework = make_framework(sections=1, per_section=1, outcomes=["wsoa"])
    review = make_review(framework=framework, start_date=D(2019, 3, 4))
    for n in range(count):
        make_finding(review, reference=f"ASW{n}", order=n)
    return review


def test_the_judgements_page_takes_the_same_queries_whatever_its_size(
    client, plan_lead, django_assert_max_num_queries
):
    counts = []
    for weaknesses in (2, 12):
        inspection = _inspection_with_weaknesses(weaknesses)
        revisit = make_review(kind=Review.Kind.REVISIT, start_date=D(2021, 3, 1), follows_up=inspection)
        for finding in inspection.findings.all()[: weaknesses // 2]:
            revisit.judge(finding=finding, version=0, judgement="sufficient", evidence="Seen.")
        client.force_login(plan_lead)
        # session, user, groups and permissions (one query), revisit with framework and inspection,
        # judgements, weaknesses
        with django_assert_max_num_queries(6) as queries:
            response = client.get(reverse("inspections:judgements", kwargs={"review": revisit.pk}))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("name", ["inspections:review-edit", "inspections:review-step-new"])
def test_the_review_forms_take_a_few_queries(client, plan_lead, name, django_assert_max_num_queries):
    review = _inspection_with_weaknesses(3)
    client.force_login(plan_lead)
    # session, user, permissions (user and group), review with framework, groups (at most)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name, kwargs={"review": review.pk}))
    assert response.status_code == 200


REVISIT_QUERIES: dict[int, int] = {}


@pytest.mark.parametrize("weaknesses", [2, 12])
def test_a_revisit_page_with_the_chain_links_stays_within_budget_whatever_its_size(
    client, plan_lead, weaknesses, django_assert_max_num_queries
):
    inspection = _inspection_with_weaknesses(weaknesses)
    revisit = make_review(kind=Review.Kind.REVISIT, start_date=D(2021, 3, 1), follows_up=inspection)
    for finding in inspection.findings.all():
        revisit.judge(finding=finding, version=0, judgement="insufficient", evidence="Seen.")
        addressed = make_finding(revisit, reference=f"N{finding.pk}", order=finding.order)
        priority = make_priority()
        priority.findings.add(addressed)
        make_action(priority)
    revisit.add_step(
        version=1, kind=Review.Kind.STATUTORY_DIRECTION, title="Direction", start_date=D(2021, 6, 1)
    )
    client.force_login(plan_lead)
    # session, user, groups and permissions (one query), review, findings, priorities with delivery counts,
    # the scales' levels, actions, judgements, follow-ups, answering plans: the plan lead's links cost nothing
    # (permissions are cached)
    with django_assert_max_num_queries(11) as queries:
        response = client.get(reverse("inspections:review", kwargs={"review": revisit.pk}))
    assert response.status_code == 200
    REVISIT_QUERIES[weaknesses] = len(queries)
    assert len(set(REVISIT_QUERIES.values())) == 1  # the same at 2 and 12 weaknesses
    assert f"Insufficient progress on {weaknesses} of {weaknesses}." in response.content.decode()
