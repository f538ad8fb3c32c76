"""Importing a framework RAG grid (criteria as rows, rounds as columns), as in the Sunderland seed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from exchange.models import ImportUpload
from inspections.models import Assessment, Criterion, Rating
from tests.exchange.sheets import upload, xlsx
from tests.factories import make_criterion

pytestmark = pytest.mark.django_db


@pytest.fixture
def criteria():
    first = make_criterion("A1")
    second = Criterion.objects.create(
        section=first.section,
        framework=first.framework,
        code="A2",
        wording="Needs are met.",
        order=first.order + 1,
    )
    return first, second


def grid(*rows) -> bytes:
    return xlsx(("Grid", [["Code", "Criterion", "Feb 18", datetime.date(2018, 3, 31)], *rows]))


def import_grid(client, framework, data: bytes):
    response = client.post(
        reverse("exchange:upload"),
        {"kind": "rag_grid", "framework": framework.pk, "file": upload("grid.xlsx", data)},
    )
    stored = ImportUpload.objects.latest("pk")
    assert response["Location"] == reverse("exchange:preview", args=[stored.pk])
    preview = client.get(response["Location"])
    mapping = {"mapped": "1", "col-code": str(preview.context["code_column"])}
    return client.post(
        reverse("exchange:confirm", args=[stored.pk]),
        {**mapping, "col-rounds": [str(i) for i in preview.context["round_columns"]]},
    )


def test_a_grid_opens_its_rounds_and_saves_every_rating(client, plan_lead, criteria):
    first, _second = criteria
    client.force_login(plan_lead)
    response = import_grid(
        client, first.framework, grid(["A1", "…", "Red", "amber - at risk"], ["A2", "…", "G", "G"])
    )
    assert response.status_code == 302
    rounds = list(Assessment.objects.order_by("assessed_on"))
    assert [(r.label, r.assessed_on) for r in rounds] == [
        ("Feb 18", datetime.date(2018, 2, 28)),
        ("Mar 18", datetime.date(2018, 3, 31)),
    ]
    ratings = {
        (r.assessment.label, r.criterion.code): r.rag
        for r in Rating.objects.select_related("assessment", "criterion")
    }
    assert ratings == {
        ("Feb 18", "A1"): "R",
        ("Mar 18", "A1"): "A",
        ("Feb 18", "A2"): "G",
        ("Mar 18", "A2"): "G",
    }
    # Again: nothing changes, nothing is duplicated.
    import_grid(client, first.framework, grid(["A1", "…", "Red", "amber - at risk"], ["A2", "…", "G", "G"]))
    assert Rating.objects.count() == 4 and Assessment.objects.count() == 2
    assert all(r.version == 1 for r in Rating.objects.all())


def test_a_grid_with_an_unknown_criterion_or_rating_imports_nothing(client, plan_lead, criteria):
    first, _ = criteria
    client.force_login(plan_lead)
    response = import_grid(client, first.framework, grid(["A1", "", "Red", "Purple"], ["Z9", "", "G", ""]))
    assert response.status_code == 422
    problems = {(p.row, p.column) for p in response.context["preview"].problems}
    assert problems == {(2, "2018-03-31"), (3, "Code")}
    assert Assessment.objects.count() == 0 and Rating.objects.count() == 0


def test_an_agreed_round_is_not_changed_by_an_import(client, plan_lead, criteria):
    first, _second = criteria
    agreed = Assessment.objects.create(
        framework=first.framework, label="Feb 18", assessed_on=datetime.date(2018, 2, 28)
    )
    for criterion in criteria:  # only a round with every criterion rated can be agreed
        agreed.rate(criterion=criterion, author=plan_lead, version=0, rag="G", commentary="", next_steps="")
    agreed.agree(author=plan_lead)
    client.force_login(plan_lead)
    response = import_grid(client, first.framework, grid(["A1", "", "Red", ""]))
    assert response.status_code == 422
    assert "agreed" in response.content.decode()
    assert Rating.objects.get(criterion=first).rag == "G"


def test_the_grid_preview_runs_the_same_number_of_queries_whatever_the_rows(client, plan_lead, criteria):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, _second = criteria
    client.force_login(plan_lead)
    counts = []
    for extra in (0, 30):
        for number in range(extra):
            Criterion.objects.create(
                section=first.section,
                framework=first.framework,
                code=f"B{number}",
                wording="More.",
                order=10 + number,
            )
        rows = [[c.code, "", "Red", "Green"] for c in Criterion.objects.filter(framework=first.framework)]
        client.post(
            reverse("exchange:upload"),
            {"kind": "rag_grid", "framework": first.framework_id, "file": upload("grid.xlsx", grid(*rows))},
        )
        url = reverse("exchange:preview", args=[ImportUpload.objects.latest("pk").pk])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    # session, user, permissions and groups (one query), upload with its framework, remembered mapping,
    # criteria, rounds, ratings (no session save: its expiry is under a minute old).
    assert counts == [8, 8]
