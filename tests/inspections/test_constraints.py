"""The rules the database and the models enforce for reviews, findings, frameworks and ratings."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inspections.models import Assessment, Criterion, Finding, Framework, Rating, Section
from tests.factories import make_finding, make_review

pytestmark = pytest.mark.django_db


def make_framework(name: str = "Local area SEND inspection framework", year: int = 2016) -> Framework:
    return Framework.objects.create(name=name, year=year)


def make_section(framework: Framework | None = None, order: int = 1) -> Section:
    return Section.objects.create(
        framework=framework or make_framework(), code=f"Q{order}", title="How effectively…", order=order
    )


def make_criterion(section: Section | None = None, code: str = "A1", order: int = 1) -> Criterion:
    return Criterion.objects.create(
        section=section or make_section(), code=code, wording="Needs are identified early.", order=order
    )


def make_assessment(
    framework: Framework, assessed_on: datetime.date = datetime.date(2018, 2, 1)
) -> Assessment:
    return Assessment.objects.create(
        framework=framework, label=f"{assessed_on:%b %y}", assessed_on=assessed_on
    )


# Reviews and findings


def test_review_cannot_end_before_it_starts() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_review(start_date=datetime.date(2019, 3, 8), end_date=datetime.date(2019, 3, 4))


def test_review_may_end_the_day_it_starts_or_have_no_end_yet() -> None:
    one_day = make_review(start_date=datetime.date(2019, 3, 4), end_date=datetime.date(2019, 3, 4))
    ongoing = make_review(end_date=None)

    assert one_day.pk and ongoing.pk


def test_finding_reference_is_unique_within_a_review() -> None:
    review = make_review()
    make_finding(review, reference="ASW1")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_finding(review, reference="ASW1")


def test_findings_without_a_reference_may_repeat_in_a_review() -> None:
    review = make_review()
    make_finding(review, reference="", kind=Finding.Kind.STRENGTH)
    make_finding(review, reference="", kind=Finding.Kind.STRENGTH)

    assert review.findings.filter(reference="").count() == 2


def test_the_same_finding_reference_is_allowed_in_another_review() -> None:
    make_finding(make_review(), reference="R1.2")
    make_finding(make_review(), reference="R1.2")

    assert Finding.objects.filter(reference="R1.2").count() == 2


# Frameworks and criteria


def test_criterion_codes_are_unique_within_a_framework_even_across_sections() -> None:
    framework = make_framework()
    make_criterion(make_section(framework, order=1), code="C11", order=11)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_criterion(make_section(framework, order=2), code="C11", order=1)


def test_the_same_criterion_code_is_allowed_in_another_framework() -> None:
    make_criterion(make_section(make_framework(year=2016)), code="C11")
    make_criterion(make_section(make_framework(year=2023)), code="C11")

    assert Criterion.objects.filter(code="C11").count() == 2


def test_criterion_order_is_unique_within_a_section() -> None:
    section = make_section()
    make_criterion(section, code="C10", order=10)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_criterion(section, code="C11", order=10)


def test_section_order_is_unique_within_a_framework() -> None:
    framework = make_framework()
    make_section(framework, order=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(framework=framework, code="Q1b", title="Another", order=1)


def test_a_framework_is_named_once_per_year() -> None:
    make_framework("Area SEND inspection", 2023)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_framework("Area SEND inspection", 2023)


def test_a_framework_is_assessed_once_a_day() -> None:
    framework = make_framework()
    make_assessment(framework)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_assessment(framework)


# Ratings


def test_one_rating_per_criterion_per_assessment() -> None:
    criterion = make_criterion()
    assessment = make_assessment(criterion.section.framework)
    Rating.objects.create(assessment=assessment, criterion=criterion, rag="R")

    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(assessment=assessment, criterion=criterion, rag="A")


def test_a_criterion_is_rated_again_in_the_next_assessment() -> None:
    criterion = make_criterion()
    framework = criterion.section.framework
    Rating.objects.create(
        assessment=make_assessment(framework, datetime.date(2018, 2, 1)), criterion=criterion, rag="R"
    )
    Rating.objects.create(
        assessment=make_assessment(framework, datetime.date(2018, 3, 1)), criterion=criterion, rag="A"
    )

    assert list(criterion.ratings.order_by("assessment__assessed_on").values_list("rag", flat=True)) == [
        "R",
        "A",
    ]


@pytest.mark.parametrize("rag", ["B", "r", "", "X"])
def test_rating_rag_must_be_red_amber_or_green(rag: str) -> None:
    criterion = make_criterion()
    assessment = make_assessment(criterion.section.framework)

    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(assessment=assessment, criterion=criterion, rag=rag)


def test_rating_clean_rejects_a_criterion_from_another_framework() -> None:
    criterion = make_criterion()
    other_framework = make_framework("Area SEND inspection", 2023)
    rating = Rating(assessment=make_assessment(other_framework), criterion=criterion, rag="G")

    with pytest.raises(ValidationError) as raised:
        rating.full_clean()

    assert "criterion" in raised.value.message_dict


def test_rating_clean_accepts_a_criterion_from_the_assessments_framework() -> None:
    criterion = make_criterion()
    rating = Rating(assessment=make_assessment(criterion.section.framework), criterion=criterion, rag="G")

    rating.full_clean()
