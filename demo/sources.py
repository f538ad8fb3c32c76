# Quoted and cited wording reads best one sentence to a line.
# ruff: noqa: E501
"""Where the demo's content comes from: the seed documents, each record's source, and the pages' notes.

The demo is a fictional local area ("Demo local area") built from public council documents. Every record
taken from a seed names its document and section and quotes it word for word; everything else (later rating
rounds, action narratives, KPI months, dates the documents do not give) is illustrative and says so.
`load_demo` switches on the "demonstration data" banner by writing the one `DemoDataset` row; a database
where it never ran (production) has no row, so no banner and no notes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models

if TYPE_CHECKING:
    from demo.base import Demo

AREA_NAME = "Demo local area"


@dataclass(frozen=True)
class Document:
    area: str  # the real area the document is about; no record may quote another area's document
    citation: str
    seed: str  # file name in the seeds folder


DOCUMENTS = {
    "thurrock-2017": Document(
        "Thurrock",
        "Thurrock Council, report to the Children's Services Overview and Scrutiny Committee, 10 October 2017, "
        "item 9: Peer Review Special Educational Needs and Disabilities Support across the Local Area",
        "thurrock-2017-peer-review-committee-report.txt",
    ),
    "thurrock-2019": Document(
        "Thurrock",
        "Thurrock Council, report to the Extraordinary Children's Services Overview and Scrutiny Committee, "
        "25 July 2019, item 4: SEND Inspection Outcome – Written Statement of Action",
        "thurrock-2019-wsoa-committee-report.txt",
    ),
    "thurrock-strategy": Document(
        "Thurrock",
        "Thurrock Council, Local Area Special Educational Needs and Disability (SEND) Strategy 2020-23",
        "thurrock-send-strategy-2020-23.txt",
    ),
    "sunderland-2018": Document(
        "Sunderland",
        "Together for Children (Sunderland), SEND update to the Children, Education and Skills Scrutiny "
        "Committee, 2018 (RAG rating, Feb 18 and Mar 18)",
        "sunderland-2018-send-inspection-rag-update.txt",
    ),
}

ILLUSTRATIVE = "Illustrative: generated for the demonstration, not taken from any document."


def citation(document: str, section: str = "") -> str:
    """Return "<document>, <section>" for a page or paper to print."""
    return f"{DOCUMENTS[document].citation}, {section}" if section else DOCUMENTS[document].citation


# The banner's flag, cached so pages pay no query for it (one query a minute per process at most).
CACHE_KEY = "demo.dataset"
CACHE_SECONDS = 60


def current() -> dict | None:
    """Return {"area_name", "as_of"} when this database holds demonstration data, else None."""
    cached = cache.get(CACHE_KEY)
    if cached is None:
        from demo.models import DemoDataset

        row = DemoDataset.objects.filter(pk=1).values("area_name", "as_of").first()
        cached = row or {}
        cache.set(CACHE_KEY, cached, CACHE_SECONDS)
    return cached or None


def forget() -> None:
    """Drop the cached flag (after loading, or in tests)."""
    cache.delete(CACHE_KEY)


def switch_on(demo: Demo) -> None:
    """Write the flag row; the as-of date and load time are those of the first run, like the live dates."""
    from demo.base import ensure
    from demo.models import DemoDataset

    ensure(
        DemoDataset,
        {"pk": 1},
        {"area_name": AREA_NAME},
        on_create={"as_of": demo.today, "loaded_at": demo.now},
    )
    forget()


def sync(demo: Demo) -> None:
    """Record every demo record's source (collected by the builders); write only what differs."""
    from demo.models import DemoSource

    wanted: dict[tuple[int, int], dict] = {}
    for record, document, section, illustrative, note in demo.sources:
        if document and document not in DOCUMENTS:
            raise ValueError(f"Unknown seed document {document!r}.")
        content_type = ContentType.objects.get_for_model(record)
        wanted[(content_type.pk, record.pk)] = {
            "document": document,
            "section": section,
            "illustrative": illustrative,
            "note": note,
        }
    existing = {(row.content_type_id, row.object_id): row for row in DemoSource.objects.all()}
    DemoSource.objects.bulk_create(
        [
            DemoSource(content_type_id=ct, object_id=pk, **values)
            for (ct, pk), values in wanted.items()
            if (ct, pk) not in existing
        ]
    )
    changed = []
    for key, row in existing.items():
        values = wanted.get(key)
        if values and any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    if changed:
        DemoSource.objects.bulk_update(changed, ["document", "section", "illustrative", "note"])


def source_of(record: models.Model):
    """Return the DemoSource of a record, or None."""
    from demo.models import DemoSource

    return DemoSource.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).first()


# Notes for the review, plan and framework pages, by the record's natural key. Built from the content
# modules (imported late: they import this one).
def _key(record: models.Model) -> tuple | None:
    label = record._meta.label
    if label == "inspections.Review":
        return ("review", record.kind, record.start_date)
    if label == "actions.Plan":
        return ("plan", record.title)
    if label == "inspections.Framework":
        return ("framework", record.name, record.year)
    return None


@functools.cache
def _notes() -> dict[tuple, str]:
    from demo import framework, improvement, inspection, peer_review, strategy, wsoa

    notes: dict[tuple, str] = {}
    for module in (framework, inspection, peer_review, strategy, wsoa, improvement):
        notes.update(module.PAGE_NOTES)
    return notes


def page_note(record: models.Model | None) -> str:
    """Return the data-source note for a review, plan or framework page ("" if not a demo record)."""
    key = _key(record) if record is not None else None
    return _notes().get(key, "") if key else ""
