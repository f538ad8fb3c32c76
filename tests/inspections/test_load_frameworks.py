"""`manage.py load_frameworks`: the published frameworks as data, loadable in production, safe to rerun."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inspections.models import Criterion, Framework, Review

pytestmark = pytest.mark.django_db


def load(*args) -> str:
    out = StringIO()
    call_command("load_frameworks", *args, stdout=out)
    return out.getvalue()


def history_rows() -> int:
    return Framework.history.count() + Criterion.history.count()


def test_it_loads_the_2016_framework_with_every_criterion_of_the_seed():
    output = load()

    framework = Framework.objects.get(name="Local area SEND inspection framework", year=2016)
    codes = list(framework.criteria.order_by("section__order", "order").values_list("code", flat=True))
    assert codes[:3] == ["A1", "A2", "A3"] and len(codes) == 44
    assert codes[codes.index("C11") + 1] == "C11a"
    assert framework.criteria.get(code="A9").wording == (
        "establishing a baseline for setting targets for progress and improvement towards meeting education, "
        "health and social care support or therapy needs"
    )
    assert list(framework.sections.values_list("code", flat=True)) == ["Q1", "Q2", "Q3"]
    assert framework.allows_outcome(Review.Outcome.WSOA)
    assert not framework.allows_outcome(Review.Outcome.SYSTEMIC)
    assert "Local area SEND inspection framework (2016): 3 sections, 44 criteria" in output


def test_the_2023_framework_has_its_three_outcomes_and_no_unverified_criteria():
    load()

    framework = Framework.objects.get(name="Area SEND inspection framework", year=2023)
    assert framework.outcomes == ["positive", "inconsistent", "systemic"]
    assert "widespread and/or systemic failings leading to significant concerns" in framework.description
    assert not framework.criteria.exists()
    assert not framework.sections.exists()
    # The source names the document, its URL, the section and the version, and says what was not verified.
    assert framework.source.startswith(
        "Area SEND inspections: framework and handbook (Ofsted and the Care Quality Commission (CQC)), "
        "Updated 6 June 2025"
    )
    assert (
        "URL: https://www.gov.uk/government/publications/area-send-framework-and-handbook/"
        "area-send-inspections-framework-and-handbook"
    ) in framework.source
    assert "Section: Part 2, the area SEND inspection handbook: the evaluation criteria" in framework.source
    assert (
        "sets out the evaluation criteria that inspectors use to reach inspection outcomes"
        in framework.source
    )
    not_verified = framework.source.split("Not verified")[1]
    assert "The evaluation criteria themselves" in not_verified and "none are loaded" in not_verified


def test_a_structured_source_without_its_url_is_refused(tmp_path):
    path = tmp_path / "no_url.json"
    path.write_text(
        json.dumps(
            {
                "name": "Framework without a URL",
                "year": 2023,
                "source": {"document": "Handbook", "section": "Criteria", "version": "June 2025"},
                "sections": [],
            }
        )
    )

    with pytest.raises(CommandError, match=r"the source is missing \['url'\]"):
        load(str(path))
    assert not Framework.objects.filter(name="Framework without a URL").exists()


def test_running_it_again_writes_nothing_and_restores_edited_wording():
    load()
    criterion = Criterion.objects.get(framework__year=2016, code="B5")
    criterion.wording = "edited by hand"
    criterion.save()
    before = history_rows()

    load()

    criterion.refresh_from_db()
    assert criterion.wording == "the local offer, including its development, accessibility and currency"
    assert history_rows() == before + 1  # only the correction

    load()
    assert history_rows() == before + 1


def test_a_file_with_a_repeated_criterion_code_is_refused(tmp_path):
    path = tmp_path / "ours.json"
    path.write_text(
        json.dumps(
            {
                "name": "Ours",
                "year": 2024,
                "sections": [
                    {"code": "1", "title": "One", "criteria": [{"code": "1.1", "wording": "a"}] * 2}
                ],
            }
        )
    )

    with pytest.raises(CommandError, match=r"unique in a framework: \['1.1'\]"):
        load(str(path))
    assert not Framework.objects.filter(name="Ours").exists()
