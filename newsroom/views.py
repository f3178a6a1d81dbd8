"""Site infrastructure: health check, robots.txt, language switch, media files."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django.views.static import serve

from .site import site_url


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Fixed bytes for load balancers (and the benchmark's baseline)."""
    return HttpResponse(b"ok\n", content_type="text/plain")


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
    """Serve an uploaded file when the settings say Django should."""
    if not settings.NEWSROOM_SERVE_MEDIA:
        raise Http404("Không có tệp này.")
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:  # a name too long or otherwise impossible for the disk
        raise Http404("Không có tệp này.") from None
    response["Cache-Control"] = "public, max-age=86400"
    return response
