"""The plan dashboard: its priorities with progress, the findings they address, and their actions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Measure, MeasureTarget, MeasureValue
from tests.factories import (
    make_action,
    make_brag_scale,
    make_criterion,
    make_finding,
    make_plan,
    make_priority,
    make_update,
    make_user,
    rag_level,
)
from tests.reports.pages import table

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def plan(officer):
    scale = make_brag_scale()
    plan = make_plan(title="Written Statement of Action")
    records = make_priority(plan, number="1", title="Records", order=1)
    quality = make_priority(plan, number="2", title="Quality assurance", order=2)
    records.findings.add(make_finding(reference="ASW1", text="Records are incomplete."))
    quality.criteria.add(make_criterion("A9", "Leaders check the quality of EHC plans."))
    make_action(records, [officer], reference="1.1", rag=rag_level(scale, "green"))
    make_action(
        records,
        [officer],
        reference="1.2",
        rag=rag_level(scale, "red"),
        due_date=TODAY - datetime.timedelta(days=2),
    )
    make_action(
        quality, [officer], reference="2.1", status=Action.Status.COMPLETE, rag=rag_level(scale, "blue")
    )
    make_action(quality, [officer], reference="2.2", archived_at=timezone.now())
    measure = Measure.objects.create(name="EHC plans in 20 weeks", plan=plan, higher_is_better=True)
    MeasureValue.objects.create(measure=measure, period_end=TODAY.replace(day=1), value=Decimal("61"))
    MeasureTarget.objects.create(measure=measure, period_end=TODAY.replace(day=1), target=Decimal("60"))
    return plan


def test_it_shows_each_priority_with_its_progress_findings_and_actions(client, scrutiny_member, plan):
    client.force_login(scrutiny_member)

    response = client.get(reverse("reports:plan", args=[plan.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    rows = table(html, f"{plan.title}: actions by delivery RAG, per priority")
    assert rows[1] == ["Whole plan", "1", "1", "0", "1", "0", "3", "33%", "1"]
    assert rows[2] == ["Priority 1: Records", "0", "1", "0", "1", "0", "2", "0%", "1"]
    assert rows[3] == ["Priority 2: Quality assurance", "1", "0", "0", "0", "0", "1", "100%", "0"]
    assert "(ASW1)" in html and "Records are incomplete." in html
    assert "Framework criterion A9" in html
    assert [row[0] for row in table(html, "Actions of priority 1")[1:]] == ["Action 1.1", "Action 1.2"]
    assert [row[0] for row in table(html, "Actions of priority 2")[1:]] == [
        "Action 2.1"
    ]  # not the archived one
    assert f'href="{reverse("reports:kpis")}?plan={plan.pk}"' in html


def test_its_kpis_link_leads_to_the_kpi_page_showing_only_the_plans_measures(client, scrutiny_member, plan):
    Measure.objects.create(name="Another plan's measure", plan=make_plan(), higher_is_better=True)
    client.force_login(scrutiny_member)

    html = client.get(reverse("reports:kpis"), {"plan": plan.pk}).content.decode()

    assert table(html, "Milestones: EHC plans in 20 weeks")[1][3] == "On target"
    assert "Another plan&#x27;s measure" not in html and "Another plan's measure" not in html


def test_an_unknown_plan_is_not_found(client, scrutiny_member, db):
    client.force_login(scrutiny_member)

    assert client.get(reverse("reports:plan", args=[999])).status_code == 404


def test_the_number_of_queries_does_not_grow_with_priorities_or_actions(
    client, scrutiny_member, officer, plan, django_assert_max_num_queries
):
    client.force_login(scrutiny_member)
    url = reverse("reports:plan", args=[plan.pk])
    client.get(url)
    # session, user, groups and permissions (one query), plan (with board, review, lead, RAG scale), RAG
    # levels, priorities with their counts, findings, criteria, actions (with RAG, leads), the last committee
    # meeting, the RAG moves since; no session save within a minute of the last
    with django_assert_max_num_queries(11) as small:
        assert client.get(url).status_code == 200
    for index in range(3):
        priority = make_priority(plan, title=f"Extra {index}")
        priority.findings.add(make_finding())
        for _ in range(3):
            make_action(priority, [officer, make_user()])
    with django_assert_max_num_queries(11) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def test_each_priority_shows_its_state_and_how_its_actions_moved_since_the_last_committee(
    client, scrutiny_member, officer, plan
):
    action = plan.actions.get(reference="1.1")
    make_update(
        action, officer, rag=rag_level(make_brag_scale(), "amber"), rag_reason="Late.", recovery_plan="Soon."
    )
    client.force_login(scrutiny_member)

    html = client.get(reverse("reports:plan", args=[plan.pk])).content.decode()

    records = html[html.index("Priority 1: Records</h2>") :]
    assert records.index('<strong class="tag tag--red">Off track</strong>') < records.index("Priority 2:")
    assert "1 action moved green → amber" in records


def test_each_priority_pages_its_actions_ten_at_a_time_keeping_the_other_priorities_pages(
    client, scrutiny_member, officer, plan
):
    records = plan.priorities.get(number="1")
    for index in range(3, 13):  # 12 live actions in all, 1.1 to 1.12
        make_action(records, [officer], reference=f"1.{index}", order=index)
    client.force_login(scrutiny_member)
    url = reverse("reports:plan", args=[plan.pk])
    param = f"priority_{records.pk}_page"

    first = client.get(url, {"other": "kept"}).content.decode()

    rows = table(first, "Actions of priority 1")
    assert len(rows) - 1 == 10
    assert "Showing 1 to 10 of 12." in first
    assert f'href="?other=kept&amp;{param}=2#priority-{records.pk}-actions">Next' in first
    assert f'id="priority-{records.pk}-actions">Actions (12)</h3>' in first
    assert len(table(first, "Actions of priority 2")) - 1 == 1  # one page: no pager
    second = client.get(url, {param: "2"}).content.decode()
    assert [row[0] for row in table(second, "Actions of priority 1")[1:]] == ["Action 1.11", "Action 1.12"]
    assert "Showing 11 to 12 of 12." in second
    # A page past the end shows the last; nonsense shows the first.
    assert "Showing 11 to 12 of 12." in client.get(url, {param: "9"}).content.decode()
    assert "Showing 1 to 10 of 12." in client.get(url, {param: "x"}).content.decode()
