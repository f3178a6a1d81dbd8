"""Fetching a feed or an image over HTTP: conditional, bounded, one line on failure.

A feed is asked for with the ``ETag`` and ``Last-Modified`` of the last
answer, so an unchanged feed costs a 304 and no parsing. Every request has
a timeout and a size limit; an answer larger than the limit is refused
before it is read whole. Only ``http`` and ``https`` addresses are fetched,
and only redirects to them are followed (the standard library would follow
one to ``ftp://`` as well).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from .base import DraftError

USER_AGENT = "newsroom-feed-reader/1"


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def http_error_302(self, req, fp, code, msg, headers):
        target = urljoin(
            req.full_url, headers.get("Location") or headers.get("URI") or ""
        )
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            fp.close()
            raise DraftError(
                f"{req.full_url[:80]}: chuyển hướng sang {target[:80]!r}, không phải "
                "địa chỉ http(s), không theo"
            )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


@dataclass
class Answer:
    status: int  # 200, or 304 when nothing changed
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int | None = None,
    timeout: float | None = None,
) -> Answer:
    """GET ``url``; raise :class:`DraftError` with a one-line reason on failure."""
    if not url.startswith(("http://", "https://")):
        raise DraftError(f"chỉ đọc địa chỉ http(s): {url[:80]!r}")
    limit = max_bytes or settings.NEWSROOM_FEED_MAX_BYTES
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with _OPENER.open(
            request, timeout=timeout or settings.NEWSROOM_FEED_TIMEOUT
        ) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise DraftError(_too_large(url, limit))
            body = response.read(limit + 1)
            if len(body) > limit:
                raise DraftError(_too_large(url, limit))
            return Answer(
                status=response.status,
                body=body,
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
                content_type=response.headers.get("Content-Type", ""),
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Answer(status=304, etag=etag, last_modified=last_modified)
        raise DraftError(f"{url[:80]}: máy chủ trả lời {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DraftError(f"{url[:80]}: không tải được ({reason})") from None


def _too_large(url: str, limit: int) -> str:
    return f"{url[:80]}: lớn quá {limit // 1024 // 1024} MB, không đọc"
