"""A plan lead reorders, renames and removes a paper's sections and appendices, and edits its implications and
background papers, on the edit page: one paper method each, with the version check; nothing is deleted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import Appendix, BackgroundPaper, CommitteePaper, Implication, Section
from reports.papers.snapshot import build_snapshot
from tests.factories import make_action, make_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(officer) -> CommitteePaper:
    paper = make_paper(make_action(leads=[officer]).plan)
    Section.objects.create(paper=paper, kind=Section.Kind.ISSUES, body="Options.", order=2)
    Section.objects.create(paper=paper, kind=Section.Kind.REASONS, body="Reasons.", order=3)
    Appendix.objects.create(paper=paper, number=2, title="Glossary", kind=Appendix.Kind.TEXT, body="SEND: …")
    return paper


def change(client, paper: CommitteePaper, kind: str, part, **data):
    paper.refresh_from_db()
    data.setdefault("version", paper.version)
    return client.post(reverse("papers:part", args=[paper.pk, kind, part.pk]), data)


def headings(paper: CommitteePaper) -> list[str]:
    return [section["heading"] for section in build_snapshot(paper)["sections"]]


def test_a_section_moves_down_and_the_numbering_follows(client, plan_lead, paper):
    client.force_login(plan_lead)
    first = paper.sections.get(kind=Section.Kind.INTRODUCTION)
    response = change(client, paper, "section", first, action="down")
    assert response.status_code == 302
    assert response["Location"] == reverse("papers:structure", args=[paper.pk])
    assert headings(paper) == [
        "Issues, options and analysis of options",
        "Introduction and background",
        "Reasons for recommendation",
    ]
    page = client.get(reverse("papers:detail", args=[paper.pk])).content.decode()
    assert "3. Introduction and background" in page
    assert "3.1" in page


def test_a_section_is_renamed_and_a_blank_name_restores_the_standard_heading(client, plan_lead, paper):
    client.force_login(plan_lead)
    section = paper.sections.get(kind=Section.Kind.ISSUES)
    change(client, paper, "section", section, action="rename", name="Alternative options")
    assert "Alternative options" in headings(paper)
    change(client, paper, "section", section, action="rename", name="")
    assert "Issues, options and analysis of options" in headings(paper)


def test_a_removed_section_is_archived_not_deleted_and_leaves_the_paper(client, plan_lead, paper):
    client.force_login(plan_lead)
    section = paper.sections.get(kind=Section.Kind.ISSUES)
    change(client, paper, "section", section, action="remove")
    assert "Issues, options and analysis of options" not in headings(paper)
    archived = Section.all_objects.get(pk=section.pk)
    assert archived.archived_at is not None
    assert archived.history.count() >= 2


def test_removing_an_appendix_renumbers_the_rest_and_keeps_it(client, plan_lead, paper):
    client.force_login(plan_lead)
    first = paper.appendices.get(number=1)
    change(client, paper, "appendix", first, action="remove")
    assert [(a["number"], a["title"]) for a in build_snapshot(paper)["appendices"]] == [(1, "Glossary")]
    assert Appendix.all_objects.filter(paper=paper).count() == 2


def test_appendices_are_reordered_and_renamed(client, plan_lead, paper):
    client.force_login(plan_lead)
    glossary = paper.appendices.get(title="Glossary")
    change(client, paper, "appendix", glossary, action="up")
    change(client, paper, "appendix", glossary, action="rename", name="Glossary of terms")
    assert [(a["number"], a["title"]) for a in build_snapshot(paper)["appendices"]] == [
        (1, "Glossary of terms"),
        (2, "Action plan"),
    ]


def test_a_stale_change_is_refused_with_the_conflict_message_and_changes_nothing(client, plan_lead, paper):
    client.force_login(plan_lead)
    section = paper.sections.get(kind=Section.Kind.ISSUES)
    stale = paper.version
    change(client, paper, "section", section, action="rename", name="Options")
    response = change(client, paper, "section", section, action="remove", version=stale)
    assert response.status_code == 409
    assert "Someone else changed this paper" in response.content.decode()
    assert Section.objects.filter(pk=section.pk).exists()


def test_implications_are_added_once_per_kind_edited_and_printed(client, plan_lead, paper):
    client.force_login(plan_lead)
    url = reverse("papers:add-implication", args=[paper.pk])
    data = {
        "implication-version": paper.version,
        "implication-kind": "financial",
        "implication-body": "There are no direct financial implications.",
        "implication-verified_by_name": "Mark Terry",
        "implication-verified_by_title": "Senior Financial Accountant",
    }
    assert client.post(url, data).status_code == 302
    paper.refresh_from_db()
    data["implication-version"] = paper.version
    client.post(url, data)
    assert Implication.objects.filter(paper=paper).count() == 1
    implication = Implication.objects.get(paper=paper)
    change(
        client,
        paper,
        "implication",
        implication,
        action="save",
        body="£10,000 from reserves.",
        verified_by_name="Mark Terry",
        verified_by_title="Finance Manager",
    )
    printed = build_snapshot(paper)["implications"]
    assert printed == [
        {
            "heading": "Financial",
            "body": "£10,000 from reserves.",
            "verified_by_name": "Mark Terry",
            "verified_by_title": "Finance Manager",
        }
    ]
    change(client, paper, "implication", implication, action="remove")
    assert build_snapshot(paper)["implications"] == []
    assert Implication.all_objects.filter(pk=implication.pk).exists()


def test_background_papers_are_added_edited_reordered_and_removed(client, plan_lead, paper):
    client.force_login(plan_lead)
    url = reverse("papers:add-background", args=[paper.pk])
    for title in ("Ofsted letter, 2019", "SEND strategy 2019-2022"):
        paper.refresh_from_db()
        client.post(url, {"background-version": paper.version, "background-title": title})
    strategy = BackgroundPaper.objects.get(title__startswith="SEND strategy")
    change(client, paper, "background", strategy, action="up")
    change(client, paper, "background", strategy, action="save", title="SEND strategy", location="Website")
    assert build_snapshot(paper)["background_papers"] == [
        {"title": "SEND strategy", "location": "Website"},
        {"title": "Ofsted letter, 2019", "location": ""},
    ]
    change(client, paper, "background", strategy, action="remove")
    assert [b["title"] for b in build_snapshot(paper)["background_papers"]] == ["Ofsted letter, 2019"]


def test_the_structure_page_lists_every_part_with_its_buttons(client, plan_lead, paper):
    client.force_login(plan_lead)
    page = client.get(reverse("papers:structure", args=[paper.pk])).content.decode()
    assert page.count('value="rename"') == 3 + 2  # three sections, two appendices
    assert 'Move down<span class="visually-hidden">: Introduction and background' in page
    assert "data-hx-" not in page or "hx-post" not in page


def test_a_published_papers_parts_cannot_be_changed(client, plan_lead, paper):
    client.force_login(plan_lead)
    paper.sign_offs.all().update(signed_on="2030-03-01", name="Signed")
    paper.refresh_from_db()
    paper.publish(by=plan_lead, version=paper.version)
    section = paper.sections.first()
    response = change(client, paper, "section", section, action="remove")
    assert response.status_code == 302
    assert response["Location"] == reverse("papers:detail", args=[paper.pk])
    assert Section.objects.filter(pk=section.pk).exists()


@pytest.mark.parametrize("role", ["scrutiny_member", "officer"])
def test_readers_cannot_change_parts(client, request, role, paper):
    client.force_login(request.getfixturevalue(role))
    section = paper.sections.first()
    assert change(client, paper, "section", section, action="remove").status_code in (403, 404)
    assert Section.objects.filter(pk=section.pk).exists()


def test_a_part_of_another_paper_is_not_found(client, plan_lead, paper):
    client.force_login(plan_lead)
    other = make_paper(paper.plan, title="Another paper")
    section = other.sections.first()
    assert change(client, paper, "section", section, action="remove").status_code == 404


def test_the_structure_page_runs_the_same_queries_however_many_parts(
    client, plan_lead, paper, django_assert_max_num_queries
):
    client.force_login(plan_lead)
    url = reverse("papers:structure", args=[paper.pk])
    client.get(url)
    # session, user, groups and permissions (one query), the paper (with its template), its implications,
    # sections, sign-offs (#29), background papers and appendices (with plan and framework); no session save
    # within a minute
    with django_assert_max_num_queries(9) as small:
        assert client.get(url).status_code == 200
    for order in range(4, 10):
        Section.objects.create(paper=paper, kind=Section.Kind.OTHER, body="More.", order=order)
        BackgroundPaper.objects.create(paper=paper, title=f"Paper {order}", order=order)
        Appendix.objects.create(paper=paper, number=order, title=f"Text {order}", kind=Appendix.Kind.TEXT)
    Implication.objects.create(paper=paper, kind="legal", body="None.")
    with django_assert_max_num_queries(9) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def test_the_edit_page_stays_within_the_query_budget(client, plan_lead, paper, django_assert_max_num_queries):
    client.force_login(plan_lead)
    url = reverse("papers:edit", args=[paper.pk])
    client.get(url)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
