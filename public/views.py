"""The public progress pages: read only the published snapshot, never the live records."""

from __future__ import annotations

import datetime

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.http import quote_etag
from django.views.decorators.http import condition

from public.models import Publication
from public.serving import public_page
from public.snapshot import suppression_threshold
from reports.charts import LineSeries
from reports.line_charts import line_chart
from reports.models import PublishedVersion


def _publication(plan: int) -> Publication:
    """The plan's publication as last published (404 if never published)."""
    publication = (
        Publication.objects.filter(plan_id=plan, published_at__isnull=False)
        .only("pk", "plan_id", "snapshot", "published_at", "withdrawn_at")
        .first()
    )
    if publication is None:
        raise Http404("This plan has no public page.")
    return publication


def _etag(request: HttpRequest, plan: int, **kwargs) -> str | None:
    row = Publication.objects.filter(plan_id=plan).values_list("published_at", "withdrawn_at").first()
    if row is None:
        return None
    return quote_etag(f"{plan}-{row[0]}-{row[1]}-{request.GET.get('text', '')}-{request.path}")


def _render(
    request: HttpRequest, template: str, context: dict, *, status: int = 200, **kwargs
) -> HttpResponse:
    # Rendered without the request, so no context processor can touch the session or the CSRF token.
    large = request.GET.get("text") == "large"
    html = render_to_string(template, {**context, "large_text": large, "path": request.path})
    return HttpResponse(html, status=status, **kwargs)


def _gone(request: HttpRequest) -> HttpResponse:
    return _render(request, "public/gone.html", {}, status=410)


@public_page
def index(request: HttpRequest) -> HttpResponse:
    publications = (
        Publication.objects.filter(published_at__isnull=False, withdrawn_at__isnull=True)
        .only("plan_id", "snapshot", "published_at")
        .order_by("plan__title")
    )
    return _render(request, "public/index.html", {"publications": publications})


@public_page
@condition(etag_func=_etag)
def progress(request: HttpRequest, plan: int) -> HttpResponse:
    publication = _publication(plan)
    if not publication.is_live:
        return _gone(request)
    snapshot = publication.snapshot
    return _render(
        request,
        "public/progress.html",
        {
            "page": snapshot,
            "published_at": publication.published_at,
            "measures": [_with_chart(index, measure) for index, measure in enumerate(snapshot["measures"])],
            "threshold": suppression_threshold(),
        },
    )


def _with_chart(index: int, measure: dict) -> dict:
    points = [
        (datetime.date.fromisoformat(point["period_end"]), point["value"])
        for point in measure["points"]
        if point["value"] is not None
    ]
    chart = None
    if len(points) > 1:
        chart = line_chart(
            f"public-measure-{index}",
            measure["name"],
            [LineSeries(measure["name"], points)],
            summary=f"{measure['name']}: {len(points)} values shown. {measure['better']}.",
        )
    return {**measure, "chart": chart}


@public_page
@condition(etag_func=_etag)
def embed(request: HttpRequest, plan: int) -> HttpResponse:
    """An HTML fragment without scripts for the council's Local Offer site to include."""
    publication = _publication(plan)
    if not publication.is_live:
        return _gone(request)
    return _render(
        request,
        "public/embed.html",
        {
            "page": publication.snapshot,
            "published_at": publication.published_at,
            "page_url": request.build_absolute_uri(reverse("public:progress", args=[plan])),
        },
    )


@public_page
@condition(etag_func=_etag)
def feed(request: HttpRequest, plan: int) -> HttpResponse:
    """An Atom feed: one entry per priority of the published page, dated with its last update."""
    publication = _publication(plan)
    if not publication.is_live:
        return _gone(request)
    page = publication.snapshot
    page_url = request.build_absolute_uri(reverse("public:progress", args=[plan]))
    atom = feedgenerator.Atom1Feed(
        title=f"{page['title']}: progress",
        link=page_url,
        description=page["purpose"],
        language="en-GB",
        feed_url=request.build_absolute_uri(),
    )
    for priority in page["priorities"]:
        updated = publication.published_at
        atom.add_item(
            title=f"{priority['number']}. {priority['title']}: {priority['state']}",
            link=f"{page_url}#priority-{priority['number']}",
            description="\n\n".join(part for part in (priority["done"], priority["next_steps"]) if part),
            unique_id=f"{page_url}#priority-{priority['number']}/{publication.published_at.isoformat()}",
            updateddate=updated,
            pubdate=updated,
        )
    return HttpResponse(atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


@public_page
def paper(request: HttpRequest, plan: int, version: int) -> HttpResponse:
    """A published committee paper the public page links to (exempt papers are never in the snapshot)."""
    publication = _publication(plan)
    if not publication.is_live:
        return _gone(request)
    if version not in {paper["version_id"] for paper in publication.snapshot["papers"]}:
        raise Http404("That paper is not on this page.")
    published = PublishedVersion.objects.get(pk=version)
    return FileResponse(
        iter([published.read_verified_pdf()]),
        content_type="application/pdf",
        filename=f"committee-paper-{published.paper_id}-v{published.number}.pdf",
    )
