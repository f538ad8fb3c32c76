"""Agreeing a round while its ratings are being saved: no rating changes after the round is agreed."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from inspections.models import Rating
from tests.factories import make_user
from tests.inspections.helpers import add_round, make_framework
from tests.racing import postgresql_only, race


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_rating_saved_while_the_round_is_agreed_lands_before_the_agreement_or_is_refused(
    transactional_db,
):
    signed_in = Client()
    signed_in.force_login(make_user("racing_rater", "Plan lead"))
    framework = make_framework(sections=2, per_section=4)
    codes = list(framework.criteria.values_list("code", flat=True))
    late = []
    for attempt in range(4):  # each attempt is one race: a round, all its ratings saved as it is agreed
        day = datetime.date(2018, 1, 31) + datetime.timedelta(days=31 * attempt)
        assessment = add_round(framework, f"Round {attempt}", day, dict.fromkeys(codes, "R"))
        posts = [
            (
                reverse(
                    "inspections:rate", kwargs={"assessment": assessment.pk, "criterion": r.criterion_id}
                ),
                {
                    f"c{r.criterion_id}-version": str(r.version),
                    f"c{r.criterion_id}-rag": "G",
                    f"c{r.criterion_id}-commentary": "Improved.",
                    f"c{r.criterion_id}-next_steps": "",
                },
            )
            for r in assessment.ratings.all()
        ]
        posts.append((reverse("inspections:agree", kwargs={"assessment": assessment.pk}), {}))

        statuses = race(signed_in, posts)

        assert 500 not in statuses and len(statuses) == len(posts)
        assessment.refresh_from_db()
        assert assessment.agreed_at is not None
        late += [
            (attempt, rating.criterion.code)
            for rating in Rating.objects.filter(assessment=assessment).select_related("criterion")
            if rating.rated_at > assessment.agreed_at
        ]
    assert late == []
