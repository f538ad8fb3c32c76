"""Rating rounds: open a round pre-filled from the last, rate each criterion, refuse stale saves, agree it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from inspections.models import Assessment, IncompleteRoundError, Rating
from tests.inspections.helpers import add_round, make_framework

pytestmark = pytest.mark.django_db

FEB = datetime.date(2018, 2, 28)


@pytest.fixture
def framework():
    return make_framework()


@pytest.fixture
def feb(framework, plan_lead):
    assessment = add_round(framework, "Feb 18", FEB, {"A1": "R", "A2": "A", "A3": "G", "B1": "R"}, plan_lead)
    assessment.ratings.filter(criterion__code="A1").update(
        commentary="No baseline yet.", next_steps="Agree one."
    )
    return assessment


def rate_url(assessment, code):
    criterion = assessment.framework.criteria.get(code=code)
    return reverse(
        "inspections:rate", kwargs={"assessment": assessment.pk, "criterion": criterion.pk}
    ), criterion


def rating_data(criterion, version, rag="A", commentary="Baseline agreed with schools.", next_steps=""):
    prefix = f"c{criterion.pk}"
    return {
        f"{prefix}-version": str(version),
        f"{prefix}-rag": rag,
        f"{prefix}-commentary": commentary,
        f"{prefix}-next_steps": next_steps,
    }


def test_a_new_round_starts_pre_filled_from_the_previous_one(client, plan_lead, framework, feb):
    client.force_login(plan_lead)

    response = client.post(
        reverse("inspections:assessment-new", kwargs={"framework": framework.pk}),
        {"label": "Mar 18", "assessed_on": "2018-03-31"},
    )

    march = Assessment.objects.get(framework=framework, label="Mar 18")
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:assessment", kwargs={"assessment": march.pk})
    copied = {
        r.criterion.code: (r.rag, r.commentary, r.next_steps)
        for r in march.ratings.select_related("criterion")
    }
    assert copied == {
        "A1": ("R", "No baseline yet.", "Agree one."),
        "A2": ("A", "", ""),
        "A3": ("G", "", ""),
        "B1": ("R", "", ""),
    }
    assert all(r.rated_by == plan_lead for r in march.ratings.all())
    assert feb.ratings.count() == 4  # the previous round is untouched


def test_a_round_on_a_date_already_taken_is_refused(client, plan_lead, framework, feb):
    client.force_login(plan_lead)
    url = reverse("inspections:assessment-new", kwargs={"framework": framework.pk})

    response = client.post(url, {"label": "Feb 18 again", "assessed_on": "2018-02-28"})

    assert response.status_code == 422
    assert "There is already a round on this date." in response.content.decode()
    assert framework.assessments.count() == 1


def test_plan_lead_rates_a_criterion_and_the_change_is_recorded_with_who(client, plan_lead, feb):
    client.force_login(plan_lead)
    url, criterion = rate_url(feb, "A1")

    response = client.post(url, rating_data(criterion, version=1, rag="A", next_steps="Share the protocol."))

    assert response.status_code == 302
    rating = feb.ratings.get(criterion=criterion)
    assert (rating.rag, rating.commentary, rating.next_steps, rating.version) == (
        "A",
        "Baseline agreed with schools.",
        "Share the protocol.",
        2,
    )
    latest = rating.history.first()
    assert latest.history_user == plan_lead
    assert latest.rag == "A"
    assert rating.history.count() == 2  # created, then changed


def test_an_htmx_save_returns_the_criterion_fragment_with_a_message(client, plan_lead, feb):
    client.force_login(plan_lead)
    url, criterion = rate_url(feb, "A2")

    response = client.post(url, rating_data(criterion, version=1, rag="G"), headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<div class="rating" id="criterion-{criterion.pk}">')
    assert "A2 saved: Green." in body
    assert f'name="c{criterion.pk}-version" value="2"' in body
    assert "announce" in response["HX-Trigger"]


def test_a_stale_rating_is_refused_and_nothing_is_overwritten(client, plan_lead, administrator, feb):
    url, criterion = rate_url(feb, "A1")
    client.force_login(administrator)
    client.post(url, rating_data(criterion, version=1, rag="G", commentary="Admin's view."))
    client.force_login(plan_lead)

    response = client.post(url, rating_data(criterion, version=1, rag="R", commentary="Lead's view."))

    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved A1" in body
    assert "Lead&#x27;s view." in body  # what the lead typed is kept
    assert body.count("Someone else saved") == 1  # on A1 only, not on every criterion
    assert 'Rated</dt><dd class="summary-list__value">4 of 6 criteria' in body
    rating = feb.ratings.get(criterion=criterion)
    assert (rating.rag, rating.commentary, rating.version) == ("G", "Admin's view.", 2)


def test_the_first_rating_of_an_unrated_criterion_is_created_once(client, plan_lead, administrator, feb):
    url, criterion = rate_url(feb, "B2")  # not rated in February
    client.force_login(plan_lead)
    assert client.post(url, rating_data(criterion, version=0, rag="A")).status_code == 302
    client.force_login(administrator)

    response = client.post(url, rating_data(criterion, version=0, rag="R"))

    assert response.status_code == 409
    assert feb.ratings.get(criterion=criterion).rag == "A"


def test_a_rating_without_a_colour_is_refused_with_a_message(client, plan_lead, feb):
    client.force_login(plan_lead)
    url, criterion = rate_url(feb, "A1")

    response = client.post(url, rating_data(criterion, version=1, rag="purple"))

    assert response.status_code == 422
    assert "Choose the rating from the list" in response.content.decode()
    assert feb.ratings.get(criterion=criterion).rag == "R"


def rate_the_rest(assessment, user):
    """Rate every criterion the round has not rated yet (amber), so it can be agreed."""
    for criterion in assessment.framework.criteria.exclude(ratings__assessment=assessment):
        Rating.objects.create(assessment=assessment, criterion=criterion, rag="A", rated_by=user)


def test_agreeing_a_round_makes_it_read_only(client, plan_lead, feb):
    rate_the_rest(feb, plan_lead)
    client.force_login(plan_lead)
    agree = reverse("inspections:agree", kwargs={"assessment": feb.pk})
    page = reverse("inspections:assessment", kwargs={"assessment": feb.pk})

    assert client.post(agree)["Location"] == page
    feb.refresh_from_db()
    assert feb.agreed_by == plan_lead and feb.agreed_at is not None

    body = client.get(page).content.decode()
    assert "read-only" in body
    assert "<form" not in body.split('id="main-content"')[1]
    url, criterion = rate_url(feb, "A1")
    response = client.post(url, rating_data(criterion, version=1, rag="G"), follow=True)
    assert "This round has been agreed and can no longer be changed." in response.content.decode()
    assert feb.ratings.get(criterion=criterion).rag == "R"
    response = client.post(agree, follow=True)
    assert "This round has already been agreed." in response.content.decode()


def test_the_agree_button_waits_until_every_criterion_is_rated(client, plan_lead, feb):
    client.force_login(plan_lead)
    page = reverse("inspections:assessment", kwargs={"assessment": feb.pk})

    body = client.get(page).content.decode()

    assert "Rate every criterion before the round can be agreed (4 of 6 rated)." in body
    assert reverse("inspections:agree", kwargs={"assessment": feb.pk}) not in body


def test_agreeing_an_incomplete_round_is_refused_with_the_unrated_criteria(client, plan_lead, feb):
    client.force_login(plan_lead)
    agree = reverse("inspections:agree", kwargs={"assessment": feb.pk})

    response = client.post(agree, follow=True)

    page = reverse("inspections:assessment", kwargs={"assessment": feb.pk})
    assert response.redirect_chain == [(page, 302)]
    assert "This round cannot be agreed until every criterion is rated. Not rated yet (2): B2, B3." in (
        response.content.decode()
    )
    feb.refresh_from_db()
    assert feb.agreed_at is None and feb.agreed_by is None
    assert feb.history.count() == 1  # only its creation: the refused agreement wrote nothing


def test_the_model_refuses_to_agree_an_incomplete_round_whoever_calls_it(plan_lead, feb):
    with pytest.raises(IncompleteRoundError) as refused:
        feb.agree(author=plan_lead)

    assert refused.value.unrated == ["B2", "B3"]
    assert "B2, B3" in str(refused.value)
    feb.refresh_from_db()
    assert not feb.is_agreed


def test_a_round_of_a_framework_without_criteria_cannot_be_agreed(plan_lead):
    empty = make_framework(sections=1, per_section=0)
    assessment = add_round(empty, "Feb 18", FEB, {}, plan_lead)

    with pytest.raises(IncompleteRoundError, match="no criteria to rate"):
        assessment.agree(author=plan_lead)


def test_a_fully_rated_round_is_agreed_by_the_model(plan_lead, feb):
    rate_the_rest(feb, plan_lead)

    feb.agree(author=plan_lead)

    feb.refresh_from_db()
    assert feb.is_agreed and feb.agreed_by == plan_lead


def test_scrutiny_member_reads_a_round_but_cannot_rate_it(client, scrutiny_member, feb):
    client.force_login(scrutiny_member)
    url, criterion = rate_url(feb, "A1")

    page = client.get(reverse("inspections:assessment", kwargs={"assessment": feb.pk}))
    response = client.post(url, rating_data(criterion, version=1, rag="G"))

    assert page.status_code == 200
    assert "<form" not in page.content.decode().split('id="main-content"')[1]
    assert response.status_code == 403
    assert feb.ratings.get(criterion=criterion).rag == "R"


def test_a_criterion_of_another_framework_cannot_be_rated_in_this_round(client, plan_lead, feb):
    client.force_login(plan_lead)
    other = make_framework().criteria.first()
    url = reverse("inspections:rate", kwargs={"assessment": feb.pk, "criterion": other.pk})

    response = client.post(url, rating_data(other, version=0, rag="G"))

    assert response.status_code == 404
    assert not Rating.objects.filter(criterion=other).exists()


def test_the_rating_page_takes_the_same_queries_whatever_its_size(
    client, plan_lead, django_assert_max_num_queries
):
    counts = []
    for per_section in (3, 12):
        framework = make_framework(sections=3, per_section=per_section)
        rags = {c.code: "A" for c in framework.criteria.all()}
        assessment = add_round(framework, "Feb 18", FEB, rags, plan_lead)
        client.force_login(plan_lead)
        # session, user, groups and permissions (one query), assessment with framework and agreer, ratings
        # with raters, criteria with sections
        with django_assert_max_num_queries(6) as queries:
            response = client.get(reverse("inspections:assessment", kwargs={"assessment": assessment.pk}))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
