"""The demo's progress paper rendered to PDF once for this module, then read back with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from django.db import transaction
from pypdf import PdfReader

from actions.models import Action, Measure
from demo import papers as demo_papers
from demo.loader import load
from reports.models import Appendix, CommitteePaper
from reports.papers.render import render_paper_html, render_paper_pdf
from reports.papers.snapshot import build_snapshot
from tests.factories import make_busy_actions, make_paper

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"^(\d+\.\d+[a-z]?) ", re.MULTILINE)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> dict:
    """Render the demo progress paper, its action plan filtered to open actions; roll the database back."""
    with django_db_blocker.unblock(), transaction.atomic():
        load()
        paper = CommitteePaper.objects.select_related("committee").get(title=demo_papers.TITLE)
        Appendix.objects.filter(paper=paper, kind=Appendix.Kind.ACTION_PLAN).update(
            action_filter=Appendix.ActionFilter.OPEN
        )
        plan_actions = Action.objects.live().filter(plan=paper.plan)
        result = {
            "paper": paper,
            "open_references": set(plan_actions.open().values_list("reference", flat=True)),
            "closed_references": set(
                plan_actions.exclude(pk__in=plan_actions.open()).values_list("reference", flat=True)
            ),
            "recommendations": list(paper.recommendations.values_list("text", flat=True)),
            "kpi_names": list(Measure.objects.filter(plan=paper.plan).values_list("name", flat=True)),
        }
        result["pdf"] = render_paper_pdf(build_snapshot(paper))
        transaction.set_rollback(True)
    reader = PdfReader(io.BytesIO(result["pdf"].data))
    result["reader"] = reader
    result["pages"] = [page.extract_text() for page in reader.pages]
    result["text"] = "\n".join(result["pages"])
    return result


def _appendix_pages(demo: dict, number: int) -> str:
    """Return the text of the pages from "Appendix N:" up to the next appendix."""
    pages = demo["pages"]
    start = next(i for i, text in enumerate(pages) if f"Appendix {number}:" in text)
    end = next((i for i in range(start + 1, len(pages)) if f"Appendix {number + 1}:" in pages[i]), len(pages))
    return "\n".join(pages[start:end])


def test_the_paper_runs_to_several_pages(demo):
    assert len(demo["reader"].pages) > 1
    assert demo["pdf"].page_count == len(demo["reader"].pages)


def test_the_cover_block_is_on_the_first_page(demo):
    first = demo["pages"][0]
    paper = demo["paper"]
    for text in (
        "ITEM: 7",
        paper.committee.name,
        paper.title,
        "Wards and communities affected: All",
        "Key Decision: N/A",
        f"Report of: {paper.report_of}",
        f"Accountable Assistant Director: {paper.accountable_assistant_director}",
        f"Accountable Director: {paper.accountable_director}",
        "This report is Public",
    ):
        assert text in first, text


def test_recommendations_are_numbered(demo):
    flat = " ".join(demo["text"].split())
    for number, text in enumerate(demo["recommendations"], start=1):
        assert f"1.{number} {' '.join(text.split())}" in flat


def test_the_action_plan_appendix_lists_exactly_the_actions_selected(demo):
    appendix = _appendix_pages(demo, 1)
    listed = REFERENCE.findall(appendix)
    assert sorted(listed) == sorted(demo["open_references"])
    assert not set(listed) & demo["closed_references"]
    assert f"{len(demo['open_references'])} actions" in appendix


def test_every_page_has_its_page_number_of_the_total(demo):
    total = len(demo["pages"])
    assert "Page 1 of" not in demo["pages"][0] or f"Page 1 of {total}" in demo["pages"][0]
    for number, text in enumerate(demo["pages"], start=1):
        assert f"Page {number} of {total}" in text


def test_later_pages_carry_the_running_header(demo):
    paper = demo["paper"]
    for text in demo["pages"][1:]:
        assert paper.committee.name in text
        assert "Item 7" in text


def test_the_pdf_is_tagged_with_language_title_and_author(demo):
    reader = demo["reader"]
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == demo["paper"].title
    assert reader.metadata.author == "Priya Sharma"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_rag_cells_print_their_word(demo):
    appendix = _appendix_pages(demo, 1)
    assert re.search(r"\b(On track|At risk|Off track)\b", appendix)


def test_the_demo_paper_prints_that_it_is_illustrative(demo):
    # The demo's draft is generated: the paper and its appendices say so in print too (issue #15).
    assert "Illustrative" in demo["pages"][0]
    assert "(illustrative)" in _appendix_pages(demo, 1)
    assert "national average" not in " ".join(demo["text"].split())


def _figures(node, found: list) -> list:
    """Collect the (alternative text) of every /Figure in a structure tree."""
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _figures(child, found)
    elif hasattr(node, "get"):
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        if kids is not None and not isinstance(kids, int):
            _figures(kids, found)
    return found


def test_the_kpi_appendix_prints_each_kpi_as_a_tagged_chart_with_its_words_and_figures(demo):
    names = demo["kpi_names"]
    assert names
    appendix = " ".join(_appendix_pages(demo, 2).split())
    figures = _figures(demo["reader"].trailer["/Root"]["/StructTreeRoot"], [])
    for name in names:
        assert name in figures, name
        assert f"Figures for {' '.join(name.split())}" in appendix
    assert appendix.count("Latest value") + appendix.count("No local values") == len(names)
    assert re.search(r"(Higher|Lower) is better\. Latest value [\d.]+%? at \w+ \d{4}", appendix)


def test_an_action_plan_printed_as_blocks_gives_each_action_in_full():
    # Over 120 actions the appendix prints one block per action, three lines with no tag inside them (for
    # speed, tests/bench): still every fact a table row gives, the RAG as its word, and still tagged.
    actions = make_busy_actions(3, plan_count=1)
    snapshot = build_snapshot(make_paper(actions[0].plan))
    reader = PdfReader(io.BytesIO(render_paper_pdf(snapshot, layout="blocks").data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    listed = [
        action for group in snapshot["appendices"][0]["data"]["priorities"] for action in group["actions"]
    ]
    assert len(listed) == 3
    for action in listed:
        assert f"{action['reference']} {action['description']}" in text
        assert (
            f"Lead: {', '.join(action['leads'])} ({', '.join(action['organisations'])}) · Due {action['due']}"
            f" · {action['status']} · {action['rag_label']}"
        ) in text
        assert f"{action['latest_at']}: {action['latest_update']}" in text
    assert "Not rated" not in {action["rag_label"] for action in listed}
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    # The RAG colour stays beside the word, as a bar on the line (paper.css), for the reader who scans by it.
    html = render_paper_html(snapshot, layout="blocks")
    for action in listed:
        assert f'class="paper-action__meta paper-action__meta--{action["rag_colour"]}"' in html
