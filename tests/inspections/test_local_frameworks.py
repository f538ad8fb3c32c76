"""A plan lead adds a local framework (e.g. the area's own SEF headings), its sections and criteria."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.models import Framework
from tests.inspections.helpers import make_framework

pytestmark = pytest.mark.django_db


def test_plan_lead_adds_a_local_framework_with_a_section_and_a_criterion(client, plan_lead):
    client.force_login(plan_lead)

    response = client.post(
        reverse("inspections:framework-new"),
        {
            "name": "Our SEND self-evaluation",
            "year": "2024",
            "red_meaning": "Not started",
            "amber_meaning": "Under way",
            "green_meaning": "Embedded",
        },
    )
    framework = Framework.objects.get(name="Our SEND self-evaluation")
    assert response["Location"] == reverse("inspections:framework", kwargs={"framework": framework.pk})
    assert framework.is_local
    assert framework.history.first().history_user == plan_lead

    url = reverse("inspections:framework-add-section", kwargs={"framework": framework.pk})
    assert client.post(url, {"code": "1", "title": "Leadership"}).status_code == 302
    section = framework.sections.get()
    url = reverse("inspections:framework-add-criterion", kwargs={"framework": framework.pk})
    assert (
        client.post(url, {"section": section.pk, "code": "1.1", "wording": "Leaders know."}).status_code
        == 302
    )

    criterion = framework.criteria.get()
    assert (criterion.code, criterion.section, criterion.order) == ("1.1", section, 1)
    page = client.get(reverse("inspections:framework", kwargs={"framework": framework.pk})).content.decode()
    assert "Leaders know." in page


def test_a_criterion_code_already_in_the_framework_is_refused(client, plan_lead):
    framework = make_framework(sections=1, per_section=1, is_local=True)
    client.force_login(plan_lead)

    response = client.post(
        reverse("inspections:framework-add-criterion", kwargs={"framework": framework.pk}),
        {"section": framework.sections.get().pk, "code": "A1", "wording": "Again."},
    )

    assert response.status_code == 422
    assert "This framework already has a criterion with this code." in response.content.decode()
    assert framework.criteria.count() == 1


def test_a_published_framework_cannot_be_changed_in_the_ui(client, plan_lead):
    framework = make_framework(sections=1, per_section=1)
    client.force_login(plan_lead)

    response = client.post(
        reverse("inspections:framework-add-section", kwargs={"framework": framework.pk}),
        {"code": "Q9", "title": "Extra"},
    )

    assert response.status_code == 403
    assert framework.sections.count() == 1


def test_scrutiny_member_cannot_add_a_framework(client, scrutiny_member):
    client.force_login(scrutiny_member)

    assert client.get(reverse("inspections:framework-new")).status_code == 403
    response = client.post(reverse("inspections:framework-new"), {"name": "X", "year": "2024"})
    assert response.status_code == 403
    assert not Framework.objects.exists()


def test_the_framework_list_takes_the_same_queries_whatever_the_frameworks(
    client, officer, django_assert_max_num_queries
):
    counts = []
    for _ in range(2):
        for _ in range(4):
            make_framework()
        client.force_login(officer)
        # session, user, groups and permissions (one query), frameworks with counts
        with django_assert_max_num_queries(4) as queries:
            assert client.get(reverse("inspections:frameworks")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_framework_page_takes_the_same_queries_with_no_sections_as_with_many(
    client, officer, django_assert_max_num_queries
):
    empty = make_framework(sections=0)
    full = make_framework(sections=4, per_section=6)
    client.force_login(officer)
    counts = []
    for framework in (empty, full):
        url = reverse("inspections:framework", kwargs={"framework": framework.pk})
        # 1 session, 2 user, 3 groups and permissions, 4 the framework, 5 its rounds, 6 its sections, 7 their
        # criteria (a query of its own: a prefetch would be skipped for a framework with no section yet).
        with django_assert_max_num_queries(7) as queries:
            page = client.get(url).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "No sections yet." not in page and "Criterion 6" in page and "Question 4" in page
