"""Paper templates edited in the app by plan leads and administrators: start one from a shipped template or a
paper, change its style, sections and sign-offs; stale saves refused (409), other roles refused (403). And a
paper's own changes to its template: a section added or kept, a sign-off no longer needed, no plan at all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actions.models import Board
from reports.models import CommitteePaper, PaperTemplate, SignOff, TemplateSection
from reports.papers import starters
from tests.factories import make_action, make_paper

pytestmark = pytest.mark.django_db

SHIPPED = "WSOA progress"


def editor_data(template: PaperTemplate, **changes) -> dict:
    """Return the editor's POST as its page would send it unchanged, with `changes` to the style fields."""
    data = {"version": template.version}
    for name in PaperTemplate.EDITABLE_FIELDS:
        value = getattr(template, name)
        if value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = value
    for prefix, rows, fields in (
        ("sections", template.sections.all(), ("heading", "guidance", "required")),
        ("signoffs", template.sign_offs.all(), ("role", "required", "printed")),
    ):
        rows = list(rows)
        data |= {f"{prefix}-TOTAL_FORMS": len(rows) + 2, f"{prefix}-INITIAL_FORMS": len(rows)}
        for index, row in enumerate(rows):
            data |= {f"{prefix}-{index}-pk": row.pk, f"{prefix}-{index}-position": index + 1}
            for field in fields:
                value = getattr(row, field)
                if value is not False:
                    data[f"{prefix}-{index}-{field}"] = "on" if value is True else value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


@pytest.fixture
def template(plan_lead) -> PaperTemplate:
    return PaperTemplate.start_from(PaperTemplate.objects.get(name=SHIPPED), by=plan_lead, name="Ours")


def test_a_plan_lead_starts_a_template_from_a_shipped_one(client, plan_lead):
    client.force_login(plan_lead)
    assert SHIPPED in client.get(reverse("papers:templates")).content.decode()
    shipped = PaperTemplate.objects.get(name=SHIPPED)
    response = client.post(reverse("papers:start-template"), {"source": shipped.pk, "name": "Borough style"})
    made = PaperTemplate.objects.get(name="Borough style")
    assert response.status_code == 302
    assert response["Location"] == reverse("papers:template", args=[made.pk])
    assert [s.heading for s in made.sections.all()] == [s.heading for s in shipped.sections.all()]
    assert [s.role for s in made.sign_offs.all()] == [s.role for s in shipped.sign_offs.all()]
    assert made.history.first().history_change_reason == f"Started from {SHIPPED}"


def test_a_template_name_must_be_new(client, plan_lead):
    client.force_login(plan_lead)
    shipped = PaperTemplate.objects.get(name=SHIPPED)
    response = client.post(reverse("papers:start-template"), {"source": shipped.pk, "name": SHIPPED.upper()})
    assert response.status_code == 422
    assert "A template has that name already." in response.content.decode()
    assert PaperTemplate.objects.filter(name__iexact=SHIPPED).count() == 1


def test_a_plan_lead_renames_reorders_adds_and_removes_sections_and_sign_offs(client, plan_lead, template):
    client.force_login(plan_lead)
    assert client.get(reverse("papers:template", args=[template.pk])).status_code == 200
    first, second = template.sections.all()[:2]
    finance = template.sign_offs.get(role="Finance")
    count = template.sections.count()
    data = editor_data(
        template,
        numbering="continuous",
        number_headings=False,
        summary_heading="Purpose of report",
        recommendations_lead_in="That:",
        lettered_recommendations="on",
        cover_fields=["key_decision", "report_of"],
        **{
            "sections-0-heading": "Purpose of report",
            "sections-0-position": "2",
            "sections-1-position": "1",
            "sections-1-required": "on",
            "sections-2-remove": "on",
            f"sections-{count}-heading": "Risk",
            "signoffs-0-required": False,
            f"signoffs-{template.sign_offs.count()}-role": "Procurement",
        },
    )
    response = client.post(reverse("papers:template", args=[template.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    template.refresh_from_db()
    assert (template.numbering, template.number_headings) == ("continuous", False)
    assert template.summary_heading == "Purpose of report"
    assert (template.recommendations_lead_in, template.lettered_recommendations) == ("That:", True)
    assert template.cover_fields == ["key_decision", "report_of"]
    headings = [s.heading for s in template.sections.all()]
    assert headings[:2] == [second.heading, "Purpose of report"]
    assert headings[-1] == "Risk"
    assert len(headings) == count  # one removed, one added
    assert template.sections.get(pk=second.pk).required
    assert TemplateSection.all_objects.filter(template=template, archived_at__isnull=False).count() == 1
    assert template.sign_offs.get(pk=finance.pk).required is False
    assert template.sign_offs.last().role == "Procurement"
    assert template.version == 2
    assert template.history.first().history_user == plan_lead
    assert first.pk == template.sections.all()[1].pk


def test_a_stale_template_save_is_refused_with_the_changes(client, plan_lead, administrator, template):
    stale = editor_data(template, summary_heading="Summary")
    template.edit_layout(
        by=administrator,
        version=template.version,
        fields={"summary_heading": "Purpose"},
        sections=[],
        sign_offs=[],
    )
    client.force_login(plan_lead)
    response = client.post(reverse("papers:template", args=[template.pk]), stale)
    assert response.status_code == 409
    assert "Someone else changed this while you were editing" in response.content.decode()
    template.refresh_from_db()
    assert template.summary_heading == "Purpose"


def test_a_blank_name_is_refused_and_nothing_changes(client, plan_lead, template):
    client.force_login(plan_lead)
    response = client.post(reverse("papers:template", args=[template.pk]), editor_data(template, name=""))
    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()
    template.refresh_from_db()
    assert (template.name, template.version) == ("Ours", 1)


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_other_roles_cannot_see_or_change_templates(client, request, persona, template):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("papers:templates")).status_code == 403
    assert client.get(reverse("papers:template", args=[template.pk])).status_code == 403
    response = client.post(reverse("papers:template", args=[template.pk]), editor_data(template, name="x"))
    assert response.status_code == 403
    response = client.post(reverse("papers:start-template"), {"source": template.pk, "name": "y"})
    assert response.status_code == 403
    template.refresh_from_db()
    assert template.name == "Ours"
    assert not PaperTemplate.objects.filter(name="y").exists()


def test_anonymous_is_sent_to_sign_in_and_get_is_the_only_other_method(client, plan_lead, template):
    assert client.get(reverse("papers:templates")).status_code == 302
    client.force_login(plan_lead)
    assert client.post(reverse("papers:templates")).status_code == 405
    assert client.get(reverse("papers:start-template")).status_code == 405


def test_an_administrator_edits_templates_too(client, administrator, template):
    client.force_login(administrator)
    url = reverse("papers:template", args=[template.pk])
    response = client.post(url, editor_data(template, name="Renamed"))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.name == "Renamed"


@pytest.fixture
def paper(officer, plan_lead, template) -> CommitteePaper:
    template.sections.filter(order=1).update(required=True)
    return starters.create_paper(
        template,
        by=plan_lead,
        committee=Board.objects.create(name="Cabinet", kind=Board.Kind.SCRUTINY),
        meeting_date="2030-05-01",
        title="Peer review progress",
        report_of="Director",
        author_name="Priya Sharma",
    )


def test_a_paper_without_a_plan_is_created_with_no_appendix(client, plan_lead, template):
    client.force_login(plan_lead)
    board = Board.objects.create(name="Health and Wellbeing Board", kind=Board.Kind.SCRUTINY)
    response = client.post(
        reverse("papers:create"),
        {
            "starter": template.pk,
            "committee": board.pk,
            "meeting_date": "2030-06-01",
            "title": "SEND strategy update",
            "report_of": "Laura Bishop",
            "author_name": "Priya Sharma",
        },
    )
    assert response.status_code == 302
    paper = CommitteePaper.objects.get(title="SEND strategy update")
    assert paper.plan is None
    assert paper.appendices.count() == 0
    assert client.get(reverse("papers:detail", args=[paper.pk])).status_code == 200


def test_a_paper_adds_a_section_but_keeps_a_required_one(client, plan_lead, paper):
    client.force_login(plan_lead)
    url = reverse("papers:add-section", args=[paper.pk])
    response = client.post(url, {"section-version": paper.version, "section-heading": "Risk"}, follow=True)
    assert "Section added" in response.content.decode(), [str(m) for m in response.context["messages"]]
    assert paper.sections.last().heading == "Risk"
    paper.refresh_from_db()
    required = paper.sections.get(required=True)
    url = reverse("papers:part", args=[paper.pk, "section", required.pk])
    client.post(url, {"version": paper.version, "action": "remove"})
    assert paper.sections.filter(pk=required.pk).exists()
    structure = client.get(reverse("papers:structure", args=[paper.pk])).content.decode()
    assert "Required by the template" in structure
    assert paper.history.first().history_change_reason == "Added section: Risk"


def test_a_sign_off_made_not_applicable_lets_the_paper_publish_and_says_so(client, plan_lead, paper):
    client.force_login(plan_lead)
    for row in paper.sign_offs.all():
        paper.refresh_from_db()
        response = client.post(
            reverse("papers:sign-off-need", args=[paper.pk, row.pk]),
            {f"need{row.pk}-version": paper.version, f"need{row.pk}-need": "not_applicable"},
        )
        assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.unsigned_required() == []
    assert paper.history.first().history_change_reason.endswith(": not applicable")
    assert not SignOff.objects.filter(paper=paper, applicable=True).exists()
    response = client.post(reverse("papers:publish", args=[paper.pk]), {"version": paper.version})
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.is_published


def test_a_stale_sign_off_change_is_refused(client, plan_lead, paper):
    client.force_login(plan_lead)
    row = paper.sign_offs.first()
    response = client.post(
        reverse("papers:sign-off-need", args=[paper.pk, row.pk]),
        {f"need{row.pk}-version": paper.version - 1 or 99, f"need{row.pk}-need": "optional"},
    )
    assert response.status_code == 409
    row.refresh_from_db()
    assert row.required


def test_save_as_template_keeps_the_papers_sections_and_style(client, plan_lead, officer):
    client.force_login(plan_lead)
    paper = make_paper(make_action(leads=[officer]).plan)
    paper.rename_part(paper.sections.get(), by=plan_lead, version=paper.version, name="Purpose of report")
    response = client.post(reverse("papers:save-as-template", args=[paper.pk]), {"name": "From a paper"})
    made = PaperTemplate.objects.get(name="From a paper")
    assert response.status_code == 302
    assert [s.heading for s in made.sections.all()] == ["Purpose of report"]
    client.force_login(officer)
    assert client.post(reverse("papers:save-as-template", args=[paper.pk]), {"name": "No"}).status_code == 403


def test_the_template_list_takes_the_same_queries_for_many_templates(
    client, plan_lead, template, django_assert_max_num_queries
):
    client.force_login(plan_lead)
    # Session, user and permissions, the templates: a handful, whatever their number.
    with django_assert_max_num_queries(8) as few:
        assert client.get(reverse("papers:templates")).status_code == 200
    for number in range(20):
        PaperTemplate.start_from(template, by=plan_lead, name=f"Council {number}")
    with django_assert_max_num_queries(8) as many:
        assert "Council 19" in client.get(reverse("papers:templates")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
