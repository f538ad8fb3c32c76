"""Text people type, quoted into a bounded column (a history change reason), fits it on every database.

On PostgreSQL a reason longer than the 100-character column was a 500; SQLite does not enforce the length,
so the tests check what was stored.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import CommitteePaper
from tests.factories import make_action, make_paper

pytestmark = pytest.mark.django_db
REASON_COLUMN = CommitteePaper.history.model._meta.get_field("history_change_reason").max_length


@pytest.fixture
def paper(officer) -> CommitteePaper:
    return make_paper(make_action(leads=[officer]).plan)


def latest_reason(paper: CommitteePaper) -> str:
    return CommitteePaper.history.filter(id=paper.pk).latest("history_id").history_change_reason


def test_a_correction_reason_of_2000_characters_opens_the_correction(client, plan_lead, paper):
    client.force_login(plan_lead)
    paper.publish(by=plan_lead, version=paper.version)
    paper.refresh_from_db()
    reason = "The table of actions in appendix 1 showed last month's figures. " * 31  # the form's 2,000
    reason = reason[:2000]

    response = client.post(
        reverse("papers:correct", args=[paper.pk]), {"version": paper.version, "reason": reason}
    )

    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.status == CommitteePaper.Status.DRAFT
    assert paper.correction_reason == reason.strip()  # the whole reason is kept on the paper
    stored = latest_reason(paper)
    assert len(stored) <= REASON_COLUMN
    assert stored.startswith("Correction opened: The table of actions in appendix 1")
    assert stored.endswith("…")


def test_a_background_paper_title_of_300_characters_is_saved(client, plan_lead, paper):
    client.force_login(plan_lead)
    title = ("Ofsted and CQC joint local area SEND inspection report, Thurrock, 2019 " * 5)[:300].strip()

    response = client.post(
        reverse("papers:add-background", args=[paper.pk]),
        {"background-version": paper.version, "background-title": title},
    )

    assert response.status_code == 302
    assert paper.background_papers.get().title == title
    assert len(latest_reason(paper)) <= REASON_COLUMN


def test_an_appendix_title_of_300_characters_is_saved(client, plan_lead, paper):
    client.force_login(plan_lead)
    title = ("Glossary of the terms the written statement of action uses, with their sources " * 4)[:300]

    response = client.post(
        reverse("papers:add-appendix", args=[paper.pk]),
        {
            "appendix-version": paper.version,
            "appendix-rounds": 4,
            "appendix-action_filter": "all",
            "appendix-kind": "text",
            "appendix-title": title,
            "appendix-body": "EHC plan: education, health and care plan.",
        },
    )

    assert response.status_code == 302
    assert paper.appendices.get(title=title.strip())
    assert len(latest_reason(paper)) <= REASON_COLUMN
    renamed = paper.appendices.get(title=title.strip())
    paper.refresh_from_db()
    response = client.post(
        reverse("papers:part", args=[paper.pk, "appendix", renamed.pk]),
        {"version": paper.version, "action": "rename", "name": title[::-1]},
    )
    assert response.status_code == 302
    assert len(latest_reason(paper)) <= REASON_COLUMN
