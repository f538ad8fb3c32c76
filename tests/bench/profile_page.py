"""Where one page's server time goes, on the demo data: `python -m tests.bench.profile_page URL ROLE ...`.

Builds the demo area in a fresh test database (as `make bench` does: SQLite, or PostgreSQL when
DATABASE_URL points at it), and for each URL ROLE pair (ROLE is a demo username: officer, lead, scrutiny,
admin) signs in and prints the median and p95 wall-clock time of RUNS requests through the Django test
client, the median CPU time, the queries and the milliseconds spent in them, the HTML size, and (unless
--no-profile) a cProfile of RUNS further requests: the time of each phase of a request (middleware, loading
the user, the view, templates, the ORM) and the top functions. Last, the Django admin changelist of 50
actions measured the same way (`make bench`'s yardstick), so each page also reads as "× admin".

CPU time is this process's own: on a machine that other work keeps busy it moves far less than the wall
clock, so read it first when comparing before and after. cProfile slows every call, Python's more than C's:
read its figures as shares of a request, not as milliseconds.

Options: --runs N (default 30), --top N (default 30), --sort KEY (a pstats key, default cumulative),
--no-profile (timings only, for before/after tables), --rounds K (default 1): measure every page and the
admin K times in turn and keep each one's lowest median, so that a busy spell on a shared machine does not
decide a before/after comparison.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import statistics
import time
from contextlib import contextmanager

# The phases of a request, as (label, the function's dotted path): cumulative time, so nested phases overlap
# (the view includes its templates; templates include the queries that lazy querysets run in them).
PHASES = (
    ("whole request (test client)", "django.test.client.ClientHandler.__call__"),
    ("middleware + view", "django.core.handlers.base.BaseHandler.get_response"),
    ("view, with process_view", "django.core.handlers.base.BaseHandler._get_response"),
    ("load the session", "django.contrib.sessions.backends.db.SessionStore.load"),
    ("load the user (auth)", "django.contrib.auth.get_user"),
    ("templates: render", "django.template.backends.django.Template.render"),
    ("templates: context processors", "django.template.context.RequestContext.bind_template"),
    ("templates: {% include %}", "django.template.loader_tags.IncludeNode.render"),
    ("templates: {% url %}", "django.template.defaulttags.URLNode.render"),
    ("ORM: build SQL", "django.db.models.sql.compiler.SQLCompiler.as_sql"),
    ("ORM: execute_sql (build, run, fetch)", "django.db.models.sql.compiler.SQLCompiler.execute_sql"),
    ("database driver: execute", "django.db.backends.utils.CursorWrapper._execute"),
    ("model instances (from_db)", "django.db.models.base.Model.from_db"),
    ("reverse()", "django.urls.base.reverse"),
    ("CSRF middleware: process_response", "django.middleware.csrf.CsrfViewMiddleware.process_response"),
    ("CSP middleware: process_response", "csp.middleware.CSPMiddleware.process_response"),
    ("GZip middleware", "django.middleware.gzip.GZipMiddleware.process_response"),
)


def _code_key(dotted: str) -> tuple[str, int, str]:
    """Return cProfile's key (file, first line, name) of the function at a dotted path."""
    import importlib
    import inspect

    target = None
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):  # the longest importable prefix is the module
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            target = getattr(target, attribute)
        break
    code = inspect.unwrap(target).__code__
    return code.co_filename, code.co_firstlineno, code.co_name


ADMIN = "admin changelist, 50 actions (yardstick)"
# Own time (not cumulative) of every function, summed by where its code lives: these do not overlap.
AREAS = (
    ("Django ORM (query building, model instances)", "/django/db/models/"),
    ("database driver and Django's backend", "/django/db/"),
    ("Django templates", "/django/template/"),
    ("Jinja2 partials", "/jinja2/"),
    ("Django test client", "/django/test/"),
    ("Django auth, sessions, messages", "/django/contrib/"),
    ("Django middleware, handlers, http, urls, utils", "/django/"),
    ("third-party packages", "/site-packages/"),
    ("our code", "/work/"),
)


@contextmanager
def _sql_time(connection, spent: list[float]):
    """Add each query's milliseconds to `spent` while the block runs."""

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append((time.perf_counter() - started) * 1000)

    with connection.execute_wrapper(timed):
        yield


def measure(client, url: str, runs: int) -> dict:
    """Return one page's figures: median and p95 (wall clock), median CPU time, queries, SQL ms and size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.bench.crawl import p95

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries = len(captured)  # now: the log is emptied when the next request starts
    spent: list[float] = []
    with _sql_time(connection, spent):
        client.get(url)
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "url": url,
        "median_ms": round(statistics.median(wall), 1),
        "p95_ms": round(p95(wall), 1),
        "cpu_ms": round(statistics.median(cpu), 1),
        "queries": queries,
        "sql_ms": round(sum(spent), 1),
        "bytes": len(response.content),
    }


def phases(stats: pstats.Stats, runs: int) -> list[tuple[str, float, float]]:
    """Return (label, ms a request under the profiler, share of the whole request) for each of PHASES."""
    cumulative = {label: stats.stats.get(_code_key(dotted), (0, 0, 0, 0.0))[3] for label, dotted in PHASES}
    whole = cumulative[PHASES[0][0]] or 1.0
    return [(label, seconds * 1000 / runs, seconds / whole) for label, seconds in cumulative.items()]


def areas(stats: pstats.Stats, runs: int) -> list[tuple[str, float, float]]:
    """Return (label, ms a request under the profiler, share) of own time summed by AREAS, then the rest."""
    spent = dict.fromkeys([label for label, _ in AREAS] + ["Python and C built-ins"], 0.0)
    for (path, _line, _name), (_cc, _nc, own, _cumulative, _callers) in stats.stats.items():
        label = next((label for label, part in AREAS if part in path), "Python and C built-ins")
        spent[label] += own
    whole = sum(spent.values()) or 1.0
    return [(label, seconds * 1000 / runs, seconds / whole) for label, seconds in spent.items()]


def profile(client, url: str, runs: int, top: int, sort: str) -> str:
    """Return the phases and the cProfile table of `runs` requests of `url`, `top` lines sorted by `sort`."""
    for _ in range(2):  # not the first requests' imports, URL patterns and template compiling
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    lines = ["Phases, a request under the profiler (cumulative, so they overlap):"]
    lines += [f"  {label:<46} {ms:>7.1f} ms {share:>5.0%}" for label, ms, share in phases(stats, runs)]
    lines += ["Own time by where the code lives (these add up):"]
    lines += [f"  {label:<46} {ms:>7.1f} ms {share:>5.0%}" for label, ms, share in areas(stats, runs)]
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    return "\n".join([*lines, out.getvalue()])


def _line(name: str, page: dict, admin_ms: float | None) -> str:
    ratio = f"{page['median_ms'] / admin_ms:>6.2f}" if admin_ms else "      "
    return (
        f"  {name[:52]:<52} {page['median_ms']:>7.1f} {page['p95_ms']:>7.1f} {page['cpu_ms']:>6.1f} {ratio} "
        f"{page['queries']:>4} {page['sql_ms']:>6.1f} {page['bytes'] / 1024:>5.0f}"
    )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.profile_page", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "pairs", nargs="+", metavar="URL ROLE", help="one or more pairs: a URL and a username"
    )
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure every page this many times; keep the best"
    )
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    arguments = parser.parse_args()
    if len(arguments.pairs) % 2:
        parser.error("give URL ROLE pairs")
    return arguments


def _best(rounds: list[dict]) -> dict:
    """Return the first round's figures with the lowest median wall and CPU time of all rounds."""
    return {
        **rounds[0],
        "median_ms": min(page["median_ms"] for page in rounds),
        "p95_ms": min(page["p95_ms"] for page in rounds),
        "cpu_ms": min(page["cpu_ms"] for page in rounds),
    }


def run(client, arguments: argparse.Namespace) -> None:
    """Load the demo, profile each URL as its user, then measure them and the admin changelist in rounds."""
    from django.db import connection

    from accounts.models import User
    from demo import loader as demo_loader
    from tests.bench import crawl
    from tests.bench.large_area import _busiest_plan

    started = time.perf_counter()
    demo_loader.load()
    print(f"demo loaded in {time.perf_counter() - started:.1f} s")
    gc.collect()
    gc.freeze()  # as gunicorn.conf.py does before forking its workers
    pairs = list(zip(arguments.pairs[::2], arguments.pairs[1::2], strict=True))
    users = {username: User.objects.get(username=username) for _url, username in pairs}
    for url, username in pairs if arguments.profile else []:
        client.force_login(users[username])
        print(f"\n=== {url} as {username} ===")
        print(profile(client, url, arguments.runs, arguments.top, arguments.sort))
    # Rounds of every page in turn, so that a busy spell on the machine lands on all of them alike.
    rounds: dict[str, list[dict]] = {}
    administrator, plan = User.objects.get(username="admin"), _busiest_plan()
    for _round in range(arguments.rounds):
        for url, username in pairs:
            client.force_login(users[username])
            rounds.setdefault(f"{url} [{username}]", []).append(measure(client, url, arguments.runs))
        admin_page = crawl.yardstick(client, administrator, plan, arguments.runs, measure)
        rounds.setdefault(ADMIN, []).append(admin_page)
    pages = {name: _best(figures) for name, figures in rounds.items()}
    admin_ms = pages[ADMIN]["median_ms"]
    print(
        f"\nDemo on {connection.vendor}: best of {arguments.rounds} rounds of {arguments.runs} requests,"
        f" load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"  {'page [user]':<52} {'median':>7} {'p95':>7} {'CPU':>6} {'×admin':>6} {'qry':>4} {'sql ms':>6}"
        f" {'KB':>5}"
    )
    for name, page in pages.items():
        print(_line(name, page, None if name == ADMIN else admin_ms))


def main() -> None:
    from tests.bench.run_large_area import in_test_database

    arguments = _arguments()
    in_test_database(lambda client: run(client, arguments))


if __name__ == "__main__":
    main()
