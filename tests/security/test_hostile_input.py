"""Hostile input through every form and htmx endpoint, as the roles allowed to use them.

What must hold for every payload in tests/security/payloads.py: never a 500; accepted text is stored exactly
as sent; it comes back escaped wherever it is shown (the raw text never appears in the HTML, its escaped form
does); text a field cannot take is refused with a clear 422; the htmx "announce" event is valid JSON.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import Truncator

from actions.filters import ActionFilter
from actions.forms import MAX_NOTE_LENGTH
from actions.models import Action, ActionUpdate, Measure, MeasureValue
from tests.factories import (
    make_action,
    make_organisation,
    make_plan,
    make_priority,
    make_update,
    make_user,
    update_data,
)
from tests.security.payloads import (
    ACCEPTED,
    ALL,
    BIDI,
    HTML,
    NUL,
    OFFSITE_NEXT,
    REJECTED,
    SQL,
    TEMPLATE,
    XSS,
    params,
)

TEXT_FIELDS = ("narrative", "evidence", "rag_reason", "recovery_plan")
# How an update is sent: a plain form post, or htmx from the detail page or from a table row.
MODES = {
    "page": {},
    "htmx-detail": {"context": "detail"},
    "htmx-row": {"context": "row"},
}
HTMX = {"HX-Request": "true"}


@pytest.fixture
def action(officer) -> Action:
    return make_action(leads=[officer])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html_of(response) -> str:
    return response.content.decode()


def assert_escaped(html: str, text: str) -> None:
    """Assert the text is in the page only in its escaped form."""
    assert escape(text) in html
    if escape(text) != text:
        assert text not in html


def assert_not_raw(html: str, text: str) -> None:
    if escape(text) != text:
        assert text not in html


def post_update(client: Client, action: Action, mode: str, **fields):
    data = {**update_data(action), **MODES[mode], **fields}
    headers = HTMX if mode != "page" else {}
    return client.post(reverse("actions:update", args=[action.pk]), data, headers=headers)


def assert_announces(response, action: Action) -> None:
    event = json.loads(response["HX-Trigger"])
    assert list(event) == ["announce"]
    assert event["announce"]["message"].startswith(f"Action {action.reference} updated:")


def state(action: Action) -> tuple:
    return (
        Action.objects.filter(pk=action.pk)
        .values_list("version", "status", "rag_id", "rag_reason", "recovery_plan")
        .get(),
        ActionUpdate.objects.count(),
    )


# The action update form: the four free-text fields.


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("payload", params(ACCEPTED))
def test_update_text_is_stored_verbatim_and_shown_escaped(officer, action, payload, mode):
    client = signed_in(officer)
    response = post_update(client, action, mode, **dict.fromkeys(TEXT_FIELDS, payload))

    if mode == "page":
        assert response.status_code == 302
        assert response["Location"] == reverse("actions:detail", args=[action.pk])
    else:
        assert response.status_code == 200
        assert_announces(response, action)
        if mode == "htmx-detail":  # the fragment shows the new log entry and the current RAG reason
            assert_escaped(html_of(response), payload)
        else:
            assert_not_raw(html_of(response), payload)
    update = ActionUpdate.objects.get(action=action)
    assert (update.narrative, update.evidence) == (payload, payload)
    action.refresh_from_db()
    assert (action.rag_reason, action.recovery_plan) == (payload, payload)

    detail = html_of(client.get(reverse("actions:detail", args=[action.pk])))
    assert_escaped(detail, payload)
    # Narrative, evidence, RAG reason, recovery comment: all four shown, all four escaped.
    assert detail.count(escape(payload)) >= 4


BIDI_CASES = [pytest.param(text, clean, id=id_) for id_, text, clean in BIDI]


@pytest.mark.parametrize(("payload", "stored"), BIDI_CASES)
def test_bidirectional_controls_are_stripped_from_update_text(officer, action, payload, stored):
    client = signed_in(officer)
    response = post_update(client, action, "page", **dict.fromkeys(TEXT_FIELDS, payload))

    assert response.status_code == 302
    update = ActionUpdate.objects.get(action=action)
    assert (update.narrative, update.evidence) == (stored, stored)
    action.refresh_from_db()
    assert (action.rag_reason, action.recovery_plan) == (stored, stored)


@pytest.mark.parametrize("role", ["plan_lead", "administrator"])
@pytest.mark.parametrize("payload", params(ACCEPTED[:3]))
def test_other_roles_that_may_update_get_the_same_treatment(request, role, action, payload):
    client = signed_in(request.getfixturevalue(role))
    response = post_update(client, action, "htmx-detail", narrative=payload)
    assert response.status_code == 200
    assert_announces(response, action)
    assert ActionUpdate.objects.get(action=action).narrative == payload
    assert_escaped(html_of(client.get(reverse("actions:detail", args=[action.pk]))), payload)


# The messages name the field (core.forms): "Progress note must be 5000 characters or fewer".
LABELS = {
    "narrative": "Progress note",
    "evidence": "Evidence of completion",
    "rag_reason": "Reason for the RAG rating",
    "recovery_plan": "Recovery comment",
}


def refusal(name: str, field: str) -> str:
    if name in dict(NUL):
        return "Null characters are not allowed."
    return f"{LABELS[field]} must be {MAX_NOTE_LENGTH} characters or fewer"


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize(("name", "payload"), [pytest.param(n, t, id=n) for n, t in REJECTED])
def test_text_a_field_cannot_take_is_a_clear_422(officer, action, name, payload, field, mode):
    before = state(action)
    response = post_update(signed_in(officer), action, mode, **{field: payload})
    assert response.status_code == 422
    html = html_of(response)
    assert escape(refusal(name, field)) in html
    assert "There is a problem" in html
    assert "HX-Trigger" not in response
    assert_not_raw(html, payload)
    assert state(action) == before


@pytest.mark.parametrize("field", ["version", "status", "rag"])
def test_hostile_hidden_and_choice_fields_are_refused(officer, action, field):
    client = signed_in(officer)
    before = state(action)
    for name, payload in ALL:
        response = post_update(client, action, "htmx-detail", **{field: payload})
        # A version that is a number, just not the current one, is a stale update (409), not a bad one.
        expected = 409 if field == "version" and payload.isdigit() else 422
        assert response.status_code == expected, name
        # ChoiceField repeats the bad value in its error message: escaped like everything else.
        assert_not_raw(html_of(response), payload)
        assert state(action) == before, name


@pytest.mark.parametrize("payload", params(ALL))
def test_a_hostile_context_falls_back_to_the_full_page(officer, action, payload):
    response = post_update(signed_in(officer), action, "htmx-detail", context=payload)
    assert response.status_code == 200
    assert_announces(response, action)
    assert_not_raw(html_of(response), payload)


def test_a_stale_update_shows_the_other_persons_hostile_text_escaped(officer, plan_lead, action):
    loaded = update_data(action)  # the officer opens the form at version 1 …
    payload = '"><img src=x onerror=alert(1)>'
    make_update(action, plan_lead, narrative=payload)  # … and the plan lead saves first
    response = signed_in(officer).post(
        reverse("actions:update", args=[action.pk]), {**loaded, "context": "detail"}, headers=HTMX
    )
    assert response.status_code == 409
    assert_escaped(html_of(response), payload)


@pytest.mark.parametrize(
    "reference",
    ['"}<b>x', "</script><script>", "\u2028\u2029", "ref\\u0022", "🚸 2.1", "{{ 7*7 }}"],
)
def test_the_announce_event_is_valid_json_for_any_reference(officer, reference):
    action = make_action(leads=[officer], reference=reference)
    response = post_update(signed_in(officer), action, "htmx-row")
    assert response.status_code == 200
    event = json.loads(response["HX-Trigger"])
    assert event["announce"]["message"] == f"Action {reference} updated: In progress, At risk."


def test_a_body_that_is_not_utf8_does_not_break_the_form(officer, action):
    body = "&".join(f"{key}={quote(str(value))}" for key, value in update_data(action).items())
    body = body.encode() + b"&narrative=caf%E9+%FF%FE"
    response = signed_in(officer).post(
        reverse("actions:update", args=[action.pk]), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert ActionUpdate.objects.get(action=action).narrative == "caf\ufffd \ufffd\ufffd"


# Where to go next: never off the site.


@pytest.mark.parametrize("target", params(OFFSITE_NEXT))
def test_an_update_never_redirects_off_site(officer, action, target):
    client = signed_in(officer)
    page = client.get(reverse("actions:update", args=[action.pk]), {"next": target})
    assert page.status_code == 200
    assert "evil.example" not in html_of(page)
    assert "javascript:" not in html_of(page)
    response = post_update(client, action, "page", next=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.pk])


@pytest.mark.parametrize("target", params(OFFSITE_NEXT))
def test_signing_in_never_redirects_off_site(officer, target):
    client = Client()
    page = client.get(reverse("login"), {"next": target})
    assert "evil.example" not in html_of(page)
    response = client.post(
        reverse("login"), {"username": officer.username, "password": "a-long-test-password", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_hostile_current_url_header_is_not_reflected(officer, action):
    client = signed_in(officer)
    payload = '"><script>alert(1)</script>'
    for current_url in (f"http://testserver/actions/?q={payload}", "https://evil.example/actions/"):
        headers = {**HTMX, "HX-Current-URL": current_url}
        for response in (
            client.get(reverse("actions:list"), headers=headers),
            client.get(reverse("actions:row", args=[action.pk]), headers=headers),
            post_update(client, action, "htmx-row", version=str(Action.objects.get(pk=action.pk).version)),
        ):
            assert response.status_code == 200
            assert payload not in html_of(response)
            assert "evil.example" not in html_of(response)


# The login form.


def _username_params() -> list:
    return [pytest.param(text, id=name) for name, text in ALL]


@pytest.mark.parametrize("payload", _username_params())
def test_the_login_form_survives_hostile_usernames(settings, officer, payload):
    settings.AXES_ENABLED = True  # as in production: axes records the failure, username and all
    client = Client()
    response = client.post(reverse("login"), {"username": payload, "password": "a-long-test-password"})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    html = html_of(response)
    assert "There is a problem" in html
    if "\x00" in payload:
        assert "Null characters are not allowed." in html
    else:
        assert_escaped(html, payload)


def test_the_login_form_refuses_a_username_longer_than_any_user_can_have(settings, db):
    settings.AXES_ENABLED = True
    response = Client().post(reverse("login"), {"username": "A" * 20_000, "password": "whatever-it-is"})
    assert response.status_code == 200
    assert "Username must be 150 characters or fewer" in html_of(response)
    assert not AccessAttempt.objects.exists()


# The actions list: every GET parameter it reads.

LIST_PARAMETERS = [*ActionFilter.base_filters, "per_page", "sort", "page"]


def test_the_list_parameters_include_those_named_in_the_issue():
    assert {"q", "plan", "not_updated_since"} <= set(LIST_PARAMETERS)


@pytest.fixture
def listed(officer, action) -> list[Action]:
    return [action, make_action(leads=[officer], priority=action.priority)]


# django-tables2 warns about a "." in an unknown sort key before ignoring it; the warning is not a failure.
IGNORE_SORT_WARNING = pytest.mark.filterwarnings(
    "ignore:Use '__' to separate path components:DeprecationWarning"
)


@IGNORE_SORT_WARNING
@pytest.mark.parametrize("parameter", LIST_PARAMETERS)
def test_the_actions_list_survives_hostile_filters(scrutiny_member, listed, parameter):
    client = signed_in(scrutiny_member)
    for name, payload in ALL:
        response = client.get(reverse("actions:list"), {parameter: payload})
        assert response.status_code == 200, name
        assert_not_raw(html_of(response), payload)
        if parameter == "q" and "\x00" not in payload:
            assert escape(payload) in html_of(response), name  # the search box keeps what was typed


@IGNORE_SORT_WARNING
@pytest.mark.parametrize("parameter", ["q", "sort", "page", "not_updated_since"])
def test_the_actions_list_fragment_survives_hostile_filters(scrutiny_member, listed, parameter):
    client = signed_in(scrutiny_member)
    for name, payload in ALL:
        response = client.get(reverse("actions:list"), {parameter: payload}, headers=HTMX)
        assert response.status_code == 200, name
        assert 'id="action-results"' in html_of(response), name
        assert "<html" not in html_of(response), name
        assert_not_raw(html_of(response), payload)


@IGNORE_SORT_WARNING
@pytest.mark.parametrize("parameter", ["sort", "page", "utm_source"])
def test_hostile_filters_are_not_reflected_in_sort_and_page_links(scrutiny_member, officer, parameter):
    first = make_action(leads=[officer])
    for _ in range(10):  # 11 actions, 10 a page: the pagination links are shown
        make_action(leads=[officer], priority=first.priority)
    client = signed_in(scrutiny_member)
    for name, payload in [*XSS, *HTML]:
        # Every link on the page (sort, pages) carries the query string on, unknown parameters too.
        response = client.get(reverse("actions:list"), {"per_page": "10", parameter: payload})
        html = html_of(response)
        assert response.status_code == 200, name
        assert 'rel="next"' in html, name
        assert_not_raw(html, payload)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"plan": "not-a-number"}, "Choose the plan from the list"),
        ({"not_updated_since": "2025-02-30"}, "Not updated since must be a real date"),
        ({"per_page": "abc"}, "2 actions found."),
        ({"sort": "password"}, "2 actions found."),
        ({"page": "abc"}, "2 actions found."),
        ({"q": "%"}, "0 actions found."),
    ],
)
def test_bad_list_filters_are_explained_or_ignored(scrutiny_member, listed, query, shown):
    response = signed_in(scrutiny_member).get(reverse("actions:list"), query)
    assert response.status_code == 200
    assert shown in html_of(response)


@pytest.mark.parametrize("size", ["-1", "0", "3", "100000", "99999999999999999999999999"])
def test_the_page_size_is_one_of_the_sizes_offered(scrutiny_member, listed, size):
    # Only the sizes in the menu: a huge page is a cheap way to load the server, a negative one was a 500.
    response = signed_in(scrutiny_member).get(reverse("actions:list"), {"per_page": size})
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == 25


def test_a_query_string_that_is_not_utf8_does_not_break_the_list(scrutiny_member, listed):
    response = signed_in(scrutiny_member).get(f"{reverse('actions:list')}?q=caf%E9%FF&sort=%FE")
    assert response.status_code == 200


def test_hostile_path_segments_are_not_found(officer):
    client = signed_in(officer)
    for name, payload in ALL:
        response = client.get(f"/actions/{quote(payload, safe='')}/")
        assert response.status_code == 404, name
        assert_not_raw(html_of(response), payload)


# Text that reaches the pages another way (the admin site, imports): escaped on every page that shows it.


@pytest.mark.parametrize("payload", params(ACCEPTED))
def test_stored_hostile_text_is_escaped_on_every_page(officer, payload):
    plan = make_plan(title=payload)
    priority = make_priority(plan, title=payload)
    lead = make_user(first_name=payload, last_name="")
    action = make_action(priority, leads=[officer, lead], description=payload, success_measure=payload)
    action.lead_organisations.add(make_organisation(name=payload))
    make_update(action, lead, status=Action.Status.IN_PROGRESS)  # a change by them on the overview
    make_plan(title="Another plan")  # the overview and trends draw the plans' chart across plans
    client = signed_in(officer)
    pages = {
        # The dashboards build their tables in Python (reports/dashboard_tables.py).
        "overview": client.get(reverse("reports:overview")),
        "plan dashboard": client.get(reverse("reports:plan", args=[plan.pk])),
        "trends": client.get(reverse("reports:trends")),
        "list": client.get(reverse("actions:list")),
        "list fragment": client.get(reverse("actions:list"), headers=HTMX),
        "mine": client.get(reverse("actions:mine")),
        "detail": client.get(reverse("actions:detail", args=[action.pk])),
        "row": client.get(reverse("actions:row", args=[action.pk]), headers=HTMX),
        "update page": client.get(reverse("actions:update", args=[action.pk])),
        "update row": client.get(
            reverse("actions:update", args=[action.pk]), {"context": "row"}, headers=HTMX
        ),
    }
    for page, response in pages.items():
        assert response.status_code == 200, page
        html = html_of(response)
        assert_not_raw(html, payload)
        if page == "update row":  # shows only the description, through truncatewords
            assert escape(Truncator(payload).words(12, truncate=" …")) in html
        else:
            assert escape(payload) in html, page


@pytest.mark.parametrize("payload", params(ACCEPTED))
def test_hostile_kpi_text_is_escaped_on_the_kpi_page(scrutiny_member, payload):
    """The KPI page's chart data tables are built in Python (reports/dashboard_tables.chart_data_rows)."""
    measure = Measure.objects.create(name=payload, plan=make_plan(), higher_is_better=True, source=payload)
    MeasureValue.objects.create(
        measure=measure,
        period_end=datetime.date(2025, 3, 31),
        value=Decimal("48.5"),
        national=Decimal("50"),
        national_period=payload,
        national_source=payload,
    )

    response = signed_in(scrutiny_member).get(reverse("reports:kpis"))

    assert response.status_code == 200
    html = html_of(response)
    assert_not_raw(html, payload)
    assert f"<td>50 ({escape(payload)})</td>" in html  # the national figure's cell in the data table
    assert '<th scope="row">Mar 2025</th>' in html


# Committee papers: hostile text in every part of a paper, in the preview and in the PDF.

PAPER_VERBATIM = [*XSS, *HTML, *SQL, *TEMPLATE]


@pytest.fixture
def counting_server():
    """A local HTTP server on 127.0.0.1 that counts every request it gets."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_committee_paper_shows_hostile_text_as_text_and_fetches_nothing(plan_lead, counting_server):
    import io

    from pypdf import PdfReader

    from reports.models import BackgroundPaper, Implication, SignOff
    from reports.models import Section as PaperSection
    from reports.papers.render import render_paper_pdf
    from reports.papers.snapshot import build_snapshot
    from tests.factories import make_paper

    origin, hits = counting_server
    fetching = [
        f'<img src="{origin}/img.png">',
        f'<link rel="stylesheet" href="{origin}/style.css">',
        f"<style>body {{ background: url({origin}/css-bg.png) }}</style>",
        f'<div style="background-image: url({origin}/inline.png)">x</div>',
        '<img src="file:///etc/passwd">',
        f"url({origin}/plain-text-url.png)",
    ]
    # 2,000 characters without a break: wraps over many lines (a longer one would cross a page, and the
    # running header would land inside it in the extracted text).
    long_word = "Supercalifragilistic" * 100
    long_paragraph = ("The local area reviewed every plan. " * 300)[:10_000]
    paper = make_paper(
        title=f"Hostile <script>alert(1)</script> {long_word[:200]}",
        author_name='"><img src=x onerror=alert(1)>',
        report_of=fetching[0],
        executive_summary="\n\n".join([long_word, long_paragraph, *fetching]),
    )
    for order, (_name, payload) in enumerate(ACCEPTED, start=10):
        PaperSection.objects.create(
            paper=paper, kind=PaperSection.Kind.OTHER, heading=payload, body=payload, order=order
        )
    Implication.objects.create(
        paper=paper, kind=Implication.Kind.LEGAL, body=XSS[0][1], verified_by_name=XSS[1][1], order=1
    )
    SignOff.objects.create(paper=paper, role=HTML[2][1], name=XSS[2][1], signed_on=datetime.date(2030, 1, 2))
    BackgroundPaper.objects.create(paper=paper, title=XSS[3][1], location=fetching[4])

    preview = html_of(signed_in(plan_lead).get(reverse("papers:detail", args=[paper.pk])))
    # No markup gets through. (Quotes in body text come back from nh3 unescaped: harmless outside attributes.)
    for _name, payload in [*ACCEPTED, *[(None, f) for f in fetching]]:
        if "<" in payload or ">" in payload:
            assert payload not in preview
    for _name, payload in PAPER_VERBATIM:
        assert escape(payload) in preview

    rendered = render_paper_pdf(build_snapshot(paper))
    # pypdf reads the two-byte codes of a font subset with over 255 glyphs as UTF-16 with NULs: drop them.
    text = "".join(
        "".join(page.extract_text().replace("\x00", "").split())
        for page in PdfReader(io.BytesIO(rendered.data)).pages
    )
    for name, payload in PAPER_VERBATIM:
        assert "".join(payload.split()) in text, name
    # Broken across lines (pypdf marks some breaks with control characters), but all there.
    assert long_word in "".join(ch for ch in text if ch.isalpha())
    assert hits == []
    assert rendered.page_count > 2


def test_the_pdf_url_fetcher_blocks_http_and_file_urls(counting_server):
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from reports.papers.render import html_to_pdf

    origin, hits = counting_server
    html = f"""<!DOCTYPE html><html lang="en-GB"><head><title>t</title>
      <link rel="stylesheet" href="{origin}/style.css">
      <link rel="stylesheet" href="/static/css/paper.css">
      <style>@import url({origin}/import.css); body {{ background: url({origin}/bg.png) }}</style></head>
      <body><img src="{origin}/img.png" alt=""><img src="file:///etc/passwd" alt="">
      <img src="https://evil.example/x.png" alt=""><p>Text</p></body></html>"""
    rendered = html_to_pdf(html)
    assert hits == []
    assert rendered.page_count == 1
    assert f"{origin}/img.png" in rendered.blocked
    assert "file:///etc/passwd" in rendered.blocked
    assert "https://send-tracker.invalid/static/css/paper.css" not in rendered.blocked

    # The same document with WeasyPrint's own fetcher does reach the server: the counter works.
    HTML(string=html, url_fetcher=URLFetcher(timeout=2)).write_pdf()
    assert "/img.png" in hits


def test_bidirectional_controls_are_stripped_from_text_saved_any_other_way(db):
    # The admin's forms, the demo loader and the shell all save through the model.
    from inspections.models import Finding
    from tests.factories import make_finding

    finding = make_finding(text="Quality assurance is \u202eweak\u202c.")
    finding.refresh_from_db()
    assert finding.text == "Quality assurance is weak."
    assert Finding.history.filter(id=finding.pk).latest().text == "Quality assurance is weak."
