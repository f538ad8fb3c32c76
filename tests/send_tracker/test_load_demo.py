from __future__ import annotations

import datetime
import itertools
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from actions.models import Action, ActionUpdate, Measure, Organisation, Plan
from core import roles
from inspections.models import Assessment, Criterion, Finding, Framework, Rag, Rating, Review
from reports.models import Appendix, CommitteePaper, Implication

pytestmark = pytest.mark.django_db

A9_WORDING = (
    "establishing a baseline for setting targets for progress and improvement towards meeting education, "
    "health and social care support or therapy needs"
)
THEMES = [
    "Improve the strategic focus to ensure the priority for improving the outcomes for the SEND cohort is "
    "met",
    "Increase parental understanding and confidence in the system",
    "Improve analysis of data to inform planning and practice",
]

EXPECTED = {
    "send_tracker.User": 14,
    "actions.Organisation": 6,
    "actions.Board": 3,
    "actions.Meeting": 8,
    "actions.RagScale": 2,
    "actions.RagLevel": 9,
    # the peer review, the inspection and its (illustrative) revisit
    "inspections.Review": 3,
    # 7 strengths, 3 good practice, 15 recommendations, 3 areas of significant weakness
    "inspections.Finding": 28,
    "inspections.RevisitJudgement": 3,
    "inspections.Framework": 2,  # 2016 with its criteria; 2023 with its outcomes
    "inspections.Section": 3,
    "inspections.Criterion": 44,
    # the seed's Feb 18 and Mar 18, then one illustrative round
    "inspections.Assessment": 3,
    # the seed's 3 + 8 ratings (only those its section 4 supports), then 44 illustrative
    "inspections.Rating": 55,
    # peer review (closed), WSOA (closed), strategy 2020-23 (closed), the illustrative live plan
    "actions.Plan": 4,
    # 3 peer-review themes, 3 WSOA priorities, 6 strategy priority areas, 3 live-plan priorities
    "actions.Priority": 15,
    "actions.Action": 41,
    # the strategy's actions still open when it closed are withdrawn then (carried forward)
    "actions.ActionUpdate": 118,
    "actions.Measure": 4,
    # 4 x 12 illustrative months, and 2 national-only rows (England 2019 and 2023)
    "actions.MeasureValue": 50,
    # the draft progress update and the published 2019 WSOA paper (one version)
    "reports.CommitteePaper": 2,
    "reports.Appendix": 3,
    "reports.PublishedVersion": 1,
}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Return the row count of every installed model, history tables included."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def demo() -> str:
    return load_demo()


@pytest.fixture(scope="class")
def loaded_once(django_db_setup, django_db_blocker):
    """Load the demo once for a class of read-only tests, and roll it back after the last of them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def framework() -> Framework:
    return Framework.objects.get(name="Local area SEND inspection framework", year=2016)


def seed_round(label: str) -> Assessment:
    return Assessment.objects.get(framework=framework(), label=label)


def rating(assessment: Assessment, code: str) -> Rating:
    return assessment.ratings.get(criterion__code=code)


def test_running_it_twice_changes_no_count_of_any_model(demo):
    before = row_counts()
    load_demo()
    assert row_counts() == before


def test_officer_can_log_in_with_the_demo_password(demo, client):
    # Loaded per test so the password is hashed with the test hasher; Axes needs a request to check.
    assert client.login(request=HttpRequest(), username="officer", password="demo-password")


def test_a_second_run_keeps_a_password_changed_while_trying_the_demo(demo):
    officer = User.objects.get(username="officer")
    officer.set_password("a-new-and-longer-password")
    officer.save()
    load_demo()
    officer.refresh_from_db()
    assert officer.check_password("a-new-and-longer-password")


def test_a_second_run_restores_seed_wording_that_was_edited(demo):
    criterion = Criterion.objects.get(section__framework=framework(), code="A9")
    Criterion.objects.filter(pk=criterion.pk).update(wording="changed")
    load_demo()
    criterion.refresh_from_db()
    assert criterion.wording == A9_WORDING


def test_live_dates_follow_the_day_it_is_loaded():
    with time_machine.travel(datetime.datetime(2031, 5, 20, 12, 0, tzinfo=datetime.UTC), tick=False):
        load_demo()
        officer = User.objects.get(username="officer")
        assert Action.objects.overdue().led_by(officer).exists()
        assert Action.objects.stale().led_by(officer).exists()
        assert not ActionUpdate.objects.filter(created_at__gt=timezone.now()).exists()
        assert Measure.objects.first().values.order_by("period_end").last().period_end == datetime.date(
            2031, 4, 30
        )
    # History keeps its real dates: the documents give the inspection's month, March 2019.
    assert Review.objects.get(kind=Review.Kind.INSPECTION).start_date == datetime.date(2019, 3, 1)


def test_running_it_again_weeks_later_adds_nothing():
    load_demo()
    before = row_counts()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40), tick=False):
        load_demo()
    assert row_counts() == before


# Read-only checks share one load; the tests above change data or need an empty database, so load their own.
@pytest.mark.usefixtures("loaded_once")
class TestTheLoadedDemo:
    def test_it_loads_the_expected_number_of_each_thing_and_says_so(self, loaded_once):
        counts = row_counts()
        assert {label: counts[label] for label in EXPECTED} == EXPECTED
        assert "  criteria              44\n" in loaded_once

    def test_criterion_a9_has_the_seed_wording_and_is_red_in_the_seeds_march_round(self):
        a9 = Criterion.objects.get(section__framework=framework(), code="A9")
        march = seed_round("Mar 18")
        assert a9.wording == A9_WORDING
        assert a9.group_heading.startswith("Quality of identification - In order to assess")
        assert march.assessed_on == datetime.date(2018, 3, 31)
        assert rating(march, "A9").rag == Rag.RED
        assert rating(march, "A9").commentary.startswith(
            "Challenge remains around establishing joint working"
        )

    @pytest.mark.parametrize("code", ["A4", "A10", "B2"])
    def test_criteria_that_were_red_turned_amber_in_the_seeds_march_round(self, code):
        assert (rating(seed_round("Feb 18"), code).rag, rating(seed_round("Mar 18"), code).rag) == (
            Rag.RED,
            Rag.AMBER,
        )

    def test_only_a9_is_red_in_the_seeds_march_round(self):
        march = seed_round("Mar 18")
        assert list(march.ratings.filter(rag=Rag.RED).values_list("criterion__code", flat=True)) == ["A9"]

    @pytest.mark.parametrize(
        ("code", "rag"), [("A6", Rag.AMBER), ("C3", Rag.AMBER), ("A14", Rag.GREEN), ("A15", Rag.GREEN)]
    )
    def test_march_ratings_follow_the_seed_narrative(self, code, rag):
        assert rating(seed_round("Mar 18"), code).rag == rag

    def test_the_seeds_next_steps_to_green_stay_whole_on_c3_which_they_follow(self):
        march = seed_round("Mar 18")
        c3 = rating(march, "C3")
        assert "Performance analysis carried out by SIO SEN" in c3.commentary
        assert c3.next_steps.startswith("- Need feedback from those who have accessed Disability Matters")
        assert " - Independent living" in c3.next_steps
        assert c3.next_steps.endswith("robust commissioning arrangements")
        # Not split across criteria by interpretation; the group heading is no criterion's.
        assert rating(march, "A10").next_steps == ""
        assert not march.ratings.filter(criterion__code="A18").exists()

    def test_the_framework_has_every_criterion_of_the_seed_in_order(self):
        criteria = Criterion.objects.filter(section__framework=framework())
        codes = list(criteria.values_list("code", flat=True))
        expected = [f"A{n}" for n in range(1, 19)] + [f"B{n}" for n in range(1, 7)]
        expected += [f"C{n}" for n in range(1, 12)] + ["C11a"] + [f"C{n}" for n in range(12, 20)]
        assert len(codes) == 44
        assert codes == expected
        assert list(framework().sections.values_list("code", flat=True)) == ["Q1", "Q2", "Q3"]
        assert framework().red_meaning == "Substantial work to be carried out across all service areas"

    def test_the_seeds_second_c11_is_kept_as_c11a_right_after_c11(self):
        c11 = list(
            Criterion.objects.filter(section__framework=framework(), code__in=["C11", "C11a"]).order_by(
                "order"
            )
        )
        assert [c.wording for c in c11] == [
            "availability of services at universal, targeted and specialist levels as identified in the "
            "early help and local offer",
            "commissioning of education for students who have high levels of need.",
        ]
        assert c11[0].order + 1 == c11[1].order

    def test_extraction_breaks_in_the_seed_are_mended(self):
        criteria = Criterion.objects.filter(section__framework=framework())
        assert criteria.get(code="B3").wording == (
            "the suitability of EHC plan, (including where relevant alignment with child in need and child "
            "protection plans)"
        )
        assert criteria.get(code="C14").wording == "short-break care"
        assert not criteria.filter(code__contains=" ").exists()

    def test_the_seeds_rounds_rate_only_what_the_seed_supports_and_the_illustrative_round_follows(self):
        rounds = list(Assessment.objects.filter(framework=framework()).order_by("assessed_on"))
        assert [r.label for r in rounds] == ["Feb 18", "Mar 18", "Jun 18 (illustrative)"]
        assert [r.ratings.count() for r in rounds] == [3, 8, 44]
        assert set(Rating.objects.values_list("rated_by__username", flat=True)) == {"lead"}

    def test_each_area_of_significant_weakness_is_addressed_by_a_wsoa_priority(self):
        inspection = Review.objects.get(kind=Review.Kind.INSPECTION)
        weaknesses = inspection.findings.filter(kind=Finding.Kind.SIGNIFICANT_WEAKNESS).order_by("order")
        assert [f.reference for f in weaknesses] == ["ASW1", "ASW2", "ASW3"]
        assert weaknesses[0].text.startswith("Inaccurate and incomplete records and ineffective oversight")
        assert "The information from EHC plans and annual reviews is not used" in weaknesses[2].text
        for weakness in weaknesses:
            assert weakness.priorities.filter(plan__kind=Plan.Kind.WSOA).exists()
        assert (inspection.outcome, inspection.wsoa_due_on, inspection.revisit_due_on) == (
            Review.Outcome.WSOA,
            datetime.date(2019, 8, 12),
            None,
        )

    def test_the_live_plan_answers_the_inspections_weaknesses_and_coverage_says_so(self):
        from inspections import coverage

        inspection = Review.objects.get(kind=Review.Kind.INSPECTION)
        live = Plan.objects.get(title="SEND improvement plan (illustrative)")
        weaknesses = inspection.findings.filter(kind=Finding.Kind.SIGNIFICANT_WEAKNESS).order_by("order")
        for number, weakness in enumerate(weaknesses, start=1):
            numbers = weakness.priorities.filter(plan=live).values_list("number", flat=True)
            assert list(numbers) == [str(number)]
        findings = coverage.assess(coverage.with_addressing(weaknesses))
        assert all(f.addressing.state in coverage.TRACKED for f in findings)
        assert live in coverage.answering_plans(inspection)

    def test_the_wsoa_is_closed_with_no_invented_actions_and_was_revisited(self):
        plan = Plan.objects.get(kind=Plan.Kind.WSOA)
        assert plan.status == Plan.Status.CLOSED
        assert plan.approved_on is None
        assert not plan.actions.exists()
        revisit = Review.objects.get(kind=Review.Kind.REVISIT)
        assert revisit.follows_up == plan.review
        assert "(illustrative)" in revisit.title
        assert revisit.judgements.count() == 3
        assert all(j.evidence.startswith("Illustrative:") for j in revisit.judgements.all())
        assert plan.ends_on == revisit.end_date

    def test_only_the_illustrative_plan_is_active_and_it_is_on_the_brag_scale(self):
        assert list(Plan.objects.filter(status=Plan.Status.ACTIVE).values_list("title", flat=True)) == [
            "SEND improvement plan (illustrative)"
        ]
        assert set(Plan.objects.exclude(status=Plan.Status.ACTIVE).values_list("status", flat=True)) == {
            Plan.Status.CLOSED
        }
        plan = Plan.objects.get(kind=Plan.Kind.IMPROVEMENT)
        assert plan.rag_scale.name == "BRAG"
        assert list(plan.rag_scale.levels.values_list("colour", "label")) == [
            ("blue", "Complete"),
            ("green", "On track"),
            ("amber", "At risk"),
            ("red", "Off track"),
        ]
        jointly_led = plan.actions.filter(lead_organisations__kind=Organisation.Kind.HEALTH).filter(
            lead_organisations__kind=Organisation.Kind.COUNCIL
        )
        assert jointly_led.exists()
        assert plan.actions.exclude(original_due_date=None).exists()

    def test_the_four_personas_have_their_roles(self):
        users = {
            user.username: user
            for user in User.objects.filter(username__in=["officer", "lead", "scrutiny", "admin"])
        }
        assert [roles.role_of(users[name]) for name in ("officer", "lead", "scrutiny", "admin")] == list(
            (roles.OFFICER, roles.PLAN_LEAD, roles.SCRUTINY_MEMBER, roles.ADMINISTRATOR)
        )
        # Plan leads build plans in the app; the admin is for administrators only.
        assert not users["lead"].is_staff and not users["lead"].is_superuser
        assert users["admin"].is_staff and users["admin"].is_superuser
        assert not users["officer"].is_staff
        assert all(user.job_title and user.get_full_name() for user in users.values())

    def test_every_partner_organisation_has_demo_officers(self):
        for organisation in Organisation.objects.all():
            assert organisation.people.filter(groups__name=roles.OFFICER).exists(), organisation
        assert User.objects.filter(groups__name=roles.OFFICER).count() == 11

    def test_officer_leads_actions_in_every_live_priority_including_overdue_and_stale_ones(self):
        officer = User.objects.get(username="officer")
        led = Action.objects.led_by(officer).filter(plan__kind=Plan.Kind.IMPROVEMENT)
        assert led.count() >= 4
        assert set(led.values_list("priority__number", flat=True)) == {"1", "2", "3"}
        assert Action.objects.overdue().led_by(officer).exists()
        assert Action.objects.stale().led_by(officer).exists()

    def test_every_action_agrees_with_its_update_log(self):
        for action in Action.objects.prefetch_related("updates"):
            updates = sorted(action.updates.all(), key=lambda update: update.created_at)
            assert len(updates) >= 2, action
            assert action.version == 1 + len(updates), action
            assert [update.version_after for update in updates] == list(range(2, 2 + len(updates)))
            assert (action.status, action.rag_id) == (updates[-1].status_after, updates[-1].rag_after_id), (
                action
            )
            assert action.last_updated_at == updates[-1].created_at
            assert updates[0].status_before == Action.Status.NOT_STARTED
            for before, after in itertools.pairwise(updates):
                assert (after.status_before, after.rag_before_id) == (
                    before.status_after,
                    before.rag_after_id,
                )
            if action.rag and action.rag.requires_reason:
                assert action.rag_reason, action

    def test_no_update_is_dated_in_the_future(self):
        assert not ActionUpdate.objects.filter(created_at__gt=timezone.now()).exists()

    def test_peer_review_recommendations_carry_their_three_themes(self):
        review = Review.objects.get(kind=Review.Kind.PEER_REVIEW)
        recommendations = review.findings.filter(kind=Finding.Kind.RECOMMENDATION).order_by("order")
        assert Counter(recommendations.values_list("theme", flat=True)) == {
            THEMES[0]: 8,
            THEMES[1]: 4,
            THEMES[2]: 3,
        }
        assert [f.reference for f in recommendations][:3] == ["R1.1", "R1.2", "R1.3"]
        assert recommendations.get(reference="R3.2").text == recommendations.get(reference="R1.6").text
        assert review.start_date == datetime.date(2017, 6, 20)
        assert review.focus_question.startswith("How effective are the SEN support arrangements")
        assert review.findings.filter(kind=Finding.Kind.STRENGTH).count() == 7
        assert review.findings.filter(kind=Finding.Kind.GOOD_PRACTICE).count() == 3

    def test_the_peer_review_plan_has_a_priority_per_theme_addressing_its_recommendations(self):
        plan = Plan.objects.get(kind=Plan.Kind.PEER_REVIEW)
        for priority, theme in zip(plan.priorities.order_by("order"), THEMES, strict=True):
            assert priority.title == theme
            assert set(priority.findings.values_list("theme", flat=True)) == {theme}
            assert priority.actions.exists()

    def test_the_strategy_has_its_six_priority_areas_on_the_programme_tracker_scale(self):
        plan = Plan.objects.get(kind=Plan.Kind.STRATEGY)
        assert plan.rag_scale.name == "Programme tracker"
        titles = list(plan.priorities.values_list("title", flat=True))
        assert len(titles) == 6
        assert (
            titles[0]
            == "ensure that children, young people and families are at the heart of an effective SEND system"
        )
        assert all(priority.actions.count() >= 2 for priority in plan.priorities.all())

    def test_kpis_have_a_year_of_values_ending_last_month(self):
        last_month_end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        for measure in Measure.objects.all():
            values = list(measure.values.exclude(value=None).order_by("period_end"))
            assert len(values) == 12
            assert values[-1].period_end == last_month_end
            assert measure.targets.exists()
            assert measure.source.startswith("Illustrative")
            # No local month repeats a national figure.
            assert all(value.national is None for value in values)
        timeliness = Measure.objects.get(name="% of new EHC plans issued within 20 weeks")
        latest = timeliness.values.order_by("period_end").last()
        assert (latest.value, latest.national, timeliness.baseline) == (Decimal("71"), None, Decimal("52"))
        assert Measure.objects.filter(higher_is_better=False).count() == 1

    def test_the_draft_committee_paper_has_the_council_format(self):
        paper = CommitteePaper.objects.get(status=CommitteePaper.Status.DRAFT)
        assert paper.committee.kind == "scrutiny"
        assert paper.meeting_date > timezone.localdate()
        assert paper.recommendations.first().number == "1.1"
        assert set(paper.implications.values_list("kind", flat=True)) >= {
            Implication.Kind.FINANCIAL,
            Implication.Kind.LEGAL,
            Implication.Kind.DIVERSITY,
        }
        assert all(i.verified_by_name for i in paper.implications.exclude(kind=Implication.Kind.OTHER))
        assert paper.sign_offs.exists() and paper.background_papers.exists()
        assert paper.appendices.get(kind=Appendix.Kind.ACTION_PLAN).plan.kind == Plan.Kind.IMPROVEMENT
        assert not paper.appendices.filter(kind=Appendix.Kind.RAG_MATRIX).exists()
        assert paper.executive_summary.startswith("Illustrative:")
        assert "national average" not in " ".join(paper.sections.values_list("body", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(("debug", "secret"), [(False, "dev"), (True, "real"), (False, "real")])
def test_it_refuses_to_load_outside_development_without_force(settings, debug, secret):
    from django.core.management.base import CommandError

    from accounts.models import User
    from send_tracker.settings import DEV_SECRET_KEY

    settings.DEBUG = debug
    settings.SECRET_KEY = DEV_SECRET_KEY if secret == "dev" else "r" * 60
    with pytest.raises(CommandError, match="outside development"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()


@pytest.fixture
def development(settings):
    from send_tracker.settings import DEV_SECRET_KEY

    settings.DEBUG = True
    settings.SECRET_KEY = DEV_SECRET_KEY
    return settings


@pytest.mark.django_db
def test_it_refuses_a_database_that_is_not_the_development_file(development):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"only the development file .*send_tracker\.sqlite3 gets them"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_it_refuses_a_development_database_that_has_real_users(development, monkeypatch):
    from django.core.management.base import CommandError
    from django.db import connection

    from demo.management.commands import load_demo as command
    from tests.factories import make_user

    monkeypatch.setattr(command, "DEV_DATABASE", str(connection.settings_dict["NAME"]))
    make_user("j.smith")

    with pytest.raises(CommandError, match=r"a database with real users \(j.smith"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_the_checks_pass_on_the_development_database_with_only_demo_users(development, monkeypatch):
    from django.db import connection

    from demo.management.commands import load_demo as command
    from tests.factories import make_user

    monkeypatch.setattr(command, "DEV_DATABASE", str(connection.settings_dict["NAME"]))
    make_user("admin")
    assert command.Command().refusal() is None


@pytest.mark.usefixtures("loaded_once")
class TestTheDemoPapers:
    def test_the_2019_paper_is_published_with_its_pdf_and_appendix(self):
        paper = CommitteePaper.objects.get(title="SEND Inspection Outcome – Written Statement of Action")
        assert paper.status == CommitteePaper.Status.PUBLISHED
        version = paper.versions.get()
        assert version.read_verified_pdf().startswith(b"%PDF-")
        assert version.snapshot["cover"]["meeting_date"] == "25 July 2019"
        assert version.snapshot["cover"]["agenda_item"] == "4"
        assert version.snapshot["recommendations"] == [
            "O&S to review the written statement of action and provide feedback before the document is sent "
            "for Ofsted approval."
        ]
        appendix = paper.appendices.get()
        assert appendix.title == "SEND Local Area: Written Statement of Action (Draft)"
        # The draft WSOA is not among the seeds: a note says so instead of an invented action plan.
        assert appendix.kind == Appendix.Kind.TEXT
        assert "not reproduced here" in appendix.body

    def test_the_progress_update_awaits_a_sign_off(self):
        paper = CommitteePaper.objects.get(status=CommitteePaper.Status.DRAFT)
        assert [s.role for s in paper.unsigned_required()] == ["Legal"]
