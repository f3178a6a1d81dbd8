"""Whole-page caching of the reader site, for anonymous readers.

A page is cached under the current *content generation*; any committed
change to what pages show (an article, photo, section, author or tag saved,
published, unpublished or deleted, an import) moves the generation on, so
every cached page is dropped at once. The generation moves after the
COMMIT (:func:`content_changed`), never inside the transaction. A page lives at most ``NEWSROOM_PAGE_CACHE_SECONDS``
(60 s), so a story scheduled for later appears within a minute of its time.

Where the generation lives: with a shared cache (Redis) in the cache itself,
shared by every app server; with the local-memory cache, in the timestamp of
a file beside the database, shared by every worker of this machine (a stat,
no query).

The middleware sits first, before sessions and authentication, so a cached
page costs no query at all. A page is keyed by the site's address (scheme
and host, as its links), its path, its language and the parameters pages
read (``q``, ``trang``); any other parameter is dropped before the view, so
``?utm_source=…`` or a random cache-buster is served from the cache. Staff
(a session that exists) always get fresh, private pages; a made-up session
cookie is a reader like any other. Stored pages say ``Cache-Control: public``
with the cache lifetime and as long again of ``stale-while-revalidate``. Responses carry an ETag; a matching ``If-None-Match`` (or
``If-Modified-Since`` against ``Last-Modified``) gets 304.

Stored pages are compressed once, when stored: Brotli for browsers that
accept it, gzip for the others, as they are for the rest; a hit sends the
stored bytes of the reader's encoding, with ``Vary: Accept-Encoding`` and
an ETag per encoding. Only these public pages are compressed: a page with
a form token or a session (staff, the admin) never is, so a BREACH-style
guess at a secret through compressed sizes has nothing to find.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import os
import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

from .language import chosen_language
from .site import site_url

logger = logging.getLogger(__name__)

GENERATION_KEY = "articles:generation"
# Never cached: files, the language switch, and the health checks (a load
# balancer asks whether this process answers, not what it answered before).
# /tin-nong.json has its own five-second cache: a page cache would keep the
# banner past its expiry.
SKIP_PREFIXES = (
    "/toa-soan/", "/media/", "/static/", "/i18n/", "/suc-khoe/", "/tin-nong.json",
)  # fmt: skip


def _shared() -> bool:
    backend = settings.CACHES["default"]["BACKEND"]
    return "locmem" not in backend and "dummy" not in backend


def _generation_file() -> Path:
    name = settings.NEWSROOM_GENERATION_FILE
    if _path_memo[0] != name:  # a Path per request cost more than the stat
        _path_memo[:] = [name, Path(name)]
    return _path_memo[1]


_path_memo: list = [None, None]


# One request asks for the generation many times (the page, its cards, the
# side column): it is read once per request (a Redis GET, or a stat) and kept
# here until the request ends or a bump moves it.
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "generation_memo", default=None
)


def generation() -> str | None:
    """Return the current content generation, or ``None`` when it is unknown.

    Unknown means the shared cache cannot be reached: then nothing is read
    from or written to the cache (pages are built fresh). When the time of
    the next timed change has come (a scheduled story's or an embargo's
    publication, a front-page pin's end), the generation moves first: what
    readers see changes at its time, not when caches expire.
    """
    memo = _request_memo.get()
    if memo is not None and "value" in memo:
        return memo["value"]
    value = _read_generation()
    if value is not None and _timed_change_due(value):
        bump()
        value = _read_generation()
    if memo is not None and value is not None:
        memo["value"] = value
    return value


# The next time at which published content changes by itself, per generation.
NEXT_CHANGE_KEY = "articles:next-change"
# Hook: returns that time (a timestamp) or None; set by the articles app.
next_timed_change = None


def _timed_change_due(current: str) -> bool:
    """Whether the next timed change of this generation has come.

    Its time is asked once per generation and process (one query), then
    kept in the cache beside it.
    """
    if next_timed_change is None:
        return False
    # The time is fixed for a generation: this process keeps the last one's.
    if _next_memo[0] == current:
        when = _next_memo[1]
        return bool(when) and time.time() >= when
    key = f"{NEXT_CHANGE_KEY}:{current}"
    when = cache.get(key)
    if when is None:
        try:
            found = next_timed_change()
        except DatabaseError:
            # The database is away: the view answers for it (newsroom.faults);
            # the time is asked again on the next request.
            return False
        when = found if found is not None else 0
        cache.set(key, when, settings.NEWSROOM_PAGE_CACHE_SECONDS * 10 or 3600)
    _next_memo[:] = [current, when]
    return bool(when) and time.time() >= when


_next_memo: list = [None, None]


def forget() -> None:
    """Forget what this process remembers of the current generation (tests:
    their changes are never committed, so the generation does not move)."""
    _next_memo[:] = [None, None]
    for memo in _process_memos:
        memo.clear()


_process_memos: list[dict] = []


def process_memo() -> dict:
    """A dict this process keeps across requests for values of one
    generation (its user puts the generation in the keys); :func:`forget`
    empties it with the rest."""
    memo: dict = {}
    _process_memos.append(memo)
    return memo


def _read_generation() -> str | None:
    if _shared():
        value = cache.get(GENERATION_KEY)
        if value is None:
            # Start from the clock so that a lost counter never repeats old values.
            cache.add(GENERATION_KEY, time.time_ns(), None)
            value = cache.get(GENERATION_KEY)
        return None if value is None else str(value)
    try:
        return str(os.stat(_generation_file()).st_mtime_ns)
    except FileNotFoundError:
        bump()
        return str(os.stat(_generation_file()).st_mtime_ns)


def bump() -> None:
    """Drop every cached page: the content readers see has changed."""
    memo = _request_memo.get()
    if memo is not None:
        memo.pop("value", None)
    if _shared():
        try:
            cache.incr(GENERATION_KEY)  # atomic: two servers' bumps both count
        except ValueError:
            cache.add(GENERATION_KEY, time.time_ns(), None)
        return
    path = _generation_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    now = time.time_ns()
    try:
        # Never go back in time: two bumps in the same clock tick still differ.
        now = max(now, os.stat(path).st_mtime_ns + 1)
    except FileNotFoundError:
        pass
    path.touch()
    os.utime(path, ns=(now, now))


def content_changed(using: str | None = None) -> None:
    """Drop every cached page once the current transaction commits.

    Inside a transaction a reader may still be served the old rows until the
    COMMIT; moving the generation before then would let that reader cache
    the old page under the new generation. So the bump waits for the commit
    (and never happens if the transaction rolls back); outside a
    transaction it happens at once. A bump is one Redis INCR or one file
    timestamp, so a transaction that changes several rows may bump several
    times rather than keep track.
    """
    transaction.on_commit(bump, using=using)


# The query parameters a public page reads; every other one (utm_*, fbclid,
# random cache-busters) is dropped before the view sees the request, so it
# can neither change the page nor make a new cache entry.
# The search page's filters (section, from and to dates), and the sitemaps'
# page number (``p``, Django's name for it).
PAGE_PARAMETERS = ("q", "trang", "chuyen-muc", "tu", "den", "p")


def _candidate(request: HttpRequest) -> bool:
    return (
        settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(SKIP_PREFIXES)
        and not request.path.startswith(f"/{settings.NEWSROOM_ADMIN_PATH}")
        # First in the chain, before SecurityMiddleware: a plain-HTTP request
        # it would redirect to HTTPS is left to it.
        and not (settings.SECURE_SSL_REDIRECT and not request.is_secure())
    )


def _has_session(request: HttpRequest) -> bool:
    """Whether the request carries a session that exists (staff signed in).

    A made-up ``sessionid`` is served from the cache like any reader; only
    a real one costs the lookup.
    """
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore
    try:
        return store().exists(key)
    except Exception:  # a session store that is down: treat as a reader
        logger.warning("session store unavailable; serving the cached page")
        return False


def _keep_page_parameters(request: HttpRequest) -> str:
    """Drop the query parameters pages do not read; return the canonical query."""
    if not request.META.get("QUERY_STRING"):
        return ""
    kept = QueryDict(mutable=True)
    for name in PAGE_PARAMETERS:
        if name in request.GET:
            kept[name] = request.GET[name]
    query = kept.urlencode()
    request.GET = kept
    request.META["QUERY_STRING"] = query
    return query


def _site_base(request: HttpRequest) -> str:
    """``site_url(request, "")``, remembered per scheme and ``Host`` header:
    the same answer every time, without checking the host again."""
    raw = (request.scheme, request.META.get("HTTP_HOST", ""))
    base = _bases.get(raw)
    if base is None:
        base = site_url(request, "")  # raises for a host not allowed
        if len(_bases) < 64:
            _bases[raw] = base
    return base


_bases: dict = {}


@receiver(setting_changed)
def _forget_bases(setting: str, **kwargs) -> None:
    if setting in ("NEWSROOM_SITE_URL", "ALLOWED_HOSTS", "NEWSROOM_GENERATION_FILE"):
        _bases.clear()


def _key(request: HttpRequest, query: str, current: str) -> str:
    language = chosen_language(request)
    # The site's own address (NEWSROOM_SITE_URL, else the scheme and the
    # allowed host the request came with) is what links on the page start
    # with, so one host's page is never served under another's.
    page = f"{_site_base(request)}{request.path}?{query}"
    digest = hashlib.sha1(page.encode()).hexdigest()
    # The time slot is in the key as well as in the entry's lifetime, so that
    # by the app's own clock no page outlives its slot (a story scheduled for
    # 10:00 is on every page by 10:01), whatever the cache server's clock does.
    slot = int(time.time() // settings.NEWSROOM_PAGE_CACHE_SECONDS)
    return f"page2:{current}:{slot}:{language}:{digest}"


class PageCacheMiddleware:
    """Serve and store whole public pages for anonymous readers."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_memo.set({})
        try:
            return self._serve(request)
        finally:
            _request_memo.reset(token)

    def _serve(self, request: HttpRequest) -> HttpResponse:
        if not _candidate(request):
            return self.get_response(request)
        if _has_session(request):
            response = self.get_response(request)
            # A signed-in page is for its user alone, and always fresh.
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        query = _keep_page_parameters(request)
        current = generation()
        if current is None:  # the cache is away: serve the page fresh
            return self.get_response(request)
        key = _key(request, query, current)
        stored = cache.get(key)
        if stored is not None:
            variants, status, headers, modified = stored
            response = _encoded(request, variants, status, headers)
            return _conditional(request, response, modified)
        response = self.get_response(request)
        if self._storable(response):
            if not response.has_header("ETag"):
                set_response_etag(response)
            seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
            patch_cache_control(
                response, public=True, max_age=seconds, stale_while_revalidate=seconds
            )
            patch_vary_headers(response, ("Accept-Encoding",))
            # The headers as Django keeps them (checked once, here): a hit
            # copies them instead of checking each one again.
            headers = {
                k.lower(): (k, v)
                for k, v in response.items()
                if k.lower() not in ("set-cookie", "content-length")
            }
            headers["x-page-cache"] = ("X-Page-Cache", "hit")
            variants = _compressed(response.content, response.get("Content-Type", ""))
            modified = _last_modified(response)
            entry = (variants, response.status_code, headers, modified)
            cache.set(key, entry, seconds)
            response = _encoded(request, variants, response.status_code, headers)
            response["X-Page-Cache"] = "miss"
            return _conditional(request, response, modified)
        return _conditional(request, response)

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        return (
            response.status_code in (200, 301, 404)
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-cache" not in response.get("Cache-Control", "")
        )


# Text worth compressing, and the least size for which it pays.
_COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml",
                 "application/atom+xml", "application/json", "application/ld+json")  # fmt: skip
_MIN_BYTES = 512


def _compressed(content: bytes, content_type: str) -> dict[str, bytes]:
    """Return the page's bytes per encoding: as it is, and Brotli and gzip."""
    variants = {"identity": content}
    if len(content) >= _MIN_BYTES and content_type.startswith(_COMPRESSIBLE):
        import gzip

        import brotli

        variants["br"] = brotli.compress(content, quality=6, mode=brotli.MODE_TEXT)
        variants["gzip"] = gzip.compress(content, compresslevel=6, mtime=0)
    return variants


def _accepts(request: HttpRequest, encoding: str) -> bool:
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    for part in accepted.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() == encoding:
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _encoded(request: HttpRequest, variants, status: int, headers) -> HttpResponse:
    """The stored page in the best encoding the reader accepts."""
    encoding = next(
        (e for e in ("br", "gzip") if e in variants and _accepts(request, e)),
        "identity",
    )
    response = HttpResponse(variants[encoding], status=status)
    response.headers._store.update(headers)
    response["Content-Length"] = str(len(variants[encoding]))
    if encoding != "identity":
        response["Content-Encoding"] = encoding
        etag = response.get("ETag", "")
        if etag.endswith('"'):
            response["ETag"] = f'{etag[:-1]}-{encoding}"'
    return response


_CONDITIONS = (
    "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)  # fmt: skip


def _conditional(
    request: HttpRequest, response: HttpResponse, modified: int | None = None
) -> HttpResponse:
    if response.status_code != 200:
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    if not any(name in request.META for name in _CONDITIONS):
        return response  # nothing to compare
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=modified,
        response=response,
    )


def _last_modified(response: HttpResponse) -> int | None:
    from django.utils.http import parse_http_date_safe

    value = response.get("Last-Modified")
    return parse_http_date_safe(value) if value else None
