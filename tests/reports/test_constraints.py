"""The rules the database enforces for committee papers and their parts."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import Board
from inspections.models import Framework
from reports.models import Appendix, CommitteePaper, Implication, Recommendation
from tests.factories import make_plan

pytestmark = pytest.mark.django_db


def make_paper(**fields: object) -> CommitteePaper:
    if "committee" not in fields:
        fields["committee"], _ = Board.objects.get_or_create(name="Children's Services Overview and Scrutiny")
    fields.setdefault("meeting_date", datetime.date(2019, 11, 12))
    fields.setdefault("title", "SEND Written Statement of Action update")
    fields.setdefault("report_of", "Head of Inclusion")
    fields.setdefault("author_name", "A. Officer")
    return CommitteePaper.objects.create(**fields)


# Cover and status


def test_an_exempt_paper_must_give_its_reason() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_paper(access=CommitteePaper.Access.EXEMPT, exempt_reason="")


def test_an_exempt_paper_with_a_reason_is_accepted() -> None:
    paper = make_paper(access=CommitteePaper.Access.EXEMPT, exempt_reason="Paragraph 3, Schedule 12A")

    assert paper.pk


def test_a_published_paper_must_have_its_publication_date() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_paper(status=CommitteePaper.Status.PUBLISHED, published_at=None)


def test_a_published_paper_with_its_date_is_accepted() -> None:
    paper = make_paper(status=CommitteePaper.Status.PUBLISHED, published_at=timezone.now())

    assert paper.pk


# Parts of a paper


def test_a_paper_has_one_implication_of_each_kind() -> None:
    paper = make_paper()
    Implication.objects.create(paper=paper, kind=Implication.Kind.FINANCIAL, body="None.")

    with pytest.raises(IntegrityError), transaction.atomic():
        Implication.objects.create(paper=paper, kind=Implication.Kind.FINANCIAL, body="Some.")


def test_the_same_implication_kind_is_allowed_on_another_paper() -> None:
    Implication.objects.create(paper=make_paper(), kind=Implication.Kind.LEGAL, body="None.")
    Implication.objects.create(paper=make_paper(title="Another"), kind=Implication.Kind.LEGAL, body="None.")

    assert Implication.objects.filter(kind=Implication.Kind.LEGAL).count() == 2


def test_recommendation_numbers_are_unique_in_a_paper() -> None:
    paper = make_paper()
    Recommendation.objects.create(paper=paper, number="1.1", text="Note the progress made.")

    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(paper=paper, number="1.1", text="Comment on the plan.")


@pytest.mark.parametrize("kind", [Appendix.Kind.ACTION_PLAN, Appendix.Kind.KPI_CHARTS])
def test_an_appendix_drawn_from_a_plan_must_name_the_plan(kind: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Appendix.objects.create(paper=make_paper(), number=1, title="Action plan", kind=kind, plan=None)


def test_an_action_plan_appendix_naming_a_plan_is_accepted() -> None:
    appendix = Appendix.objects.create(
        paper=make_paper(), number=1, title="Action plan", kind=Appendix.Kind.ACTION_PLAN, plan=make_plan()
    )

    assert appendix.pk


def test_a_rag_matrix_appendix_must_name_the_framework() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Appendix.objects.create(
            paper=make_paper(), number=1, title="RAG matrix", kind=Appendix.Kind.RAG_MATRIX, framework=None
        )


def test_a_rag_matrix_appendix_naming_a_framework_is_accepted() -> None:
    framework = Framework.objects.create(name="Local area SEND inspection framework", year=2016)
    appendix = Appendix.objects.create(
        paper=make_paper(), number=1, title="RAG matrix", kind=Appendix.Kind.RAG_MATRIX, framework=framework
    )

    assert appendix.pk


def test_an_attached_document_needs_neither_plan_nor_framework() -> None:
    appendix = Appendix.objects.create(
        paper=make_paper(), number=1, title="Inspection letter", kind=Appendix.Kind.DOCUMENT, body="Dear…"
    )

    assert appendix.pk


def test_appendix_numbers_are_unique_in_a_paper() -> None:
    paper = make_paper()
    Appendix.objects.create(paper=paper, number=1, title="Letter", kind=Appendix.Kind.DOCUMENT)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appendix.objects.create(paper=paper, number=1, title="Another letter", kind=Appendix.Kind.DOCUMENT)
