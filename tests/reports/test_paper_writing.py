"""A plan lead writes a paper in the browser: create from a starter, edit, sign off; stale saves refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import CommitteePaper, PaperTemplate, SignOff
from tests.factories import make_action, make_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(officer) -> CommitteePaper:
    return make_paper(make_action(leads=[officer]).plan)


def cover_data(paper: CommitteePaper, **changes) -> dict:
    data = {
        "version": paper.version,
        "committee": paper.committee_id,
        "meeting_date": paper.meeting_date.isoformat(),
        "agenda_item": paper.agenda_item,
        "title": paper.title,
        "wards_affected": paper.wards_affected,
        "key_decision": paper.key_decision,
        "report_of": paper.report_of,
        "access": paper.access,
        "author_name": paper.author_name,
        "cover": "1",
    }
    return {**data, **changes}


def test_a_plan_lead_creates_a_paper_from_a_starter(client, plan_lead, paper):
    client.force_login(plan_lead)
    assert client.get(reverse("papers:create")).status_code == 200
    response = client.post(
        reverse("papers:create"),
        {
            "starter": PaperTemplate.objects.get(name="WSOA progress").pk,
            "committee": paper.committee_id,
            "meeting_date": "2030-06-01",
            "agenda_item": "5",
            "title": "WSOA progress, June",
            "plan": paper.plan_id,
            "report_of": "Laura Bishop",
            "author_name": "Priya Sharma",
        },
    )
    created = CommitteePaper.objects.get(title="WSOA progress, June")
    assert response.status_code == 302
    assert response["Location"] == reverse("papers:edit", args=[created.pk])
    assert created.created_by == plan_lead
    assert created.sections.count() == 5
    assert list(created.sign_offs.values_list("role", "printed")) == [
        ("Finance", False),
        ("Legal", False),
        ("Diversity and equality", False),
    ]
    assert created.template.name == "WSOA progress"
    assert created.sections.first().heading == "Introduction and Background"
    assert created.appendices.get().plan_id == paper.plan_id
    assert created.recommendations.get().number == "1.1"


def test_a_new_paper_needs_its_cover_fields(client, plan_lead):
    client.force_login(plan_lead)
    response = client.post(reverse("papers:create"), {"starter": PaperTemplate.objects.first().pk})
    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()
    assert not CommitteePaper.objects.exists()


def test_editing_the_cover_saves_through_the_version_check(client, plan_lead, paper):
    client.force_login(plan_lead)
    response = client.post(
        reverse("papers:edit", args=[paper.pk]),
        cover_data(paper, title="A new title", key_decision="not_exec", access="open"),
    )
    assert response.status_code == 302
    paper.refresh_from_db()
    assert (paper.title, paper.key_decision, paper.access) == ("A new title", "not_exec", "open")
    assert paper.version == 2
    page = client.get(reverse("papers:detail", args=[paper.pk])).content.decode()
    assert "This report is Open" in page
    assert "Not an executive decision" in page


def test_a_stale_edit_is_refused_and_changes_nothing(client, plan_lead, paper):
    client.force_login(plan_lead)
    loaded = cover_data(paper, title="Mine")
    paper.edit(by=plan_lead, version=paper.version, title="Theirs")
    response = client.post(reverse("papers:edit", args=[paper.pk]), loaded)
    assert response.status_code == 409
    assert "Someone else changed this paper" in response.content.decode()
    paper.refresh_from_db()
    assert paper.title == "Theirs"


def test_an_exempt_paper_must_say_why(client, plan_lead, paper):
    client.force_login(plan_lead)
    response = client.post(reverse("papers:edit", args=[paper.pk]), cover_data(paper, access="exempt"))
    assert response.status_code == 422
    assert "Give the exemption paragraph" in response.content.decode()


def test_sections_and_recommendations_are_edited_and_numbered(client, plan_lead, paper):
    client.force_login(plan_lead)
    section = paper.sections.get()
    recommendation = paper.recommendations.get()
    response = client.post(
        reverse("papers:edit", args=[paper.pk]),
        {
            "parts": "1",
            "version": paper.version,
            f"section_{section.pk}": "First.\n\nSecond with **bold**.\n- a list",
            f"recommendation_{recommendation.pk}": "That the Committee note the plan.",
            "new_recommendation": "That the Committee agree the next steps.",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("papers:detail", args=[paper.pk])).content.decode()
    assert '<span class="para__number">2.2</span> Second with <strong>bold</strong>.' in html
    assert '<span class="para__number">1.2</span> That the Committee agree the next steps.' in html


def test_a_sign_off_row_stays_blank_until_signed(client, plan_lead, paper):
    row = SignOff.objects.create(paper=paper, role="Legal", name="", order=1)
    client.force_login(plan_lead)
    response = client.post(
        reverse("papers:sign-off", args=[paper.pk, row.pk]),
        {
            f"s{row.pk}-version": paper.version,
            f"s{row.pk}-name": "Hannah Cole",
            f"s{row.pk}-signed_on": "2030-03-01",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.name, row.signed_by, str(row.signed_on)) == ("Hannah Cole", plan_lead, "2030-03-01")
    assert "Hannah Cole" in client.get(reverse("papers:detail", args=[paper.pk])).content.decode()


@pytest.mark.parametrize("role", ["scrutiny_member", "officer"])
def test_readers_cannot_write_papers(client, request, role, paper):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("papers:create")).status_code == 403
    response = client.post(reverse("papers:edit", args=[paper.pk]), cover_data(paper, title="x"))
    assert response.status_code == 403
    paper.refresh_from_db()
    assert paper.title != "x"


def test_the_generic_template_prints_a_reviewers_table_with_its_own_sections(client, plan_lead, paper):
    client.force_login(plan_lead)
    template = PaperTemplate.objects.get(name="Generic committee report")
    client.post(
        reverse("papers:create"),
        {
            "starter": template.pk,
            "committee": paper.committee_id,
            "meeting_date": "2030-06-01",
            "title": "Generic",
            "plan": paper.plan_id,
            "report_of": "Laura Bishop",
            "author_name": "Priya Sharma",
        },
    )
    created = CommitteePaper.objects.get(title="Generic")
    html = client.get(reverse("papers:detail", args=[created.pk])).content.decode()
    assert "3. Alternative options" in html
    assert "8. Consultees" in html
    assert "Report reviewers" in html
    assert "Waiting for sign-off from: Director, Chief Finance Officer, Monitoring Officer" in html
    edit = client.get(reverse("papers:edit", args=[created.pk])).content.decode()
    assert "Other options considered, and why they were rejected." in edit
