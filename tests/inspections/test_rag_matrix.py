"""The RAG matrix: rounds as columns with colour, word and movement; the generated summary; filters."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from inspections.matrix import build_matrix
from inspections.models import Framework
from tests.inspections.helpers import add_round, make_fourteen_monthly_rounds, make_framework

JAN, FEB, MAR = datetime.date(2018, 1, 31), datetime.date(2018, 2, 28), datetime.date(2018, 3, 31)


@pytest.fixture(scope="class")
def seed(django_db_setup, django_db_blocker):
    """Load the demo (the Sunderland seed's Feb and Mar 18 rounds, then Jun 18, illustrative) once."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--force", stdout=StringIO())
        yield Framework.objects.get(name="Local area SEND inspection framework", year=2016)
        transaction.set_rollback(True)


def codes(rows) -> list[str]:
    return [row.code for row in rows]


class TestTheSummaryOfTheDemo:
    """Worked by hand from the seed's section 4 (Feb and Mar 18) and the demo's illustrative Jun 18 round."""

    def test_the_summary_compares_the_illustrative_round_with_the_seeds_last(self, seed):
        summary = build_matrix(seed).summary
        assert (summary.latest, summary.previous) == ("Jun 18 (illustrative)", "Mar 18")

    def test_red_now_are_the_two_the_seed_left_unrated(self, seed):
        assert codes(build_matrix(seed).summary.red) == ["C6", "C16"]

    def test_a9_red_in_the_seed_turned_amber(self, seed):
        assert codes(build_matrix(seed).summary.red_to_amber) == ["A9"]

    def test_a6_and_a10_amber_in_the_seed_turned_green(self, seed):
        summary = build_matrix(seed).summary
        assert codes(summary.to_green) == ["A6", "A10"]
        assert {"A4", "B2", "C3"} <= set(codes(summary.amber))
        assert {"A14", "A15"} <= set(codes(summary.green))
        assert not summary.worse

    def test_the_seeds_own_round_keeps_its_red_to_amber_moves(self, seed):
        rows = {row.code: row for s in build_matrix(seed).sections for row in s.rows}
        for code in ("A4", "A10", "B2"):
            assert [(c.word, c.movement_word) for c in rows[code].cells][:2] == [
                ("Red", ""),
                ("Amber", "improved from Red"),
            ]
        # A criterion the seed does not rate is blank in its rounds, not invented.
        assert [c.word for c in rows["A1"].cells][:2] != ["Green", "Green"]

    def test_the_page_shows_the_summary_and_each_cell_with_its_word_and_movement(self, seed, client):
        client.force_login(User.objects.get(username="scrutiny"))  # the demo's councillor
        body = client.get(reverse("inspections:matrix")).content.decode()
        assert "Reds – turned to amber (1)" in body
        assert "improved from Red" in body
        assert '<strong class="tag tag--red">Red</strong>' in body
        assert "Feb 18" in body and "Mar 18" in body and "Jun 18 (illustrative)" in body


@pytest.mark.django_db
class TestFilters:
    @pytest.fixture
    def framework(self):
        framework = make_framework(sections=2, per_section=2)
        add_round(framework, "Jan 18", JAN, {"A1": "R", "A2": "A", "B1": "G", "B2": "R"})
        add_round(framework, "Feb 18", FEB, {"A1": "A", "A2": "A", "B1": "A", "B2": "R"})
        return framework

    def test_cells_move_up_and_down_against_the_round_before(self, framework):
        rows = {row.code: row for s in build_matrix(framework).sections for row in s.rows}
        assert [(c.word, c.movement_word) for c in rows["A1"].cells] == [
            ("Red", ""),
            ("Amber", "improved from Red"),
        ]
        assert rows["B1"].current.movement_word == "worse than Green"
        assert rows["A2"].current.movement == "same"

    def test_filter_by_current_rating(self, framework):
        matrix = build_matrix(framework, current="R")
        assert [row.code for s in matrix.sections for row in s.rows] == ["B2"]
        assert (matrix.shown_count, matrix.criterion_count) == (1, 4)

    def test_filter_by_question(self, framework):
        section = framework.sections.get(code="Q2")
        assert [row.code for s in build_matrix(framework, section=section.pk).sections for row in s.rows] == [
            "B1",
            "B2",
        ]

    def test_filter_by_moved_since_a_round(self, framework):
        january = framework.assessments.get(label="Jan 18")
        assert [r.code for s in build_matrix(framework, moved_since=january.pk).sections for r in s.rows] == [
            "A1",
            "B1",
        ]

    def test_filters_come_from_the_query_string(self, framework, client, officer):
        client.force_login(officer)
        response = client.get(reverse("inspections:matrix"), {"framework": framework.pk, "current": "A"})
        body = response.content.decode()
        assert "Showing 3 of 4 criteria." in body
        assert "<strong>B2</strong> Criterion 2</th>" not in body
        assert "<strong>A1</strong> Criterion 1</th>" in body

    def test_a_bad_filter_value_is_ignored(self, framework, client, officer):
        client.force_login(officer)
        response = client.get(
            reverse("inspections:matrix"), {"framework": framework.pk, "current": "X", "section": "x"}
        )
        assert "Showing 4 of 4 criteria." in response.content.decode()


@pytest.mark.django_db
class TestTheLatestRounds:
    """Fourteen monthly rounds: the page shows the latest twelve, and the earlier ones a window at a time."""

    @pytest.fixture
    def framework(self):
        return make_fourteen_monthly_rounds()

    def test_the_last_twelve_are_the_columns_and_movement_is_read_from_the_round_before(self, framework):
        matrix = build_matrix(framework, last=12)
        assert [column.label for column in matrix.columns] == [f"R{n}" for n in range(3, 15)]
        assert (matrix.hidden_rounds, len(matrix.rounds)) == (2, 14)
        a1 = matrix.sections[0].rows[0]
        assert len(a1.cells) == 12
        # R3 is the first column shown; its movement compares it with R2, which is not shown.
        assert (a1.cells[0].word, a1.cells[0].movement_word) == ("Amber", "improved from Red")
        assert (matrix.summary.latest, matrix.summary.previous) == ("R14", "R13")

    def test_moved_since_a_round_older_than_the_columns_still_compares_with_it(self, framework):
        first = framework.assessments.get(label="R1")
        matrix = build_matrix(framework, moved_since=first.pk, last=12)
        assert [row.code for s in matrix.sections for row in s.rows] == ["A1", "A2"]
        assert len(matrix.columns) == 12 and len(matrix.sections[0].rows[0].cells) == 12

    def test_an_earlier_window_shows_its_rounds_and_still_sums_up_the_latest(self, framework):
        matrix = build_matrix(framework, last=12, window=2)
        assert [column.label for column in matrix.columns] == ["R1", "R2"]
        assert (matrix.earlier_rounds, matrix.later_rounds, matrix.hidden_rounds) == (0, 12, 12)
        a1 = matrix.sections[0].rows[0]
        assert [cell.word for cell in a1.cells] == ["Red", "Red"]
        # The summary and the current-rating filter read the latest round, not the window's.
        assert (matrix.summary.latest, matrix.summary.previous) == ("R14", "R13")
        assert [row.code for row in matrix.summary.amber] == ["A1", "A2"] and matrix.summary.red == []
        # A1 is red in both rounds shown, amber in the latest: not current red.
        assert build_matrix(framework, current="R", last=12, window=2).sections == []

    def test_the_page_shows_twelve_rounds_and_links_to_the_earlier_ones(self, framework, client, officer):
        client.force_login(officer)
        url = reverse("inspections:matrix")
        body = client.get(url, {"framework": framework.pk}).content.decode()
        assert "in rounds 3 to 14 of 14." in body
        assert ">R3</a>" in body and ">R2</a>" not in body
        assert f'href="?framework={framework.pk}&amp;rounds=2">Earlier rounds</a>' in body
        assert "Later rounds" not in body
        # Every round can still be chosen to compare with, and each window to show.
        assert '<option value="{}">R1</option>'.format(framework.assessments.get(label="R1").pk) in body
        assert (
            '<option value="" selected>R3 to R14 (the latest)</option><option value="2">R1 to R2</option>'
            in body
        )
        earlier = client.get(url, {"framework": framework.pk, "rounds": "2"}).content.decode()
        assert ">R1</a>" in earlier and ">R2</a>" in earlier and ">R3</a>" not in earlier
        assert "in rounds 1 to 2 of 14." in earlier and "Earlier rounds" not in earlier
        assert f'href="?framework={framework.pk}&amp;rounds=1">Later rounds</a>' in earlier
        # A window past the oldest, or not a number, shows the oldest or the latest.
        assert ">R1</a>" in client.get(url, {"framework": framework.pk, "rounds": "9"}).content.decode()
        assert ">R14</a>" in client.get(url, {"framework": framework.pk, "rounds": "all"}).content.decode()


@pytest.mark.django_db
def test_the_matrix_page_takes_the_same_queries_whatever_the_criteria_and_rounds(
    client, scrutiny_member, django_assert_max_num_queries
):
    counts = []
    for per_section, rounds in ((2, 2), (10, 14)):  # fourteen rounds: two windows
        framework = make_framework(sections=3, per_section=per_section)
        for month in range(rounds):
            rags = {c.code: "RAG"[(c.pk + month) % 3] for c in framework.criteria.all()}
            add_round(framework, f"M{month}", datetime.date(2018 + month // 12, month % 12 + 1, 1), rags)
        client.force_login(scrutiny_member)
        # session, user, groups and permissions (one query), frameworks with their last round, the
        # framework's rounds, criteria with sections, ratings, sections for the filter, the user's groups
        for window in ("", "2"):
            with django_assert_max_num_queries(8) as queries:
                response = client.get(
                    reverse("inspections:matrix"), {"framework": framework.pk, "rounds": window}
                )
            assert response.status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]
