"""The committee paper pages through the test client: who sees what, escaping, query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import ComparatorSeries, ComparatorValue, Measure, MeasureTarget, MeasureValue
from reports.models import Appendix, BackgroundPaper, Implication, Recommendation, Section, SignOff
from tests.factories import (
    make_action,
    make_organisation,
    make_paper,
    make_person,
    make_priority,
    make_published_paper,
)

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


def _grow(paper, plan, size: int) -> None:
    """Give the paper `size` more of each part, and its appendices' plan `size` more actions (two leads,
    one with an organisation, and a lead organisation) and KPIs (values, targets, a national series)."""
    priority = make_priority(plan)
    series = ComparatorSeries.objects.create(name=f"National series {size}", source="DfE SEN2")
    for n in range(size):
        organisation = make_organisation()
        action = make_action(priority, [make_person(organisation=organisation), make_person()])
        action.lead_organisations.set([make_organisation()])
        measure = Measure.objects.create(
            name=f"KPI {size}.{n}", plan=plan, higher_is_better=True, comparator=series if n % 2 else None
        )
        for month in (1, 2, 3):
            period = datetime.date(2030 - n, month, 28)
            MeasureValue.objects.create(measure=measure, period_end=period, value=Decimal(n + month))
            MeasureTarget.objects.create(measure=measure, period_end=period, target=Decimal(10))
        ComparatorValue.objects.create(
            series=series, period_end=datetime.date(2020 + n, 12, 31), period_label=str(2020 + n), value=1
        )
        Recommendation.objects.create(paper=paper, number=f"1.{n + 2}", order=n + 2, text="Note it.")
        Section.objects.create(paper=paper, kind=Section.Kind.OTHER, body="More.", order=n + 2)
        if n < len(Implication.Kind.values):  # one of each kind
            Implication.objects.create(paper=paper, kind=Implication.Kind.values[n], body="None.", order=n)
        SignOff.objects.create(paper=paper, role=f"Reviewer {n}", name="Hannah Cole")
        BackgroundPaper.objects.create(paper=paper, title=f"Paper {n}", order=n)


def test_a_draft_papers_page_takes_the_same_queries_however_big_its_plan_and_parts(
    client, plan_lead, officer, django_assert_max_num_queries
):
    plan = make_action(leads=[officer]).plan
    paper = make_paper(plan)
    Appendix.objects.create(paper=paper, number=2, title="KPIs", kind=Appendix.Kind.KPI_CHARTS, plan=plan)
    url = reverse("papers:detail", args=[paper.pk])
    client.force_login(plan_lead)
    client.get(url)
    counts = []
    for size in (0, 6):
        _grow(paper, plan, size)
        # 1 session, 2 user, 3 groups and permissions (one query), 4 the paper with committee and template,
        # 5 its published versions, 6-11 its recommendations, sections, implications, sign-offs (also the
        # unsigned ones the page lists), background papers and appendices (with plan and framework), the
        # action plan's 12 actions and 13 their leads and organisations (one union), the KPIs' 14 measures
        # and 15 their values and shared series' figures, each with its target (one union).
        with django_assert_max_num_queries(15) as queries:
            html = client.get(url).content.decode()
        counts.append(len(queries))
    assert "KPI 6.5" in html and "Reviewer 5" in html
    assert counts[0] == counts[1]
