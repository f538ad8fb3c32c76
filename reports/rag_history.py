"""The trends page's RAG counts at month ends, replayed from the update log and kept in Django's cache."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict

from django.core.cache import cache

from actions.models import Action, ActionUpdate, Plan, RagLevel
from reports.dashboards import NOT_RATED, end_of
from reports.sql import fingerprint, rag_spans

# brag_history's counts in Django's cache: the key says what they were computed from, so the timeout only
# frees the space of keys no longer asked for. Change the prefix when rag_spans starts counting differently
# (a database cache outlives a deployment).
HISTORY_CACHE_PREFIX = "brag-history-v1"
HISTORY_CACHE_SECONDS = 24 * 3600


def history_fingerprint() -> tuple:
    """Return a summary of the rows `brag_history` reads that changes whenever one of them does (one query).

    Every write path of an action (an update, an edit, a move to another plan, withdrawal, archiving), of a
    plan and of a RAG level (its colour) claims the record's next `version` (core/versioning.py), so the
    sums of versions move whatever order concurrent saves commit in. Counts and largest ids catch actions
    made or removed without a version (bulk loads, imports), the histories' largest ids a save that skips
    the version check, the update log's largest id an entry written without `record_update`. Counting the
    update log itself (40,000 rows: 3.4 ms of the query's 4.7 ms on SQLite) would tell nothing more: each
    entry `record_update` writes claims its action's next version.
    """
    return fingerprint(
        {
            Action: (("COUNT", "id"), ("MAX", "id"), ("SUM", "version")),
            ActionUpdate: (("MAX", "id"),),
            Plan: (("MAX", "id"), ("SUM", "version")),
            RagLevel: (("MAX", "id"), ("SUM", "version")),
            Action.history.model: (("MAX", "history_id"),),
            Plan.history.model: (("MAX", "history_id"),),
            RagLevel.history.model: (("MAX", "history_id"),),
        }
    )


def history_key(cutoffs: list[datetime.datetime], plans: list | None) -> str:
    """Return the cache key of `brag_history`'s counts: the plans asked for, the cutoffs and the data."""
    asked = (
        "all" if plans is None else ",".join(str(pk) for pk in sorted({getattr(p, "pk", p) for p in plans}))
    )
    parts = [asked, *(cutoff.isoformat() for cutoff in cutoffs), *map(str, history_fingerprint())]
    return f"{HISTORY_CACHE_PREFIX}:{hashlib.sha256('|'.join(parts).encode()).hexdigest()}"


def brag_history(
    dates: list[datetime.date], plans=None, *, cached: bool = True
) -> dict[int, list[dict[str, int]]]:
    """Return, per plan id, RAG colour counts at the end of each date, replayed from the update log.

    Nothing stored is read back as a past count: an action's RAG and status at a date are those after its
    last update by then, or before its first update (what it was created with). An action exists from the
    earlier of its creation and its first update; withdrawn and archived actions are left out. One query,
    which counts in the database (`sql.rag_spans`): reading 40,000 updates into Python took 300 ms.

    The counts are kept in Django's cache under `history_key`, read with one small query, so the replay
    (about 200 ms on the largest areas) runs once after each change of the data, not on every read; the
    fingerprint is read before the replay, so what is stored is never older than its key says.
    `cached=False` always replays.
    """
    cutoffs = [end_of(day) for day in dates]
    actions = Action.objects.live()
    if plans is not None:
        plans = list(plans)
        actions = actions.filter(plan__in=plans)
    if cached and plans != []:
        key = history_key(cutoffs, plans)
        rows = cache.get(key)
        if rows is None:
            rows = rag_spans(actions, cutoffs)
            cache.set(key, rows, HISTORY_CACHE_SECONDS)
    else:
        rows = rag_spans(actions, cutoffs)
    result: dict[int, list[dict[str, int]]] = defaultdict(lambda: [defaultdict(int) for _ in dates])
    for plan_id, first, until, colour, count in rows:
        counts = result[plan_id]
        for index in range(first, until):
            counts[index][colour or NOT_RATED] += count
    return result


def added_up(histories: list[list[dict[str, int]]]) -> list[dict[str, int]]:
    """Return the colour counts of several plans' `brag_history`, added up date by date."""
    totals: list[dict[str, int]] = [defaultdict(int) for _ in (histories[0] if histories else [])]
    for history in histories:
        for total, counts in zip(totals, history, strict=True):
            for colour, count in counts.items():
                total[colour] += count
    return totals
