"""Benchmark (make bench only, not in the suite): a paper whose action-plan appendix has 300 actions.

Prints pages, the median wall-clock and CPU seconds of RUNS renders, and peak memory, for block layout (what a
paper over 120 actions prints: three short paragraphs per action) and for table layout, each render in a fresh
forked process so its peak RSS is its own. CPU seconds are what the render costs when the machine is idle;
wall-clock seconds grow with the load average printed alongside.
Target from issue #12: under 3 s and under 300 MB on the 2-core machine.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import statistics
import time

import pytest

from reports.papers.render import render_paper_pdf
from reports.papers.snapshot import build_snapshot
from tests.factories import make_busy_actions, make_paper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("BENCH"), reason="a benchmark: run with make bench"),
]

ACTIONS = 300
RUNS = 3


def _render(snapshot: dict, layout: str, queue) -> None:
    """Render in this (forked) process and report pages, seconds and peak RSS."""
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu_started = time.perf_counter(), time.process_time()
    rendered = render_paper_pdf(snapshot, layout=layout)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    queue.put(
        {
            "pages": rendered.page_count,
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_growth_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline_rss) / 1024,
            "bytes": len(rendered.data),
        }
    )


def _measure(snapshot: dict, layout: str) -> dict:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_render, args=(snapshot, layout, queue))
    process.start()
    result = queue.get(timeout=600)
    process.join()
    return result


def test_a_paper_with_a_300_action_appendix(django_db_blocker):
    actions = make_busy_actions(ACTIONS, plan_count=1)
    paper = make_paper(actions[0].plan)
    started = time.perf_counter()
    snapshot = build_snapshot(paper)
    snapshot_seconds = time.perf_counter() - started
    assert snapshot["appendices"][0]["data"]["action_count"] == ACTIONS

    render_paper_pdf(build_snapshot(make_paper()))  # warm fonts and caches once, as a running server has
    print(f"\nPaper with {ACTIONS} actions in its action-plan appendix (snapshot: {snapshot_seconds:.2f} s)")
    print(f"  load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  {'layout':<8} {'pages':>5} {'median s':>9} {'median CPU s':>13}", end="")
    print(f" {'peak RSS MB':>12} {'RSS growth MB':>14}")
    for layout in ("blocks", "table"):
        runs = [_measure(snapshot, layout) for _ in range(RUNS)]
        print(
            f"  {layout:<8} {runs[0]['pages']:>5} {statistics.median(r['seconds'] for r in runs):>9.2f}"
            f" {statistics.median(r['cpu_seconds'] for r in runs):>13.2f}"
            f" {max(r['rss_mb'] for r in runs):>12.0f} {max(r['rss_growth_mb'] for r in runs):>14.0f}"
        )
        assert runs[0]["pages"] > 10
    print(f"  load average after: {os.getloadavg()[0]:.1f}")
