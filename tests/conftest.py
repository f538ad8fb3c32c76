from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from core import roles
from demo import sources as demo_sources
from tests.factories import make_user


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploaded appendices and published PDFs go to a temporary folder, never var/, for the whole session."""
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=str(root)):
        yield root


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    cache.clear()  # rate limits (e.g. forgotten-password requests) count in the cache
    # A warm process knows whether this is demo data (see demo/sources.py): pages' query counts
    # do not include the flag's once-a-minute read. load_demo sets it; tests of the read call forget().
    cache.set(demo_sources.CACHE_KEY, {})
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.SECURE_SSL_REDIRECT = False
    # Production asks administrators and plan leads for a second factor; tests of that turn it back on.
    settings.MFA_REQUIRED_ROLES = []


@pytest.fixture
def officer(db):
    return make_user("officer_lead", roles.OFFICER, first_name="Olivia", last_name="Officer")


@pytest.fixture
def other_officer(db):
    return make_user("officer_other", roles.OFFICER, first_name="Oscar", last_name="Other")


@pytest.fixture
def plan_lead(db):
    return make_user("plan_lead", roles.PLAN_LEAD, first_name="Priya", last_name="Lead")


@pytest.fixture
def scrutiny_member(db):
    return make_user("scrutiny", roles.SCRUTINY_MEMBER, first_name="Sam", last_name="Councillor")


@pytest.fixture
def administrator(db):
    return make_user("administrator", roles.ADMINISTRATOR, first_name="Ada", last_name="Admin", is_staff=True)


from tests.sso_provider.harness import sso, sso_server  # noqa: E402, F401  (fixtures for issue #34's tests)
