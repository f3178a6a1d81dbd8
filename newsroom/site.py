"""Absolute URLs of the site: the one function that builds them."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def site_url(
    request: HttpRequest | None, path: str = "/", base: str | None = None
) -> str:
    """Return the absolute URL of ``path`` on this site.

    ``NEWSROOM_SITE_URL`` when it is set, so that canonical links, JSON-LD,
    feeds, enclosures, sitemaps and robots.txt say the same whatever ``Host``
    a request came with; else the request's own scheme and host. A ``path``
    that is already absolute (media on object storage or a CDN) is kept.
    ``base`` stands for the setting where there is no request (an export).
    """
    base = (base or settings.NEWSROOM_SITE_URL).rstrip("/")
    if not base:
        base = f"{request.scheme}://{request.get_host()}"
    if path.startswith("//"):
        return f"{base.split('//', 1)[0]}{path}"
    if urlsplit(path).scheme:
        return path
    return f"{base}{path}"
