"""While a correction is open, readers see only published titles: the list, the paper page, each version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import CommitteePaper
from tests.factories import make_action, make_paper

pytestmark = pytest.mark.django_db
PUBLISHED = "SEND written statement of action: progress"
DRAFTED = "Unpublished draft title of the correction"


@pytest.fixture
def corrected(officer, plan_lead) -> CommitteePaper:
    """A paper published as version 1, then version 2 under a new title, then a correction opened and
    retitled (not published)."""
    paper = make_paper(make_action(leads=[officer]).plan, title="First published title")
    paper.publish(by=plan_lead, version=paper.version)
    paper.open_correction(by=plan_lead, version=paper.version, reason="Retitled.")
    paper.edit(by=plan_lead, version=paper.version, title=PUBLISHED)
    paper.publish(by=plan_lead, version=paper.version)
    paper.open_correction(by=plan_lead, version=paper.version, reason="Figures.")
    paper.edit(by=plan_lead, version=paper.version, title=DRAFTED)
    return paper


@pytest.mark.parametrize("persona", ["officer", "scrutiny_member"])
def test_readers_never_see_an_unpublished_correction_title(client, request, persona, corrected):
    client.force_login(request.getfixturevalue(persona))
    pages = {
        "list": client.get(reverse("papers:list")),
        "paper": client.get(reverse("papers:detail", args=[corrected.pk])),
        "version 1": client.get(reverse("papers:version", args=[corrected.pk, 1])),
        "version 2": client.get(reverse("papers:version", args=[corrected.pk, 2])),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert DRAFTED not in response.content.decode(), name
    assert PUBLISHED in pages["list"].content.decode()
    assert PUBLISHED in pages["paper"].content.decode()
    # A version page shows its own snapshot's title, everywhere on the page.
    first = pages["version 1"].content.decode()
    assert "First published title" in first
    assert f">{PUBLISHED}</a>" not in first  # not even in the breadcrumb
    assert PUBLISHED in pages["version 2"].content.decode()
    download = client.get(reverse("papers:version-pdf", args=[corrected.pk, 1]))
    assert "first-published-title-v1.pdf" in download["Content-Disposition"]


def test_a_plan_lead_sees_the_draft_title_of_the_correction(client, plan_lead, corrected):
    client.force_login(plan_lead)
    assert DRAFTED in client.get(reverse("papers:list")).content.decode()
    assert DRAFTED in client.get(reverse("papers:detail", args=[corrected.pk])).content.decode()


def test_a_plan_lead_sees_each_published_version_under_its_own_title(client, plan_lead, corrected):
    client.force_login(plan_lead)
    page = client.get(reverse("papers:detail", args=[corrected.pk])).content.decode()
    versions = page[page.index('id="versions-heading"') :]
    assert "First published title" in versions
    assert PUBLISHED in versions
    assert DRAFTED not in versions
    row = client.get(reverse("papers:list")).content.decode()
    # The list names the paper as published, and says the open correction has a new title.
    assert f">{PUBLISHED}</a>" in row
    assert f"Correction in draft, retitled: {DRAFTED}" in row
