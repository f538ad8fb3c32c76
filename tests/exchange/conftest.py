from __future__ import annotations

import pytest

from tests.factories import make_plan


@pytest.fixture
def plan(db):
    return make_plan()


@pytest.fixture
def lead_client(client, plan_lead):
    """A client signed in as a plan lead, who may import."""
    client.force_login(plan_lead)
    return client
