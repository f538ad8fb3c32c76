"""Publish every plan of the demo, then grep every public page and feed for private text: none may appear."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import User
from core import roles
from tests.public.privacy import leaks, private_strings, public_pages, publish_everything


@pytest.mark.django_db
def test_no_name_email_reason_recovery_or_narrative_reaches_the_public_pages_of_the_demo():
    call_command("load_demo", "--force", verbosity=0)
    plans = publish_everything(User.objects.filter(groups__name=roles.PLAN_LEAD).first())
    secrets = private_strings()
    assert len(secrets) > 100  # the demo has people, reasons and narratives to find
    pages = public_pages(plans)
    assert leaks(pages, secrets) == []


@pytest.mark.django_db
def test_the_check_finds_a_leak_when_there_is_one(plan_lead):
    from tests.factories import make_action, make_plan, make_priority

    plan = make_plan()
    make_action(make_priority(plan, title="Work with Mrs Jones"), rag_reason="Mrs Jones complained")
    plans = publish_everything(plan_lead)
    pages = public_pages(plans)
    assert leaks(pages, {"Mrs Jones", "Priya Lead"}) == [
        f"/public/plans/{plan.pk}/: 'Mrs Jones'",
        f"/public/plans/{plan.pk}/embed/: 'Mrs Jones'",
        f"/public/plans/{plan.pk}/feed/: 'Mrs Jones'",
    ]
