"""Plan leads record reviews and their findings in the app, in each framework's own terms (no admin)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from inspections.models import Finding, Review, split_pasted_findings
from tests.factories import make_finding, make_review
from tests.inspections.helpers import make_framework

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def framework_2023():
    return make_framework(
        sections=0,
        name="Area SEND inspection framework",
        year=2023,
        outcomes=["positive", "inconsistent", "systemic"],
    )


@pytest.fixture
def framework_2016():
    return make_framework(
        sections=0,
        name="Local area SEND inspection",
        year=2016,
        outcomes=["no_wsoa", "wsoa", "sufficient_progress", "insufficient_progress"],
    )


def new_review_url(kind=Review.Kind.INSPECTION, framework=None):
    return f"{reverse('inspections:review-new')}?kind={kind}&framework={framework.pk if framework else ''}"


def review_fields(**fields):
    data = {
        "title": "Area SEND inspection of Northshire",
        "lead_body": "Ofsted and CQC",
        "start_date": "2024-01-15",
        "end_date": "2024-01-19",
        "report_title": "Northshire area SEND inspection report",
        "report_url": "https://example.org/report.pdf",
        "outcome": "systemic",
        "plan_required": "priority_action_plan",
        "wsoa_due_on": "2024-04-30",
    }
    data.update(fields)
    return data


# A new review


def test_a_plan_lead_records_a_2023_inspection_in_its_own_terms(client, plan_lead, framework_2023):
    client.force_login(plan_lead)
    url = new_review_url(framework=framework_2023)

    page = client.get(url).content.decode()
    response = client.post(url, review_fields())

    review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:review-findings", kwargs={"review": review.pk})
    assert (review.kind, review.framework, review.outcome) == ("inspection", framework_2023, "systemic")
    assert (review.plan_required, review.wsoa_due_on) == ("priority_action_plan", D(2024, 4, 30))
    assert review.report_url == "https://example.org/report.pdf"
    assert review.history.get().history_user == plan_lead
    assert "Priority action plan due" in page and "Widespread and/or systemic failings" in page
    assert "Written statement of action" not in page  # never a 2016 term on a 2023 review
    detail = client.get(reverse("inspections:review", kwargs={"review": review.pk})).content.decode()
    assert "Priority action plan due" in detail and "Written statement of action" not in detail


def test_a_2016_inspection_offers_the_written_statement_of_action(client, plan_lead, framework_2016):
    client.force_login(plan_lead)

    page = client.get(new_review_url(framework=framework_2016)).content.decode()

    assert "Written statement of action due" in page
    assert "Priority action plan" not in page and "Widespread" not in page


def test_a_2023_review_refuses_a_2016_outcome_or_plan(client, plan_lead, framework_2023):
    client.force_login(plan_lead)

    response = client.post(
        new_review_url(framework=framework_2023), review_fields(outcome="wsoa", plan_required="wsoa")
    )

    assert response.status_code == 422
    assert not Review.objects.exists()
    assert response.context["form"].errors.keys() >= {"outcome", "plan_required"}


def test_the_model_refuses_a_plan_the_framework_does_not_have(framework_2023):
    review = Review(kind="inspection", framework=framework_2023, title="x", start_date=D(2024, 1, 1))
    review.plan_required = "wsoa"
    with pytest.raises(Exception, match="Priority action plan, Improvement plan"):
        review.full_clean()


def test_a_peer_review_needs_no_framework(client, plan_lead):
    client.force_login(plan_lead)

    response = client.post(
        new_review_url(kind=Review.Kind.PEER_REVIEW),
        review_fields(title="LGA peer review", outcome="", plan_required="peer_review"),
    )

    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.kind, review.framework, review.plan_required) == ("peer_review", None, "peer_review")


def test_the_first_question_refuses_an_unknown_kind(client, plan_lead):
    client.force_login(plan_lead)

    response = client.get(reverse("inspections:review-new") + "?kind=nonsense&framework=")

    assert response.status_code == 422
    assert "Record the review" not in response.content.decode()  # the details form waits for a valid kind


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_officers_and_scrutiny_cannot_record_reviews_or_findings(client, request, persona, framework_2023):
    client.force_login(request.getfixturevalue(persona))
    review = make_review()
    finding = make_finding(review, reference="API1")

    responses = [
        client.get(new_review_url(framework=framework_2023)),
        client.post(new_review_url(framework=framework_2023), review_fields()),
        client.get(reverse("inspections:review-findings", kwargs={"review": review.pk})),
        client.post(
            reverse("inspections:finding-new", kwargs={"review": review.pk}),
            {"kind": "strength", "text": "x"},
        ),
        client.post(
            reverse("inspections:findings-paste", kwargs={"review": review.pk}),
            {"kind": "strength", "text": "x"},
        ),
        client.post(
            reverse("inspections:finding-edit", kwargs={"finding": finding.pk}),
            {"version": 1, "kind": "strength", "text": "x"},
        ),
        client.post(
            reverse("inspections:finding-move", kwargs={"finding": finding.pk}),
            {"version": 1, "direction": "up"},
        ),
        client.post(reverse("inspections:finding-retire", kwargs={"finding": finding.pk}), {"version": 1}),
    ]

    assert [r.status_code for r in responses] == [403] * len(responses)
    assert Review.objects.count() == 1
    finding.refresh_from_db()
    assert (finding.version, finding.retired_at, Finding.objects.count()) == (1, None, 1)


# Findings


def test_a_plan_lead_adds_a_finding(client, plan_lead):
    client.force_login(plan_lead)
    review = make_review()
    make_finding(review, reference="API1", order=1)

    response = client.post(
        reverse("inspections:finding-new", kwargs={"review": review.pk}),
        {"kind": "area_for_improvement", "theme": "", "reference": "AFI1", "text": " Leaders should act. "},
    )

    assert response.status_code == 302
    finding = review.findings.get(reference="AFI1")
    assert (finding.kind, finding.text, finding.order) == ("area_for_improvement", "Leaders should act.", 2)
    assert finding.history.get().history_user == plan_lead


def test_a_finding_with_a_reference_the_review_has_is_refused(client, plan_lead):
    client.force_login(plan_lead)
    review = make_review()
    make_finding(review, reference="API1")

    response = client.post(
        reverse("inspections:finding-new", kwargs={"review": review.pk}),
        {"kind": "area_for_priority_action", "reference": "API1", "text": "Again."},
    )

    assert response.status_code == 422
    assert review.findings.count() == 1
    assert "There is a problem" in response.content.decode()


def test_pasted_paragraphs_become_findings_with_their_references_split_off(client, plan_lead):
    client.force_login(plan_lead)
    review = make_review()
    pasted = (
        "API1 Leaders should urgently improve the timeliness of EHC plans.\r\n\r\n"
        "API2 Leaders should improve\r\nthe quality of EHC plans.\r\n\r\n"
        "Partners should share information."
    )

    response = client.post(
        reverse("inspections:findings-paste", kwargs={"review": review.pk}),
        {"kind": "area_for_priority_action", "theme": "Timeliness", "text": pasted},
    )

    assert response.status_code == 302
    rows = list(review.findings.order_by("order").values_list("reference", "text", "order", "theme"))
    assert rows == [
        ("API1", "Leaders should urgently improve the timeliness of EHC plans.", 1, "Timeliness"),
        ("API2", "Leaders should improve the quality of EHC plans.", 2, "Timeliness"),
        ("", "Partners should share information.", 3, "Timeliness"),
    ]


def test_a_paste_with_a_refused_finding_adds_none(client, plan_lead):
    client.force_login(plan_lead)
    review = make_review()
    make_finding(review, reference="R2")

    response = client.post(
        reverse("inspections:findings-paste", kwargs={"review": review.pk}),
        {"kind": "recommendation", "text": "R1 First.\nR2 Second, already there."},
    )

    assert response.status_code == 422
    assert review.findings.count() == 1
    assert "R2" in response.content.decode()


def test_a_paste_without_a_kind_is_refused(client, plan_lead):
    client.force_login(plan_lead)
    review = make_review()

    response = client.post(
        reverse("inspections:findings-paste", kwargs={"review": review.pk}), {"kind": "", "text": "R1 First."}
    )

    assert response.status_code == 422
    assert not review.findings.exists()


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        ("R1.3. The area should act.", [("R1.3", "The area should act.")]),
        ("ASW2: Weakness", [("ASW2", "Weakness")]),
        ("1. Numbered only", [("", "1. Numbered only")]),
        ("A strength\nAnother", [("", "A strength"), ("", "Another")]),
    ],
)
def test_references_are_split_off_where_they_lead(pasted, expected):
    assert split_pasted_findings(pasted) == expected


def edit_data(finding, **fields):
    data = {
        "version": str(finding.version),
        "kind": finding.kind,
        "theme": finding.theme,
        "reference": finding.reference,
        "text": finding.text,
    }
    data.update(fields)
    return data


def test_a_plan_lead_edits_a_finding(client, plan_lead):
    client.force_login(plan_lead)
    finding = make_finding(reference="ASW1")

    response = client.post(
        reverse("inspections:finding-edit", kwargs={"finding": finding.pk}),
        edit_data(finding, text="Corrected."),
    )

    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.text, finding.version) == ("Corrected.", 2)
    assert finding.history.first().history_user == plan_lead


def test_a_stale_finding_edit_is_refused_with_the_changes(client, plan_lead, administrator):
    finding = make_finding(reference="ASW1", text="Original.")
    loaded = edit_data(finding)
    client.force_login(administrator)
    client.post(
        reverse("inspections:finding-edit", kwargs={"finding": finding.pk}), {**loaded, "text": "Theirs."}
    )
    client.force_login(plan_lead)

    response = client.post(
        reverse("inspections:finding-edit", kwargs={"finding": finding.pk}), {**loaded, "text": "Mine."}
    )

    assert response.status_code == 409
    finding.refresh_from_db()
    assert finding.text == "Theirs."
    page = response.content.decode()
    assert "Theirs." in page and "Mine." in page  # their change shown, what I typed kept
    assert response.context["form"]["version"].value() == "2"


def test_an_invalid_finding_edit_is_refused(client, plan_lead):
    client.force_login(plan_lead)
    finding = make_finding(reference="ASW1")

    response = client.post(
        reverse("inspections:finding-edit", kwargs={"finding": finding.pk}), edit_data(finding, text="")
    )

    assert response.status_code == 422
    finding.refresh_from_db()
    assert finding.version == 1


def test_findings_are_reordered_one_step_at_a_time(client, plan_lead):
    client.force_login(plan_lead)
    review = make_review()
    *_, third = (make_finding(review, reference=f"R{n}", order=n) for n in (1, 2, 3))

    response = client.post(
        reverse("inspections:finding-move", kwargs={"finding": third.pk}), {"version": "1", "direction": "up"}
    )

    assert response.status_code == 302
    assert list(review.findings.order_by("order").values_list("reference", flat=True)) == ["R1", "R3", "R2"]
    third.refresh_from_db()
    assert third.version == 2
    assert third.history.first().history_user == plan_lead


def test_a_stale_move_is_refused(client, plan_lead):
    client.force_login(plan_lead)
    review = make_review()
    make_finding(review, reference="R1", order=1)
    second = make_finding(review, reference="R2", order=2)
    Finding.objects.filter(pk=second.pk).update(version=3)

    response = client.post(
        reverse("inspections:finding-move", kwargs={"finding": second.pk}),
        {"version": "1", "direction": "up"},
    )

    assert response.status_code == 409
    assert list(review.findings.order_by("order").values_list("reference", flat=True)) == ["R1", "R2"]


def test_a_retired_finding_is_kept_but_no_longer_shown(client, plan_lead):
    client.force_login(plan_lead)
    review = make_review()
    finding = make_finding(review, reference="ASW1", text="Gone from the page.")

    response = client.post(
        reverse("inspections:finding-retire", kwargs={"finding": finding.pk}), {"version": "1"}
    )

    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.retired_at is not None and finding.history.first().history_user == plan_lead
    assert (
        "Gone from the page."
        not in client.get(reverse("inspections:review", kwargs={"review": review.pk})).content.decode()
    )
    assert "Gone from the page." not in client.get(reverse("inspections:coverage")).content.decode()
    stale = client.post(
        reverse("inspections:finding-retire", kwargs={"finding": finding.pk}), {"version": "1"}
    )
    assert stale.status_code == 404  # a retired finding is no longer offered for change


def test_a_stale_retire_is_refused(client, plan_lead):
    client.force_login(plan_lead)
    finding = make_finding(reference="ASW1")
    Finding.objects.filter(pk=finding.pk).update(version=2)

    response = client.post(
        reverse("inspections:finding-retire", kwargs={"finding": finding.pk}), {"version": "1"}
    )

    assert response.status_code == 409
    finding.refresh_from_db()
    assert finding.retired_at is None


def test_finding_pages_refuse_the_wrong_method(client, plan_lead):
    client.force_login(plan_lead)
    finding = make_finding()

    assert client.get(reverse("inspections:finding-move", kwargs={"finding": finding.pk})).status_code == 405
    assert (
        client.get(reverse("inspections:finding-retire", kwargs={"finding": finding.pk})).status_code == 405
    )


# Search


def test_finding_search_matches_references_as_well_as_text(client, scrutiny_member):
    client.force_login(scrutiny_member)
    review = make_review()
    make_finding(review, reference="API1", text="Leaders should improve timeliness.")
    make_finding(review, reference="R1.3", text="Strengthen co-production.")
    make_finding(review, reference="API10", text="Mentions API1 in passing.")

    by_reference = client.get(reverse("inspections:finding-search"), {"q": "api1"})
    by_dotted = client.get(reverse("inspections:finding-search"), {"q": "R1.3"})
    by_text = client.get(reverse("inspections:finding-search"), {"q": "co-production"})

    assert [f.reference for f in by_reference.context["results"]] == ["API1", "API10"]  # exact first
    assert [f.reference for f in by_dotted.context["results"]] == ["R1.3"]
    assert [f.reference for f in by_text.context["results"]] == ["R1.3"]


def test_finding_search_reads_a_constant_number_of_queries(
    client, scrutiny_member, django_assert_max_num_queries
):
    client.force_login(scrutiny_member)
    review = make_review()

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("inspections:finding-search"), {"q": "Leaders"}).status_code == 200
        return len(queries)

    make_finding(review, reference="X1", text="Leaders act.")
    small = count()
    for n in range(2, 30):
        make_finding(review, reference=f"X{n}", text="Leaders act.")
    # Session, user with groups, findings with their reviews.
    with django_assert_max_num_queries(6):
        assert count() == small
