"""Benchmark-time check (make bench): the public pages of the large area leak nothing private.

The large area takes minutes to build, so this runs with the benchmarks, not in make test (which runs the
same check on the demo: tests/public/test_public_privacy.py).
"""

from __future__ import annotations

import os

import pytest

from accounts.models import User
from core import roles
from demo import large_area
from tests.public.privacy import leaks, private_strings, public_pages, publish_everything

pytestmark = [
    pytest.mark.skipif(not os.environ.get("BENCH"), reason="a benchmark: run with make bench"),
    pytest.mark.django_db,
]


def test_no_private_text_reaches_the_public_pages_of_the_large_area():
    large_area.generate()
    plans = publish_everything(User.objects.filter(groups__name=roles.PLAN_LEAD).first())
    secrets = private_strings()
    pages = public_pages(plans)
    print(f"\nPublic pages of the large area: {len(pages)} pages, {len(secrets)} private strings checked")
    assert leaks(pages, secrets) == []
