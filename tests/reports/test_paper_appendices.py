"""Appendices added in the browser: free text, and uploaded PDFs (checked, then merged into the PDF)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from reports import paper_forms
from reports.models import Appendix, CommitteePaper
from reports.papers.render import html_to_pdf
from tests.factories import make_action, make_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(officer) -> CommitteePaper:
    return make_paper(make_action(leads=[officer]).plan)


@pytest.fixture(scope="module")
def two_page_pdf() -> bytes:
    html = '<html lang="en-GB"><title>Glossary</title><p>One</p><p style="break-before: page">Two</p></html>'
    return html_to_pdf(html).data


def post_appendix(client, paper: CommitteePaper, **fields):
    data = {"appendix-version": paper.version, "appendix-rounds": 4, "appendix-action_filter": "all"}
    data.update({f"appendix-{name}": value for name, value in fields.items()})
    return client.post(reverse("papers:add-appendix", args=[paper.pk]), data)


def test_a_free_text_appendix_is_printed(client, plan_lead, paper):
    client.force_login(plan_lead)
    body = "EHC plan – education, health…"
    response = post_appendix(client, paper, kind="text", title="Glossary", body=body)
    assert response.status_code == 302
    appendix = paper.appendices.get(number=2)
    assert (appendix.kind, appendix.title) == (Appendix.Kind.TEXT, "Glossary")
    html = client.get(reverse("papers:detail", args=[paper.pk])).content.decode()
    assert "Appendix 2: Glossary" in html
    assert "EHC plan – education, health…" in html


def test_an_uploaded_pdf_is_merged_after_the_paper_when_published(client, plan_lead, paper, two_page_pdf):
    client.force_login(plan_lead)
    upload = SimpleUploadedFile("glossary.pdf", two_page_pdf, content_type="application/pdf")
    response = post_appendix(client, paper, kind="document", title="Key individuals", document=upload)
    assert response.status_code == 302
    paper.refresh_from_db()
    published = paper.publish(by=plan_lead, version=paper.version)
    reader = PdfReader(io.BytesIO(published.read_verified_pdf()))
    assert published.page_count == len(reader.pages)
    assert reader.pages[-1].extract_text().strip() == "Two"
    assert reader.pages[-2].extract_text().strip() == "One"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.attachments == {"appendix-2.pdf": [two_page_pdf]}
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    limitation = 'not tagged for screen readers; the original file is also attached to the PDF as "appendix-2'
    assert limitation in text


def test_an_uploaded_pdf_adds_only_its_own_pages_and_every_footer_counts_them(
    client, plan_lead, paper, two_page_pdf
):
    client.force_login(plan_lead)
    upload = SimpleUploadedFile("glossary.pdf", two_page_pdf, content_type="application/pdf")
    post_appendix(client, paper, kind="document", title="Key individuals", document=upload)
    paper.refresh_from_db()
    reader = PdfReader(io.BytesIO(paper.publish(by=plan_lead, version=paper.version).read_verified_pdf()))
    total = len(reader.pages)
    own = [" ".join(page.extract_text().split()) for page in reader.pages[:-2]]
    # No page of its own for the upload (it was one heading and a note, on an otherwise empty page) ...
    assert not any("Appendix 2: Key individuals" in text for text in own)
    assert "Appendix 2 – Key individuals (an uploaded document" in " ".join(own)
    # ... and "of N" is the PDF's real page count, the uploaded pages included.
    for number, text in enumerate(own, start=1):
        assert f"Page {number} of {total}" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "The file must be a PDF."),
        (b"%PDF-1.7 but not really a PDF", "The PDF could not be read."),
    ],
)
def test_an_upload_that_is_not_a_pdf_is_refused(client, plan_lead, paper, content, message):
    client.force_login(plan_lead)
    upload = SimpleUploadedFile("evil.pdf", content, content_type="application/pdf")
    response = post_appendix(client, paper, kind="document", title="Evil", document=upload)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert paper.appendices.count() == 1


def test_an_upload_over_the_size_limit_is_refused(client, plan_lead, paper, two_page_pdf, monkeypatch):
    monkeypatch.setattr(paper_forms, "MAX_APPENDIX_BYTES", len(two_page_pdf) - 1)
    client.force_login(plan_lead)
    upload = SimpleUploadedFile("big.pdf", two_page_pdf, content_type="application/pdf")
    response = post_appendix(client, paper, kind="document", title="Big", document=upload)
    assert response.status_code == 422
    assert "10 MB or smaller" in response.content.decode()


def test_a_generated_appendix_needs_its_source(client, plan_lead, paper):
    client.force_login(plan_lead)
    response = post_appendix(client, paper, kind="rag_matrix", title="Self-assessment")
    assert response.status_code == 422
    assert "Choose the framework this appendix shows." in response.content.decode()


def hostile_pdf() -> bytes:
    """A one-page PDF with launch, file and JavaScript links, a web link, JavaScript on opening and by name,
    and an embedded file."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    def action(kind: str, **entries) -> DictionaryObject:
        return DictionaryObject(
            {NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)}
            | {NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()}
        )

    def link(target: DictionaryObject, top: float) -> DictionaryObject:
        box = ArrayObject(FloatObject(n) for n in (50, top, 300, top + 20))
        return DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): box,
                NameObject("/A"): target,
            }
        )

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    page[NameObject("/Annots")] = ArrayObject(
        [
            writer._add_object(link(action("/Launch", F="cmd.exe"), 700)),
            writer._add_object(link(action("/URI", URI="https://www.thurrock.gov.uk/send"), 650)),
            writer._add_object(link(action("/URI", URI="file:///C:/Windows/System32/calc.exe"), 600)),
            writer._add_object(link(action("/JavaScript", JS="app.alert('link')"), 550)),
        ]
    )
    writer.root_object[NameObject("/OpenAction")] = action("/JavaScript", JS="app.alert('open')")
    writer.add_attachment("payload.exe", b"MZ\x90\x00 not really a program")
    names = writer.root_object["/Names"]
    names[NameObject("/JavaScript")] = DictionaryObject(
        {
            NameObject("/Names"): ArrayObject(
                [TextStringObject("init"), writer._add_object(action("/JavaScript", JS="app.alert('named')"))]
            )
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def active_content(data: bytes) -> list[str]:
    """Return the PDF's launch, JavaScript and embedded-file markers, and its links' targets, as found."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    found = []
    if "/OpenAction" in root:
        found.append("open action")
    names = root.get("/Names", {})
    found += [f"names {key}" for key in ("/JavaScript", "/EmbeddedFiles") if key in names]
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            target = annotation.get_object().get("/A", {})
            found.append(f"{target.get('/S')} {target.get('/URI', target.get('/F', ''))}".strip())
    return found


def test_an_uploaded_pdf_appendix_loses_launch_javascript_and_embedded_files_but_keeps_web_links(
    client, plan_lead, paper
):
    data = hostile_pdf()
    assert {"open action", "names /JavaScript", "names /EmbeddedFiles", "/Launch cmd.exe"} <= set(
        active_content(data)
    )
    client.force_login(plan_lead)
    upload = SimpleUploadedFile("glossary.pdf", data, content_type="application/pdf")

    response = post_appendix(client, paper, kind="document", title="Key individuals", document=upload)

    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert "For safety, removed from the uploaded PDF" in shown
    stored = paper.appendices.get(number=2).document.read()
    assert active_content(stored) == ["/URI https://www.thurrock.gov.uk/send"]
    paper.refresh_from_db()
    published = paper.publish(by=plan_lead, version=paper.version)
    sealed = published.read_verified_pdf()
    assert active_content(sealed) == ["names /EmbeddedFiles", "/URI https://www.thurrock.gov.uk/send"]
    # The one embedded file is the appendix itself, as cleaned: nothing of the payload rides along.
    attachments = PdfReader(io.BytesIO(sealed)).attachments
    assert list(attachments) == ["appendix-2.pdf"]
    assert active_content(attachments["appendix-2.pdf"][0]) == ["/URI https://www.thurrock.gov.uk/send"]
    for marker in (b"/Launch", b"/JavaScript", b"/JS", b"payload.exe", b"cmd.exe", b"calc.exe"):
        assert marker not in sealed


def test_the_coverage_appendix_gives_each_findings_status_and_the_rebaselines_appendix_moved_dates(
    client, plan_lead, officer
):
    import datetime

    from tests.factories import make_brag_scale, make_finding, make_priority, make_review, rag_level

    review = make_review(title="Joint local area SEND inspection")
    weakness = make_finding(review, reference="ASW1", text="Records are incomplete.")
    plan = make_action(leads=[officer]).plan
    plan.review = review
    plan.save()
    priority = make_priority(plan, title="Records")
    priority.findings.add(weakness)
    action = make_action(priority, reference="1.1", rag=rag_level(make_brag_scale(), "red"))
    action.rebaseline(
        due_date=datetime.date(2031, 3, 31), reason="Waiting for the new system.", version=action.version
    )
    paper = make_paper(plan)
    client.force_login(plan_lead)

    for kind, title in (("coverage", "Coverage"), ("rebaselines", "Moved dates")):
        paper.refresh_from_db()
        response = post_appendix(client, paper, kind=kind, title=title, plan=plan.pk)
        assert response.status_code == 302
    html = client.get(reverse("papers:detail", args=[paper.pk])).content.decode()

    assert '<strong class="tag tag--red">Off track</strong>' in html
    assert "0 of 1 on track, 1 off track." in html
    assert "31 Jan 2030" in html and "31 Mar 2031" in html and "Waiting for the new system." in html
