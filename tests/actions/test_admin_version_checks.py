"""Every versioned record's admin page carries the version it was loaded at: no lost update through it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db.models import Model
from django.urls import reverse

from actions.models import Board, Meeting, SuccessCriterion
from tests.factories import (
    make_action,
    make_brag_scale,
    make_finding,
    make_organisation,
    make_plan,
    make_priority,
    make_review,
)


@dataclass
class Case:
    make: Callable[[], Model]
    theirs: tuple[str, object]  # what someone else saves in the app while the admin page is open
    ours: tuple[str, object]  # what the administrator changes on the open page

    def __str__(self) -> str:
        return self.make.__name__


def plan() -> Model:
    return make_plan(title="Written Statement of Action")


def rag_scale() -> Model:
    return make_brag_scale("Council BRAG")


def rag_level() -> Model:
    return make_brag_scale().levels.get(colour="amber")


def organisation() -> Model:
    return make_organisation("Thurrock Clinical Commissioning Group")


def priority() -> Model:
    return make_priority(title="Identifying needs early")


def board() -> Model:
    return Board.objects.create(name="SEND Development Board")


def meeting() -> Model:
    return Meeting.objects.create(board=board(), date=datetime.date(2025, 5, 22))


def success_criterion() -> Model:
    return SuccessCriterion.objects.create(action=make_action(), text="Every EHC plan audited.", order=1)


def review() -> Model:
    return make_review(title="Local area SEND inspection")


def finding() -> Model:
    return make_finding(text="Too many EHC plans are late.")


CASES = [
    Case(plan, ("title", "WSOA (revised by the plan lead)"), ("summary", "The administrator's summary.")),
    Case(rag_scale, ("description", "Agreed by the board."), ("name", "Renamed by the administrator")),
    Case(rag_level, ("meaning", "Some slippage."), ("label", "Slipping")),
    Case(organisation, ("short_name", "Thurrock CCG"), ("name", "Renamed by the administrator")),
    Case(priority, ("title", "Renamed by the plan lead"), ("description", "The administrator's words.")),
    Case(board, ("chair", "Portfolio Holder for Education"), ("meeting_cadence", "termly")),
    Case(meeting, ("location", "Civic Offices, Grays"), ("title", "Extraordinary meeting")),
    Case(success_criterion, ("met", True), ("text", "Every EHC plan audited twice.")),
    Case(review, ("lead_body", "Ofsted and CQC"), ("summary", "The administrator's summary.")),
    Case(finding, ("theme", "Timeliness"), ("text", "The administrator's wording.")),
]


def change_url(obj: Model) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def posted(response) -> dict:
    """Return the change page's form as the browser would post it, with its inlines left empty."""
    form = response.context["adminform"].form
    data: dict = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data


def save_in_the_app(obj: Model, field: str, value: object) -> None:
    """Save a change through the record's own write path, as the app's pages do."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    if isinstance(fresh, SuccessCriterion):
        fresh.set_met(value, version=fresh.version)
    else:
        fresh.edit(version=fresh.version, **{field: value})


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_admin_save_over_someone_elses_change_is_refused_and_names_it(client, administrator, case):
    obj = case.make()
    client.force_login(administrator)
    page = client.get(change_url(obj))
    assert page.context["adminform"].form["loaded_version"].value() == obj.version
    data = posted(page)

    save_in_the_app(obj, *case.theirs)
    data[case.ours[0]] = case.ours[1]
    response = client.post(change_url(obj), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert f"Someone else saved this {obj._meta.verbose_name}" in errors[0]
    assert str(obj._meta.get_field(case.theirs[0]).verbose_name) in errors[0]
    current = type(obj)._default_manager.get(pk=obj.pk)
    assert getattr(current, case.theirs[0]) == case.theirs[1]  # their change survives
    assert getattr(current, case.ours[0]) != case.ours[1]  # ours was not written
    assert current.version == obj.version + 1


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_admin_save_at_the_current_version_is_saved_bumps_it_and_is_in_the_history(
    client, administrator, case
):
    obj = case.make()
    client.force_login(administrator)
    data = posted(client.get(change_url(obj)))
    data[case.ours[0]] = case.ours[1]

    response = client.post(change_url(obj), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    current = type(obj)._default_manager.get(pk=obj.pk)
    assert getattr(current, case.ours[0]) == case.ours[1]
    assert current.version == obj.version + 1
    latest = current.history.first()
    assert (latest.version, latest.history_user) == (current.version, administrator)


def test_the_admin_shows_a_meetings_own_rules_as_a_message_not_a_server_error(client, administrator):
    future = Meeting.objects.create(board=board(), date=datetime.date(2099, 1, 1))
    client.force_login(administrator)
    data = posted(client.get(change_url(future)))
    data["minutes"] = "Agreed the plan."

    response = client.post(change_url(future), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["minutes"] == [
        "Record the minutes after the meeting has taken place"
    ]
    future.refresh_from_db()
    assert (future.minutes, future.version) == ("", 1)


@pytest.mark.parametrize(
    ("parent", "child_model"),
    [(plan, "priority"), (rag_scale, "raglevel"), (board, "meeting")],
    ids=["plan-priorities", "scale-levels", "board-meetings"],
)
def test_versioned_children_are_added_inline_but_changed_on_their_own_page(
    client, administrator, parent, child_model
):
    obj = parent()
    client.force_login(administrator)
    response = client.get(change_url(obj))

    inline = next(
        fs
        for fs in response.context["inline_admin_formsets"]
        if fs.opts.model._meta.model_name == child_model
    )
    assert inline.has_add_permission
    assert not inline.has_change_permission
