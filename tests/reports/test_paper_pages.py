"""The committee paper pages through the test client: who sees what, escaping, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_action, make_paper, make_priority, make_published_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(officer):
    action = make_action(leads=[officer])
    return make_paper(action.plan)


@pytest.fixture
def published(officer):
    action = make_action(leads=[officer])
    return make_published_paper(action.plan, title="SEND Inspection Outcome – Written Statement of Action")


def test_a_plan_lead_lists_drafts_and_published_papers(client, plan_lead, draft, published):
    client.force_login(plan_lead)
    html = client.get(reverse("papers:list")).content.decode()
    assert draft.title in html
    assert published.title in html
    assert "Correction in draft" not in html


@pytest.mark.parametrize("role", ["scrutiny_member", "officer"])
def test_readers_list_published_papers_only(client, request, role, draft, published):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("papers:list"))
    html = response.content.decode()
    assert published.title in html
    assert reverse("papers:detail", args=[draft.pk]) not in html


@pytest.mark.parametrize("role", ["scrutiny_member", "officer"])
def test_readers_cannot_open_a_draft_or_its_pdf(client, request, role, draft):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("papers:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("papers:draft-pdf", args=[draft.pk])).status_code == 403


def test_a_scrutiny_member_reads_and_downloads_a_published_paper(client, scrutiny_member, published):
    client.force_login(scrutiny_member)
    page = client.get(reverse("papers:detail", args=[published.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "This is the frozen record the committee received." in html
    assert "Open a correction" not in html
    download = client.get(reverse("papers:version-pdf", args=[published.pk, 1]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="2030-03-12-send-inspection')
    assert b"".join(download) == b"%PDF-1.7\n% test\n"


def test_the_preview_shows_the_cover_numbered_parts_and_the_appendix(client, plan_lead, draft):
    client.force_login(plan_lead)
    html = client.get(reverse("papers:detail", args=[draft.pk])).content.decode()
    assert "ITEM: 7" in html
    assert "Children&#x27;s Services Overview and Scrutiny Committee" in html
    assert '<span class="para__number">1.1</span> That the Committee note it.' in html
    assert '<span class="para__number">2.1</span> The plan is on track.' in html
    assert '<span class="para__number">2.2</span> Two actions are late.' in html
    assert "Appendix 1: Action plan" in html
    assert html.count("<h1") == 1


def test_the_paper_list_runs_a_constant_number_of_queries(client, plan_lead, django_assert_max_num_queries):
    client.force_login(plan_lead)
    make_paper()
    # session, user, groups and permissions (one query), papers with their versions
    with django_assert_max_num_queries(4) as small:
        assert client.get(reverse("papers:list")).status_code == 200
    for _ in range(3):
        make_published_paper(make_priority().plan)
        make_paper()
    with django_assert_max_num_queries(4) as large:
        assert client.get(reverse("papers:list")).status_code == 200
    assert len(small) == len(large)
