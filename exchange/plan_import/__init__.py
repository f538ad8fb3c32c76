"""Import an action plan: preview every row's create/update and every problem, then write all or nothing.

`reading` finds the header row, the columns and what cells mean; `rows` checks every row against the
database and builds the preview (writing nothing); `applying` writes a clean preview in one transaction
through the models' own write paths. Actions are matched on plan + reference (numbered within each
priority when the file has none), so importing the same file again changes nothing.
"""

from __future__ import annotations

from exchange.plan_import.applying import ImportAborted, apply_preview
from exchange.plan_import.preview import build_preview, header_index
from exchange.plan_import.reading import COLUMN_LABELS, COLUMNS, clean_mapping, guess_mapping, lead_key
from exchange.plan_import.rows import Layout, Preview, Problem

__all__ = [
    "COLUMNS",
    "COLUMN_LABELS",
    "ImportAborted",
    "Layout",
    "Preview",
    "Problem",
    "apply_preview",
    "build_preview",
    "clean_mapping",
    "guess_mapping",
    "header_index",
    "lead_key",
]
