"""Server time of repeated requests through the Django test client, shared by the benchmarks."""

from __future__ import annotations

import time


def time_requests(client, url: str, runs: int, budget_s: float | None = None, **kwargs):
    """GET `url` `runs` times; return each request's milliseconds and the last response.

    With `budget_s`, stop early (after at least 5 requests) once they took that long in all.
    """
    timings: list[float] = []
    response = None
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **kwargs)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        if budget_s is not None and sum(timings) > budget_s * 1000 and len(timings) >= 5:
            break
    return timings, response
