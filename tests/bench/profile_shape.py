"""Profile one page as one role against the admin yardstick, in a plain process: a developer's tool.

    DATABASE_URL=sqlite:////tmp/large.sqlite3 python -m tests.bench.profile_shape --build large
    DATABASE_URL=sqlite:////tmp/large.sqlite3 python -m tests.bench.profile_shape /dashboard/ --role scrutiny

`--build demo|large` fills the (migrated, otherwise empty) database at DATABASE_URL once with the demo area
or the large area (demo/large_area.py, a few minutes), so later runs reuse the file. Without it, prints the
page's median and p95 over `--runs` requests, its query count and HTML size, the Django admin changelist of
50 actions measured in the same process (as `make bench` does: tests/bench/crawl.py), and a cProfile top
list of one more batch of requests. The role's user is the bench's: on the large area the busy officer and
the first plan lead and scrutiny member of the la- users; on the demo the personas `officer`, `lead`,
`scrutiny`.

`--cold` empties Django's cache before each request of the page (not the admin's), so each one computes
what pages keep in the cache (the trends page's month-end counts) as the first load after a change does;
the once-a-minute flag of demo data (demo/sources.py) is put back, as a change of the data leaves it.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats


def _users():
    from django.db.models import Count, Q

    from accounts.models import User
    from actions.models import Action, Plan
    from core import roles

    large = User.objects.filter(username="la-officer").exists()
    if large:
        first = User.objects.filter(username__startswith="la-").order_by("pk")
        users = {
            "officer": User.objects.get(username="la-officer"),
            "lead": first.filter(groups__name=roles.PLAN_LEAD).first(),
            "scrutiny": first.filter(groups__name=roles.SCRUTINY_MEMBER).first(),
            "admin": first.filter(groups__name=roles.ADMINISTRATOR).first(),
        }
    else:
        users = {name: User.objects.get(username=name) for name in ("officer", "lead", "scrutiny", "admin")}
    in_progress = Count("actions", filter=Q(actions__status=Action.Status.IN_PROGRESS))
    plan = Plan.objects.annotate(n=in_progress).order_by("-n", "pk").values_list("pk", flat=True)[0]
    return users, plan


def _build(kind: str) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if kind == "large":
        from demo import large_area

        print(large_area.generate())
    else:
        from demo import loader

        print(loader.load())


def _profile(client, url: str, runs: int, top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def _cold_client():
    from django.core.cache import cache
    from django.test import Client

    from demo import sources

    class ColdClient(Client):
        def request(self, **request):
            flag = cache.get(sources.CACHE_KEY)
            cache.clear()
            if flag is not None:
                cache.set(sources.CACHE_KEY, flag, sources.CACHE_SECONDS)
            return super().request(**request)

    return ColdClient()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="*", help="paths to measure, e.g. /dashboard/")
    parser.add_argument("--role", default="scrutiny", choices=("officer", "lead", "scrutiny", "admin"))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=30, help="lines of the cProfile listing (0: none)")
    parser.add_argument("--cold", action="store_true", help="empty Django's cache before each request")
    parser.add_argument("--build", choices=("demo", "large"), help="fill the database first")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")
    import django

    django.setup()
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    if args.build:
        _build(args.build)
    if not args.urls:
        return
    setup_test_environment()
    from tests.bench import crawl

    gc.collect()
    gc.freeze()  # as the bench and gunicorn's master do
    with override_settings(MFA_REQUIRED_ROLES=[], AXES_ENABLED=False):
        client = Client()
        users, plan = _users()
        admin_page = crawl.yardstick(client, users["admin"], plan, args.runs)
        print(f"admin changelist: median {admin_page['median_ms']} ms, {admin_page['queries']} queries")
        if args.cold:
            client = _cold_client()
        client.force_login(users[args.role])
        for url in args.urls:
            page = crawl.measure(client, url, args.runs, budget_s=60)
            print(
                f"{url} [{args.role}]: median {page['median_ms']} ms (p95 {page['p95_ms']}), "
                f"{page['median_ms'] / admin_page['median_ms']:.2f} × admin, {page['queries']} queries, "
                f"{page['bytes'] / 1024:.0f} KB"
            )
            if args.top:
                _profile(client, url, max(5, args.runs // 2), args.top)


if __name__ == "__main__":
    main()
