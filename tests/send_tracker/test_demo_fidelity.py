"""The demo against its sources: quoted wording is verbatim, the seed's rating rounds are the seed's, no
record quotes another area's document, national figures carry their period and source, and the banner and
data-source notes show only where `load_demo` ran.

The documents are the tests' own copies (tests/send_tracker/seed_texts/), not the loader's data.
"""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from actions.models import Action, ActionUpdate, Measure, MeasureValue, Plan, Priority
from demo import sources
from demo.models import DemoDataset, DemoSource
from inspections.models import Assessment, Criterion, Finding, Framework, Rating, Review
from reports.models import CommitteePaper

SEEDS = Path(__file__).parent / "seed_texts"
DOCUMENT_FILES = {
    "thurrock-2017": "thurrock-2017-peer-review-committee-report.txt",
    "thurrock-2019": "thurrock-2019-wsoa-committee-report.txt",
    "thurrock-strategy": "thurrock-send-strategy-2020-23.txt",
    "sunderland-2018": "sunderland-2018-send-inspection-rag-update.txt",
}
# Words that name a real area (or a body only one of them has): a record may name only its own document's.
AREA_WORDS = {
    "Thurrock": ("Thurrock", "Grays", "Essex", "CaPa"),
    "Sunderland": ("Sunderland", "Together for Children"),
}
AREA_OF = {"thurrock-2017": "Thurrock", "thurrock-2019": "Thurrock", "thurrock-strategy": "Thurrock"}
AREA_OF["sunderland-2018"] = "Sunderland"

# The text fields a record of each model quotes.
QUOTED_FIELDS = {
    Review: ("summary", "focus_question", "outcome_detail"),
    Finding: ("text", "theme"),
    Criterion: ("wording",),
    Rating: ("commentary", "next_steps"),
    Assessment: ("label",),
    Plan: ("summary", "title"),
    Priority: ("title", "description"),
    Action: ("description",),
}


def normalise(text: str) -> str:
    """The seed as words: no markup (HTML tags, Markdown emphasis/headings), one space between words."""
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("**", "").replace("#", "")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    return {key: normalise((SEEDS / name).read_text()) for key, name in DOCUMENT_FILES.items()}


def passages(value: str) -> list[str]:
    """Split a field into the passages it quotes: lines and paragraphs, without their bullet marks."""
    found = []
    for line in value.splitlines():
        line = re.sub(r"^\s*-\s*", "", line).strip()
        if line:
            found.append(normalise(line))
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module's read-only checks; roll it back after the last."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--force", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def sourced(model) -> list[tuple[object, DemoSource]]:
    """Every record of `model` with its DemoSource (None when it has none)."""
    content_type = ContentType.objects.get_for_model(model)
    rows = {row.object_id: row for row in DemoSource.objects.filter(content_type=content_type)}
    return [(record, rows.get(record.pk)) for record in model.objects.all()]


def record_text(record) -> str:
    fields = next((f for model, f in QUOTED_FIELDS.items() if isinstance(record, model)), ())
    return "\n".join(str(getattr(record, name) or "") for name in fields)


@pytest.mark.usefixtures("demo")
class TestEveryRecordNamesItsSource:
    @pytest.mark.parametrize(
        "model",
        [Review, Finding, Criterion, Assessment, Rating, Plan, Priority, Action, ActionUpdate, Measure],
    )
    def test_every_demo_record_has_a_source_or_is_marked_illustrative(self, model):
        missing = [str(record) for record, source in sourced(model) if source is None]
        assert not missing

    def test_every_cited_document_is_one_of_the_seeds_with_a_section(self):
        cited = DemoSource.objects.exclude(document="")
        assert set(cited.values_list("document", flat=True)) == set(DOCUMENT_FILES)
        assert not cited.filter(section="").exists()

    def test_quoted_wording_is_word_for_word_the_documents(self, seed_texts):
        checked = Counter()
        for model in QUOTED_FIELDS:
            for record, source in sourced(model):
                if source is None or source.illustrative:
                    continue
                # A plan's or strategy's title may add what it is ("delivery plan"); its summary is quoted.
                fields = [f for f in QUOTED_FIELDS[model] if not (model is Plan and f == "title")]
                for name in fields:
                    for passage in passages(str(getattr(record, name) or "")):
                        assert passage in seed_texts[source.document], (record, name, passage)
                        checked[source.document] += 1
        # Every document is actually quoted (the check cannot pass by checking nothing).
        assert all(checked[document] >= 3 for document in DOCUMENT_FILES), checked

    def test_the_published_2019_paper_quotes_its_report_word_for_word(self, seed_texts):
        paper = CommitteePaper.objects.get(title="SEND Inspection Outcome – Written Statement of Action")
        text = seed_texts["thurrock-2019"]
        parts = [paper.executive_summary, *paper.recommendations.values_list("text", flat=True)]
        parts += [
            *paper.sections.values_list("body", flat=True),
            *paper.implications.values_list("body", flat=True),
        ]
        quoted = [passage for part in parts for passage in passages(part)]
        assert len(quoted) > 10
        # The seed prints "12<sup>th</sup> August"; normalising drops the tag, the paper writes "12th".
        assert [passage for passage in quoted if passage not in text] == []

    def test_no_record_quotes_or_names_another_areas_document(self):
        offenders = []
        for model in QUOTED_FIELDS:
            for record, source in sourced(model):
                own = AREA_OF.get(source.document) if source and source.document else None
                text = record_text(record)
                for area, words in AREA_WORDS.items():
                    if area != own and any(word in text for word in words):
                        offenders.append((str(record), area))
        assert offenders == []

    def test_generated_narratives_name_no_real_area(self):
        for update in ActionUpdate.objects.all():
            text = f"{update.narrative} {update.rag_reason} {update.recovery_plan}"
            assert not any(word in text for words in AREA_WORDS.values() for word in words), update

    def test_the_demo_area_and_its_partners_are_fictional(self):
        from actions.models import Organisation

        names = " ".join(Organisation.objects.values_list("name", flat=True))
        assert not any(word in names for words in AREA_WORDS.values() for word in words)
        assert DemoDataset.objects.get().area_name == "Demo local area"


def seed_ratings(text: str) -> dict[str, dict[str, str]]:
    """The ratings the seed's section 4 gives, by round (its table's columns) and criterion code."""
    section = text[text.index("4. Progress to date") : text.index("5 Recommendation")]
    # Where each heading of section 4 puts a criterion: (Feb 18, Mar 18); None where the seed is silent.
    headings = {
        "4.1 Reds": (None, "R"),
        "4.2 Reds – turned to amber": ("R", "A"),
        "4.3 Amber Rating": (None, "A"),
        "4.4 Green rating": (None, "G"),
    }
    starts = sorted((section.index(heading), heading) for heading in headings)
    ratings: dict[str, dict[str, str]] = {"Feb 18": {}, "Mar 18": {}}
    for (start, heading), (end, _next) in zip(starts, [*starts[1:], (len(section), "")], strict=True):
        for code in re.findall(r"\b([ABC]\d{1,2})\.? [A-Z]", section[start:end]):
            for label, rag in zip(("Feb 18", "Mar 18"), headings[heading], strict=True):
                if rag:
                    ratings[label][code] = rag
    return ratings


@pytest.mark.usefixtures("demo")
class TestTheSeedsRatingRounds:
    def test_the_seeds_table_has_the_rounds_the_demo_starts_with(self):
        raw = (SEEDS / DOCUMENT_FILES["sunderland-2018"]).read_text()
        columns = re.search(r"^Area\t(.+)$", raw, re.MULTILINE).group(1).split("\t")
        framework = Framework.objects.get(name="Local area SEND inspection framework", year=2016)
        rounds = list(Assessment.objects.filter(framework=framework).order_by("assessed_on"))
        assert [r.label for r in rounds[: len(columns)]] == columns == ["Feb 18", "Mar 18"]
        # Illustrative rounds only after the seed's, and labelled so.
        assert all("illustrative" in r.label for r in rounds[len(columns) :])
        assert len(rounds) > len(columns)

    def test_each_seed_round_has_exactly_the_ratings_the_seed_gives(self):
        text = normalise((SEEDS / DOCUMENT_FILES["sunderland-2018"]).read_text())
        expected = seed_ratings(text)
        assert expected["Feb 18"] == {"A4": "R", "A10": "R", "B2": "R"}  # the parse itself, worked by hand
        assert len(expected["Mar 18"]) == 8
        for label, ratings in expected.items():
            assessment = Assessment.objects.get(label=label)
            assert dict(assessment.ratings.values_list("criterion__code", "rag")) == ratings, label

    def test_the_seeds_ratings_cite_their_section_and_the_illustrative_round_says_so(self):
        for record, source in sourced(Rating):
            if "illustrative" in record.assessment.label:
                assert source.illustrative and not source.document
            else:
                assert (source.document, source.illustrative) == ("sunderland-2018", False)
                assert source.section.startswith("section 4.")


@pytest.mark.usefixtures("demo")
class TestNationalComparators:
    def test_each_national_figure_has_its_period_and_source(self):
        national = MeasureValue.objects.exclude(national=None)
        assert national.exists()
        for value in national:
            assert value.national_period and value.national_source, value
            # The period's year is the year the row stands at, not a later month's.
            assert value.national_period.startswith(str(value.period_end.year)), value

    def test_no_national_figure_is_repeated_on_later_months(self):
        for measure in Measure.objects.all():
            periods = [v.national_period for v in measure.values.exclude(national=None)]
            assert len(periods) == len(set(periods)), measure
            assert not measure.values.exclude(value=None).exclude(national=None).exists(), measure

    def test_national_only_rows_have_no_local_value(self):
        rows = MeasureValue.objects.filter(value=None)
        assert rows.count() == 2
        assert all(row.national is not None for row in rows)


def _plan(kind):
    return Plan.objects.get(kind=kind)


@pytest.mark.usefixtures("demo")
class TestPagesSayWhereTheContentComesFrom:
    @pytest.fixture(autouse=True)
    def _flag_from_the_database(self):
        sources.forget()  # read the flag the loader wrote, as a fresh process would

    def page(self, client, url) -> str:
        client.force_login(User.objects.get(username="lead"))
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    def test_every_page_shows_the_demonstration_data_banner(self, client):
        body = self.page(client, reverse("actions:list"))
        assert "Demonstration data" in body
        assert "Demo local area is a fictional local area" in body

    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            (Review.Kind.PEER_REVIEW, "Source: Thurrock Council, report to the Children&#x27;s Services"),
            (Review.Kind.INSPECTION, "first of the month"),
            (Review.Kind.REVISIT, "Illustrative: no seed document reports a revisit"),
        ],
    )
    def test_review_pages_carry_a_data_source_note(self, client, kind, expected):
        review = Review.objects.get(kind=kind)
        body = self.page(client, reverse("inspections:review", args=[review.pk]))
        assert "Data source" in body and expected in body

    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            (Plan.Kind.PEER_REVIEW, "actions, leads, dates and updates here are illustrative"),
            (Plan.Kind.WSOA, "does not include the WSOA&#x27;s actions"),
            (Plan.Kind.STRATEGY, "Local Area SEND Strategy 2020-23"),
            (Plan.Kind.IMPROVEMENT, "Illustrative: this plan"),
        ],
    )
    def test_plan_pages_carry_a_data_source_note(self, client, kind, expected):
        plan = _plan(kind)
        for url in (reverse("plans:detail", args=[plan.pk]), reverse("reports:plan", args=[plan.pk])):
            body = self.page(client, url)
            assert "Data source" in body and expected in body, url

    def test_the_framework_and_matrix_pages_carry_a_data_source_note(self, client):
        framework = Framework.objects.get(name="Local area SEND inspection framework", year=2016)
        for url in (reverse("inspections:framework", args=[framework.pk]), reverse("inspections:matrix")):
            body = self.page(client, url)
            assert "this commentary is Sunderland&#x27;s" in body, url
            assert "Jun 18 (illustrative)" in body, url


@pytest.mark.django_db
class TestTheBannerOnlyWhereTheDemoWasLoaded:
    def test_a_database_without_the_demo_shows_no_banner_nor_notes(self, client, plan_lead):
        sources.forget()
        client.force_login(plan_lead)
        assert "Demonstration data" not in client.get(reverse("actions:list")).content.decode()
        assert not DemoDataset.objects.exists()

    def test_load_demo_switches_the_banner_on_in_the_database(self, client):
        call_command("load_demo", "--force", stdout=StringIO())
        sources.forget()
        client.force_login(User.objects.get(username="officer"))
        assert "Demonstration data" in client.get(reverse("actions:list")).content.decode()
        # Removing the row (as a production database never has it) takes the banner away.
        DemoDataset.objects.all().delete()
        sources.forget()
        assert "Demonstration data" not in client.get(reverse("actions:list")).content.decode()

    def test_the_flag_costs_a_page_no_query_once_read(self, client, plan_lead):
        sources.forget()
        client.force_login(plan_lead)
        client.get(reverse("actions:list"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as warm:
            client.get(reverse("actions:list"))
        assert not any("demo_demodataset" in query["sql"] for query in warm.captured_queries)
        sources.forget()
        with CaptureQueriesContext(connection) as cold:
            client.get(reverse("actions:list"))
        assert sum("demo_demodataset" in query["sql"] for query in cold.captured_queries) == 1

    def test_a_second_load_keeps_the_as_of_date_of_the_first(self):
        import datetime

        import time_machine
        from django.utils import timezone

        call_command("load_demo", "--force", stdout=StringIO())
        first = DemoDataset.objects.get().as_of
        with time_machine.travel(timezone.now() + datetime.timedelta(days=30), tick=False):
            call_command("load_demo", "--force", stdout=StringIO())
        assert DemoDataset.objects.get().as_of == first
