"""Publishing freezes a paper: stored PDF and checksum, snapshot, corrections as versions, no edits."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from actions.models import Action
from core.versioning import StaleVersionError
from reports.models import (
    CommitteePaper,
    PaperFrozenError,
    PaperRuleError,
    PublishedVersion,
    Recommendation,
    SignOff,
)
from tests.factories import make_action, make_paper, make_update, rag_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(officer) -> Action:
    return make_action(leads=[officer], description="Reconcile every EHC plan record.")


@pytest.fixture
def paper(action) -> CommitteePaper:
    return make_paper(action.plan)


def _paper_html(response) -> str:
    """Return the paper's own markup from a page (the page around it has a fresh CSRF token each time)."""
    html = response.content.decode()
    return html[html.index('<article class="paper">') : html.index("</article>")]


def publish_by_post(client, paper: CommitteePaper, version: int | None = None):
    return client.post(reverse("papers:publish", args=[paper.pk]), {"version": version or paper.version})


def test_publishing_stores_the_pdf_its_checksum_and_the_data_it_showed(client, plan_lead, paper, action):
    client.force_login(plan_lead)
    response = publish_by_post(client, paper)
    assert response.status_code == 302
    version = PublishedVersion.objects.get(paper=paper)
    assert version.number == 1
    assert version.published_by == plan_lead
    data = version.read_verified_pdf()
    assert data.startswith(b"%PDF-")
    assert version.size == len(data)
    rows = version.snapshot["appendices"][0]["data"]["priorities"][0]["actions"]
    assert [row["reference"] for row in rows] == [action.reference]
    paper.refresh_from_db()
    assert paper.status == CommitteePaper.Status.PUBLISHED
    assert paper.published_at == version.published_at


def test_later_changes_to_actions_never_change_a_published_paper(client, plan_lead, paper, action):
    client.force_login(plan_lead)
    publish_by_post(client, paper)
    version = PublishedVersion.objects.get(paper=paper)
    pdf_before, snapshot_before = version.read_verified_pdf(), version.snapshot
    page_before = _paper_html(client.get(reverse("papers:version", args=[paper.pk, 1])))

    red = rag_level(action.plan.rag_scale, "red")
    make_update(action, plan_lead, "Now off track", rag=red, rag_reason="x")
    Action.objects.filter(pk=action.pk).update(description="A different description")

    version = PublishedVersion.objects.get(paper=paper)
    assert version.read_verified_pdf() == pdf_before
    assert version.snapshot == snapshot_before
    assert _paper_html(client.get(reverse("papers:version", args=[paper.pk, 1]))) == page_before
    download = client.get(reverse("papers:version-pdf", args=[paper.pk, 1]))
    assert download.content == pdf_before
    detail = client.get(reverse("papers:detail", args=[paper.pk]))
    assert "A different description" not in detail.content.decode()


def test_a_correction_is_a_new_version_and_the_old_one_stays_downloadable(client, plan_lead, paper, action):
    client.force_login(plan_lead)
    publish_by_post(client, paper)
    paper.refresh_from_db()
    first = PublishedVersion.objects.get(paper=paper).read_verified_pdf()

    response = client.post(
        reverse("papers:correct", args=[paper.pk]),
        {"version": paper.version, "reason": "Recommendation 1.1 was worded wrongly."},
    )
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.status == CommitteePaper.Status.DRAFT
    Recommendation.objects.filter(paper=paper).update(text="That the Committee note the corrected plan.")
    assert publish_by_post(client, paper).status_code == 302

    versions = list(PublishedVersion.objects.filter(paper=paper).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].note == "Recommendation 1.1 was worded wrongly."
    assert client.get(reverse("papers:version-pdf", args=[paper.pk, 1])).content == first
    assert client.get(reverse("papers:version-pdf", args=[paper.pk, 2])).content != first
    assert versions[0].snapshot["recommendations"] == ["That the Committee note it."]
    assert versions[1].snapshot["recommendations"] == ["That the Committee note the corrected plan."]


def test_a_tampered_pdf_is_not_served(client, scrutiny_member, plan_lead, paper):
    paper.publish(by=plan_lead, version=paper.version)
    version = PublishedVersion.objects.get(paper=paper)
    with open(version.pdf.path, "r+b") as stored:
        stored.seek(20)
        stored.write(b"tampered")
    client.force_login(scrutiny_member)
    response = client.get(reverse("papers:version-pdf", args=[paper.pk, 1]))
    assert response.status_code == 500
    assert "no longer matches the checksum" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_a_stale_publish_is_refused(client, plan_lead, paper):
    client.force_login(plan_lead)
    loaded = paper.version
    paper.edit(by=plan_lead, version=loaded, title="Retitled by someone else")
    files_before = set(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    response = publish_by_post(client, paper, version=loaded)
    assert response.status_code == 409
    assert "Someone else changed this paper" in response.content.decode()
    assert not PublishedVersion.objects.exists()
    # The PDF is rendered before the version is claimed; the refused claim removes its file.
    assert set(Path(settings.MEDIA_ROOT).rglob("*.pdf")) == files_before


def test_the_pdf_is_rendered_before_the_version_is_claimed(monkeypatch, plan_lead, paper):
    """Rendering takes seconds: no claim (and no row lock) is held while WeasyPrint runs."""
    from reports.papers import render

    original, seen = render.render_paper_pdf, []

    def spy(*args, **kwargs):
        seen.append(CommitteePaper.objects.get(pk=paper.pk).version)
        return original(*args, **kwargs)

    monkeypatch.setattr(render, "render_paper_pdf", spy)
    loaded = paper.version

    paper.publish(by=plan_lead, version=loaded)

    assert seen == [loaded]  # still the loaded version while rendering
    assert CommitteePaper.objects.get(pk=paper.pk).version == loaded + 1


def test_a_publish_whose_transaction_rolls_back_removes_its_file_and_claims_nothing(
    monkeypatch, plan_lead, paper
):
    files_before = set(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    loaded = paper.version

    def fails(self, *args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(PublishedVersion, "save", fails)
    with pytest.raises(RuntimeError):
        paper.publish(by=plan_lead, version=loaded)

    assert set(Path(settings.MEDIA_ROOT).rglob("*.pdf")) == files_before
    stored = CommitteePaper.objects.get(pk=paper.pk)
    assert stored.version == loaded
    assert stored.status != CommitteePaper.Status.PUBLISHED


def test_publishing_waits_for_every_required_sign_off(client, plan_lead, paper):
    sign_off = SignOff.objects.create(paper=paper, role="Legal", name="", order=1)
    client.force_login(plan_lead)
    page = client.get(reverse("papers:detail", args=[paper.pk])).content.decode()
    assert "Waiting for sign-off from: Legal" in page
    response = publish_by_post(client, paper)
    assert response.status_code == 422
    assert not PublishedVersion.objects.exists()

    today = datetime.date.today()
    paper.sign(sign_off, by=plan_lead, version=paper.version, name="Hannah Cole", signed_on=today)
    assert publish_by_post(client, paper).status_code == 302


def test_unsigned_sign_off_rows_print_blank(paper, plan_lead):
    from reports.papers.snapshot import build_snapshot

    SignOff.objects.create(paper=paper, role="Finance", name="Andrew Pike", order=1)
    SignOff.objects.create(paper=paper, role="Hidden", name="Not printed", order=2, printed=False)
    rows = build_snapshot(paper)["sign_offs"]
    assert rows == [{"role": "Finance", "name": "", "signed_on": ""}]


def test_no_model_path_changes_a_published_paper_or_its_parts(paper, plan_lead):
    paper.publish(by=plan_lead, version=paper.version)
    paper.refresh_from_db()
    recommendation = paper.recommendations.get()
    version = paper.versions.get()

    paper.title = "Changed"
    with pytest.raises(PaperFrozenError):
        paper.save()
    with pytest.raises(PaperFrozenError):
        CommitteePaper.objects.filter(pk=paper.pk).update(title="Changed")
    with pytest.raises(PaperFrozenError):
        paper.delete()
    with pytest.raises(PaperFrozenError):
        paper.edit(by=plan_lead, version=paper.version, title="Changed")
    recommendation.text = "Changed"
    with pytest.raises(PaperFrozenError):
        recommendation.save()
    with pytest.raises(PaperFrozenError):
        Recommendation.objects.filter(paper=paper).update(text="Changed")
    with pytest.raises(PaperFrozenError):
        recommendation.delete()
    with pytest.raises(PaperFrozenError):
        Recommendation.objects.create(paper=paper, number="1.2", text="Added")
    version.sha256 = "0" * 64
    with pytest.raises(PaperFrozenError):
        version.save()
    with pytest.raises(PaperFrozenError):
        PublishedVersion.objects.filter(pk=version.pk).update(note="x")
    with pytest.raises(PaperFrozenError):
        PublishedVersion.objects.all().delete()
    with pytest.raises(PaperFrozenError):
        paper.publish(by=plan_lead, version=paper.version)
    paper.refresh_from_db()
    assert paper.title != "Changed"
    assert paper.recommendations.get().text == "That the Committee note it."


def test_a_correction_needs_the_current_version(paper, plan_lead):
    paper.publish(by=plan_lead, version=paper.version)
    paper.refresh_from_db()
    with pytest.raises(StaleVersionError):
        paper.open_correction(by=plan_lead, version=paper.version - 1, reason="x")
    draft = make_paper()
    with pytest.raises(PaperRuleError):
        draft.open_correction(by=plan_lead, version=draft.version, reason="x")


def test_the_admin_cannot_change_a_published_paper(client, administrator, paper, plan_lead):
    paper.publish(by=plan_lead, version=paper.version)
    client.force_login(administrator)
    url = reverse("admin:reports_committeepaper_change", args=[paper.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()  # a view-only page
    response = client.post(url, {"title": "Changed by admin"})
    assert response.status_code == 403
    part = paper.recommendations.get()
    assert client.post(reverse("admin:reports_recommendation_change", args=[part.pk]), {}).status_code == 403
    version = paper.versions.get()
    version_url = reverse("admin:reports_publishedversion_change", args=[version.pk])
    assert client.post(version_url, {}).status_code == 403
    assert client.get(reverse("admin:reports_publishedversion_add")).status_code == 403
    paper.refresh_from_db()
    assert paper.title != "Changed by admin"


def test_the_admin_archive_action_leaves_published_papers_alone(client, administrator, paper, plan_lead):
    paper.publish(by=plan_lead, version=paper.version)
    draft = make_paper()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:reports_committeepaper_changelist"),
        {"action": "archive_drafts", "_selected_action": [paper.pk, draft.pk]},
    )
    assert response.status_code == 302
    assert CommitteePaper.objects.get(pk=paper.pk).archived_at is None
    assert CommitteePaper.objects.get(pk=draft.pk).archived_at is not None
