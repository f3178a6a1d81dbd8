"""Site infrastructure: health checks, robots.txt, language switch, media files,
and the error page of a site whose database is away."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import get_template
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django.views.static import serve

from . import faults
from .site import site_url

logger = logging.getLogger(__name__)


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Fixed bytes for load balancers (and the benchmark's baseline)."""
    return HttpResponse(b"ok\n", content_type="text/plain")


@require_GET
def ready(request: HttpRequest) -> HttpResponse:
    """Readiness: the database and the cache, each on a line of its own.

    503 when the database cannot answer (a load balancer then sends readers
    elsewhere); the cache being away is reported but does not stop the
    site, which serves uncached pages meanwhile.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError as exc:
        logger.error("cơ sở dữ liệu không trả lời: %s", exc)
        faults.database_is_down()
        database = "lỗi"
    try:
        cache.set("newsroom:ready", 1, 10)
        cached = "ok" if cache.get("newsroom:ready") == 1 else "lỗi"
    except Exception:  # a cache backend that does not fail open
        cached = "lỗi"
    body = f"co-so-du-lieu: {database}\nbo-nho-dem: {cached}\n"
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response.status_code = 200 if database == "ok" else 503
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; a database that cannot be reached is a 503 instead.

    Rendered without the request's context: the menu comes from the
    database, which may be the very thing that failed.
    """
    failure = sys.exc_info()[1]
    # The database being away (a refused or lost connection, a pool that
    # times out), not a query it refused: that is a bug, and a 500.
    if isinstance(failure, OperationalError | InterfaceError):
        logger.error("cơ sở dữ liệu không trả lời: %s", failure)
        faults.database_is_down()
        return faults.unavailable()
    response = HttpResponse(get_template("500.html").render(), status=500)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    if settings.NEWSROOM_ADMIN_PATH == "admin/":
        lines.append("Disallow: /admin/")  # a moved admin is not advertised
    lines += [
        "Disallow: /tim-kiem/",
        f"Sitemap: {site_url(request, '/sitemap.xml')}",
        f"Sitemap: {site_url(request, '/sitemap-news.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them the icon."""
    from django.http import HttpResponsePermanentRedirect

    from .brand import favicon_url

    return HttpResponsePermanentRedirect(favicon_url())


def set_language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the reader's language with a plain link (no form, no CSRF cookie,
    so public pages stay cacheable), then go back where they were."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("Không có ngôn ngữ này.")
    target = request.GET.get("next", "/")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
    )
    return response


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Serve an uploaded file when the settings say Django should.

    Readers get the files of photos that a published story shows; staff
    (who preview drafts) get every file, privately.
    """
    from articles.photos.privacy import is_public

    if not settings.NEWSROOM_SERVE_MEDIA:
        raise Http404("Không có tệp này.")
    staff = request.user.is_authenticated and request.user.is_staff
    if not staff and not is_public(path):
        raise Http404("Không có tệp này.")
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:  # a name too long or otherwise impossible for the disk
        raise Http404("Không có tệp này.") from None
    response["Cache-Control"] = (
        "private, no-cache" if staff else "public, max-age=86400"
    )
    return response
