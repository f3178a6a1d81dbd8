"""Cache tags on every public response, and purges of exactly what changed.

An edge cache (Varnish with ``xkey``, a CDN) in front of the app servers
keeps pages long and drops them by tag. Every public response names what it
shows (:func:`tag`, collected per request by :class:`EdgeTagsMiddleware`):

- ``a<id>`` each story on it: the story's own page, every card of it in a
  list, "Xem thêm", the side column — so a story edited, corrected,
  unpublished or deleted drops every page that printed it;
- ``s<id>`` a section's pages (and the stories of that section, whose side
  column lists its newest), ``au<id>`` an author's, ``t<id>`` a topic's,
  ``d<YYYY-MM-DD>`` a day's, ``home``, ``feeds``, ``sitemaps``, ``search``,
  ``corrections``;
- ``all`` on every page: a change of what all pages show (the menu's
  sections) or a restored database drops everything.

A story that becomes public (published, its scheduled or embargo time come,
moved, given an author or a topic) also drops the lists it joins: its
section and the sections above it, its authors, topics and day, the home
page, the feeds and the sitemaps (:func:`story_tags`).

Purges are collected per transaction and sent after its COMMIT, from a
background job (:mod:`newsroom.jobs`), tried again when an edge does not
answer. The backends are pluggable like Wagtail's front-end cache module
(``NEWSROOM_EDGE``, one entry per edge): :class:`Varnish` (``xkey``, tested
against a real Varnish), :class:`HTTPPurge` (a generic ``PURGE`` or ``BAN``
with the tags in a header) and :class:`Cloudflare` (purge by cache tag).
"""

from __future__ import annotations

import contextvars
import json
import logging
import urllib.error
import urllib.request
from functools import cache as memoize

from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

ALL = "all"
HOME = "home"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
SEARCH = "search"
CORRECTIONS = "corrections"


def story(pk) -> str:
    return f"a{pk}"


def section(pk) -> str:
    return f"s{pk}"


def author(pk) -> str:
    return f"au{pk}"


def topic(pk) -> str:
    return f"t{pk}"


def day(date) -> str:
    return f"d{date.isoformat()}"


# --- tags of a response -------------------------------------------------------

_tags: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "edge_tags", default=None
)


def tag(*names: str) -> None:
    """Say that the page being built shows these objects."""
    tags = _tags.get()
    if tags is not None:
        tags.update(names)


def stories(pks) -> None:
    tag(*(story(pk) for pk in pks if pk))


class EdgeTagsMiddleware:
    """Collect the tags of each response and send them as headers.

    ``xkey`` (space-separated, Varnish's xkey module) on every public
    response; ``Cache-Tag`` (comma-separated) when a Cloudflare edge is
    configured, and the generic backend's header when one is. A public
    response also says how long an edge may keep it (``s-maxage``,
    ``NEWSROOM_EDGE_SECONDS``), since a purge drops it when it changes.
    Responses for staff (a session cookie) and private ones carry nothing.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = _tags.set(set())
        try:
            response = self.get_response(request)
            tags = _tags.get()
        finally:
            _tags.reset(token)
        if (
            tags
            and request.method in ("GET", "HEAD")
            and response.status_code in (200, 301, 404)
            and not response.cookies
            and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            and "private" not in response.get("Cache-Control", "")
            and "no-cache" not in response.get("Cache-Control", "")
        ):
            names = sorted(tags | {ALL})
            response["xkey"] = " ".join(names)
            for header, joiner in _extra_headers():
                response[header] = joiner.join(names)
            if settings.NEWSROOM_EDGE_SECONDS:
                patch_cache_control(
                    response, public=True, s_maxage=settings.NEWSROOM_EDGE_SECONDS
                )
        return response


@memoize
def _extra_headers() -> tuple:
    found = []
    for backend in backends():
        header = getattr(backend, "response_header", None)
        if header and header.lower() != "xkey":
            found.append(header)
    return tuple((h, "," if h.lower() == "cache-tag" else " ") for h in found)


# --- what a change purges -----------------------------------------------------


def story_tags(pks) -> set[str]:
    """The tags to purge for these stories: each one's own, and, for those
    readers may see now, every list they are on."""
    from django.utils import timezone

    from articles import sections
    from articles.models import Article

    pks = sorted({int(pk) for pk in pks})
    tags = {story(pk) for pk in pks}
    if not pks:
        return tags
    tree = sections.tree()
    for batch in (pks[i : i + 500] for i in range(0, len(pks), 500)):
        public = (
            Article.objects.published()
            .filter(pk__in=batch)
            .order_by()
            .values_list("pk", "category_id", "published_at")
        )
        shown = []
        for pk, category_id, published_at in public:
            shown.append(pk)
            tags.add(day(timezone.localtime(published_at).date()))
            tags.update(section(s.id) for s in tree.ancestors(category_id))
        if shown:
            tags.update({HOME, FEEDS, SITEMAPS, SEARCH})
            through = Article.authors.through.objects.filter(article_id__in=shown)
            tags.update(author(a) for a in through.values_list("author_id", flat=True))
            tagged = Article.tags.through.objects.filter(article_id__in=shown)
            tags.update(topic(t) for t in tagged.values_list("tag_id", flat=True))
    return tags


def purge_after_commit(tags=(), stories=(), using: str | None = None) -> None:
    """Purge these tags and stories from every edge once the transaction
    commits (at once outside one). Calls within one transaction are sent as
    one purge."""
    from . import replica

    if not backends() and not replica.configured():
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _send(set(tags), {int(pk) for pk in stories})
        return
    pending = getattr(connection, "_edge_pending", None)
    if pending is None or not any(
        getattr(func, "edge_flush", False) for _, func, _ in connection.run_on_commit
    ):
        # None yet in this transaction, or a savepoint rolled back took the
        # flush with it: (re)register one. Tags left from a transaction that
        # rolled back are purged as well, which is harmless.
        pending = connection._edge_pending = pending or (set(), set())

        def flush() -> None:
            found, connection._edge_pending = connection._edge_pending, None
            if found:
                _send(*found)

        flush.edge_flush = True
        transaction.on_commit(flush, using=using)
    pending[0].update(tags)
    pending[1].update(int(pk) for pk in stories)


def _send(tags: set, stories: set) -> None:
    from . import jobs, replica
    from .tasks import purge

    if tags or stories:
        kwargs = {"tags": sorted(tags), "stories": sorted(stories)}
        if replica.configured():
            # The purge waits for the replica to have this commit.
            kwargs["position"] = replica.primary_position()
        jobs.enqueue(purge, (), kwargs)


def purge_now(tags) -> None:
    """Send the purge of ``tags`` to every edge; raise if one did not take it."""
    tags = sorted(set(tags))
    failures = []
    for backend in backends():
        try:
            backend.purge(tags)
        except Exception as error:  # one edge down must not spare the others
            failures.append(f"{backend.name}: {error}")
    if failures:
        raise PurgeError("; ".join(failures))


class PurgeError(Exception):
    pass


@memoize
def backends() -> tuple:
    return tuple(
        import_string(conf["BACKEND"])(name, **_options(conf))
        for name, conf in settings.NEWSROOM_EDGE.items()
    )


def _options(conf: dict) -> dict:
    return {k.lower(): v for k, v in conf.items() if k != "BACKEND"}


@receiver(setting_changed)
def reset(setting: str = "NEWSROOM_EDGE", **kwargs) -> None:
    """Forget the configured backends when their setting changes."""
    if setting == "NEWSROOM_EDGE":
        backends.cache_clear()
        _extra_headers.cache_clear()


# --- backends -------------------------------------------------------------------


def _chunks(tags, size: int):
    for i in range(0, len(tags), size):
        yield tags[i : i + size]


def _answer(request: urllib.request.Request, timeout: float) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read(65536)
    except urllib.error.HTTPError as error:
        return error.code, error.read(65536)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise PurgeError(f"{request.full_url}: không kết nối được ({reason})") from None


class Backend:
    response_header = "xkey"

    def __init__(self, name: str, timeout: float = 5, **options) -> None:
        self.name = name
        self.timeout = float(timeout)

    def purge(self, tags: list[str]) -> None:
        raise NotImplementedError


class Varnish(Backend):
    """Varnish with the xkey module: ``PURGE`` with an ``xkey-purge`` header
    of tags, to every Varnish node (``LOCATIONS``), as ``deploy/varnish/
    newsroom.vcl`` takes it."""

    def __init__(self, name, locations=(), **options) -> None:
        super().__init__(name, **options)
        if isinstance(locations, str):
            locations = locations.replace(",", " ").split()
        self.locations = [loc.rstrip("/") for loc in locations]

    def purge(self, tags: list[str]) -> None:
        for location in self.locations:
            for chunk in _chunks(tags, 200):
                request = urllib.request.Request(
                    f"{location}/",
                    method="PURGE",
                    headers={"xkey-purge": " ".join(chunk)},
                )
                status, body = _answer(request, self.timeout)
                if status != 200:
                    raise PurgeError(
                        f"{location}: Varnish trả lời {status} cho lệnh xoá "
                        f"({body[:80].decode(errors='replace').strip()})"
                    )


class HTTPPurge(Backend):
    """A generic purge: ``METHOD`` (``PURGE`` or ``BAN``) to ``URL`` with the
    tags, space-separated, in ``HEADER`` (``Surrogate-Key`` by default, which
    pages then carry too). Any 2xx answer is taken."""

    def __init__(
        self, name, url="", method="PURGE", header="Surrogate-Key", **options
    ) -> None:
        super().__init__(name, **options)
        self.url = url
        self.method = method.upper()
        self.response_header = header

    def purge(self, tags: list[str]) -> None:
        for chunk in _chunks(tags, 200):
            request = urllib.request.Request(
                self.url,
                method=self.method,
                headers={self.response_header: " ".join(chunk)},
            )
            status, body = _answer(request, self.timeout)
            if not 200 <= status < 300:
                raise PurgeError(f"{self.url}: trả lời {status} cho lệnh xoá")


class Cloudflare(Backend):
    """Cloudflare's purge by cache tag: ``POST …/zones/<ZONE>/purge_cache``
    with ``{"tags": […]}`` (30 at a time) and an API ``TOKEN``; pages carry
    ``Cache-Tag``. ``API`` changes the address (a test's local server)."""

    response_header = "Cache-Tag"

    def __init__(
        self, name, zone="", token="", api="https://api.cloudflare.com/client/v4",
        **options,
    ) -> None:  # fmt: skip
        super().__init__(name, **options)
        self.url = f"{api.rstrip('/')}/zones/{zone}/purge_cache"
        self.token = token

    def purge(self, tags: list[str]) -> None:
        for chunk in _chunks(tags, 30):
            request = urllib.request.Request(
                self.url,
                method="POST",
                data=json.dumps({"tags": chunk}).encode(),
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
            )
            status, body = _answer(request, self.timeout)
            try:
                ok = json.loads(body).get("success") is True
            except ValueError:
                ok = False
            if status != 200 or not ok:
                raise PurgeError(
                    f"Cloudflare trả lời {status} cho lệnh xoá "
                    f"({body[:120].decode(errors='replace').strip()})"
                )
