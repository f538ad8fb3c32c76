from __future__ import annotations

import gc
import os

import pytest
from django.core.cache import cache
from django.test import override_settings

from core import roles
from demo import sources as demo_sources
from tests.factories import make_user


def pytest_configure(config):
    """Collect cyclic garbage less often: the suite makes millions of short-lived objects (model instances,
    responses, templates), and CPython's default of a collection every 700 allocations spent about a fifth of
    its CPU time walking them (tests/actions: 77 s of CPU → 58 s). Everything made while starting up (Django,
    the apps, the URL resolver) is frozen out of the collections altogether."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def pytest_collection_modifyitems(config, items):
    """Start the tests marked `long(seconds)` first, shared out so each worker gets about as many seconds.

    `make test` runs with `--dist worksteal`: each worker is given an equal, contiguous share of the list
    and a worker that runs out takes the far end of another's. A long test started last would run alone
    at the end while the other worker waits; started first, the short tests fill in around it.
    """
    workers = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    long = sorted(
        (item for item in items if item.get_closest_marker("long")),
        key=lambda item: -item.get_closest_marker("long").args[0],
    )
    if not long:
        return
    chosen = set(long)
    rest = [item for item in items if item not in chosen]
    shares: list[list] = [[] for _ in range(workers)]
    seconds = [0] * workers
    for item in long:
        least = seconds.index(min(seconds))
        shares[least].append(item)
        seconds[least] += item.get_closest_marker("long").args[0]
    size = len(items) // workers
    for number, share in enumerate(shares):
        wanted = len(rest) if number == workers - 1 else max(0, size - len(share))
        share += rest[:wanted]
        del rest[:wanted]
    items[:] = [item for share in shares for item in share]


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploaded appendices and published PDFs go to a temporary folder, never var/, for the whole session."""
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=str(root)):
        yield root


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    # Rate limits (e.g. forgotten-password requests) count in the cache, and the trends page keeps its
    # month-end counts there under a fingerprint of largest ids and counts: SQLite hands a rolled-back
    # test's ids out again, so a later test's data could match an earlier test's key.
    cache.clear()
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
