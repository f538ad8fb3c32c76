"""The "demonstration data" banner and the pages' data-source notes; both show only where `load_demo` ran.

Core's `{% page_banner %}` and `{% source_note %}` ask the installed apps for them (DemoConfig), so no
template loads anything of the demo's and a deployment without the demo app renders every page.
"""

from __future__ import annotations

from django.utils.html import format_html

from demo import sources


def banner() -> str:
    """Say on every page that this is demonstration data about a fictional area (no query: cached flag)."""
    dataset = sources.current()
    if dataset is None:
        return ""
    return format_html(
        '<div class="demo-banner" role="region" aria-label="Demonstration data">'
        '<p class="demo-banner__text"><strong class="tag tag--demo">Demonstration data</strong> '
        "{} is a fictional local area built from public council documents. Wording quoted from a document "
        "names its source; everything else is illustrative. The story stands as of {}.</p></div>",
        dataset["area_name"],
        f"{dataset['as_of']:%-d %B %Y}",
    )


def source_note(record) -> str:
    """Say where a demo review's, plan's or framework's content comes from; nothing outside the demo."""
    if sources.current() is None:
        return ""
    note = sources.page_note(record)
    if not note:
        return ""
    return format_html(
        '<aside class="demo-source" aria-label="Data source"><h2 class="demo-source__title">Data source</h2>'
        '<p class="demo-source__text">{}</p></aside>',
        note,
    )
