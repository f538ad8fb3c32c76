"""Private data stays out of caches and search engines; pages are compressed; static files cache for long."""

from __future__ import annotations

import gzip
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import FileResponse, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.views.decorators.cache import cache_control

from core.privacy_headers import PrivacyHeadersMiddleware
from tests.factories import make_action

PRIVATE = "private, no-store"
NOINDEX = "noindex, nofollow"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def action(officer):
    return make_action(leads=[officer])


def assert_private(response) -> None:
    assert response["Cache-Control"] == PRIVATE
    assert response["X-Robots-Tag"] == NOINDEX


@pytest.mark.parametrize("role", ["officer", "plan_lead", "scrutiny_member", "administrator"])
def test_every_signed_in_page_is_private_and_not_indexed(role, request, action):
    client = Client()
    client.force_login(request.getfixturevalue(role))
    paths = [
        reverse("home"),
        reverse("actions:list"),
        reverse("actions:list") + "?status=not_started&per_page=10",
        reverse("actions:mine"),
        reverse("actions:detail", args=[action.pk]),
        reverse("actions:update", args=[action.pk]),  # 403 for some roles: still private
        "/no-such-page/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 302, 403, 404), path
        assert_private(response)


def test_htmx_fragments_and_saves_are_private(officer, action):
    client = Client()
    client.force_login(officer)
    htmx = {"HX-Request": "true"}
    fragment = client.get(reverse("actions:row", args=[action.pk]), headers=htmx)
    table = client.get(reverse("actions:list"), headers=htmx)
    refused = client.post(reverse("actions:update", args=[action.pk]), {}, headers=htmx)
    assert (fragment.status_code, table.status_code) == (200, 200)
    assert refused.status_code >= 400
    for response in (fragment, table, refused):
        assert_private(response)


def test_anonymous_pages_and_redirects_are_private_and_not_indexed():
    client = Client()
    login = client.get(reverse("login"))
    to_login = client.get(reverse("actions:list"))
    not_found = client.get("/no-such-page/")
    assert (login.status_code, to_login.status_code, not_found.status_code) == (200, 302, 404)
    for response in (login, to_login, not_found):
        assert_private(response)


def test_signing_out_is_private(officer):
    client = Client()
    client.force_login(officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert_private(response)


@pytest.mark.parametrize("signed_in", [True, False])
def test_a_download_is_private_whatever_its_view_asked_for(signed_in, officer, rf: RequestFactory):
    """Exports and PDFs: a view's own caching is overridden, for anyone who downloads."""

    @cache_control(public=True, max_age=3600)
    def export(request):
        return FileResponse(io.BytesIO(b"ref,action\n1.1,Plan\n"), as_attachment=True, filename="actions.csv")

    request = rf.get("/export/")
    request.user = officer if signed_in else AnonymousUser()
    response = PrivacyHeadersMiddleware(export)(request)
    assert response["Content-Disposition"].startswith("attachment")
    assert_private(response)


def test_a_view_cannot_make_a_signed_in_page_cacheable(officer, rf: RequestFactory):
    @cache_control(public=True, max_age=3600)
    def page(request):
        return HttpResponse("<p>Children's SEND data</p>")

    request = rf.get("/page/")
    request.user = officer
    assert_private(PrivacyHeadersMiddleware(page)(request))


def test_robots_txt_disallows_everything_but_the_public_pages():
    response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"".join(response.streaming_content).decode().split() == [
        "User-agent:",
        "*",
        "Allow:",
        "/public/",
        "Disallow:",
        "/",
    ]
    assert response["X-Robots-Tag"] == NOINDEX


def test_the_favicon_is_served_at_the_site_root():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # the ICO magic number
    assert response["X-Robots-Tag"] == NOINDEX


def test_pages_are_compressed_with_their_length_masked_against_breach(officer, action):
    client = Client()
    client.force_login(officer)
    response = client.get(reverse("actions:detail", args=[action.pk]), headers=GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert 'data-hx-headers=\'{"X-CSRFToken": "' in html
    # Heal The Breach: Django writes a random-length file name into the gzip header, so a page's
    # compressed length no longer tells an attacker how well a guess matched the CSRF token.
    flags = response.content[3]
    assert flags & 0x08, "no FNAME field in the gzip header: the length is not masked"


def test_a_client_that_does_not_accept_gzip_gets_plain_html(officer, action):
    client = Client()
    client.force_login(officer)
    response = client.get(reverse("actions:detail", args=[action.pk]))
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"<!DOCTYPE html>")


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory, django_db_blocker):
    """Collect static files as production does (hashed names, pre-compressed copies) into a scratch root."""
    root = tmp_path_factory.mktemp("static")
    production_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # Our own files only: compressing the admin's hundreds of files would make this the slowest test.
    own_files = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    with override_settings(STATIC_ROOT=root, STORAGES=production_storage, STATICFILES_FINDERS=own_files):
        call_command("collectstatic", "--no-input", verbosity=0)
        yield root


def test_hashed_static_files_are_cached_for_a_long_time_and_served_compressed(collected_static):
    from django.templatetags.static import static

    url = static("css/tracker.css")
    assert re.search(r"/css/tracker\.[0-9a-f]{12}\.css$", url), url
    response = Client().get(url, headers=GZIP)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["X-Robots-Tag"] == NOINDEX
    assert response["Content-Encoding"] in ("gzip", "br")
    icon = Client().get(static("icons/icon.svg"))
    assert icon.status_code == 200
    assert "immutable" in icon["Cache-Control"]
