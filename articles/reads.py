"""Page views and "Đọc nhiều" (most read in the last 24 hours).

A page view never writes to the database on its own. The article page
sends a small beacon (``static/js/article.js``) — so pages served from the
page cache or an edge cache are counted too — and each worker process adds
it to a counter in memory. The counters are written in one statement at
most every ``NEWSROOM_READS_FLUSH_SECONDS`` (an upsert into ``ReadCount``,
one row per story and hour), when the process exits, or when too many
stories wait. A crash loses at most that many seconds of counts.

What readers see is built from ``published()`` only: a story unpublished
since it was read leaves the list.
"""

from __future__ import annotations

import atexit
import datetime as dt
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from newsroom import pagecache

from .models import Article, ReadCount

MAX_WAITING = 5000  # distinct stories held in memory before a write
KEEP_DAYS = 8

_lock = threading.Lock()
_waiting: Counter[int] = Counter()
_last_write = time.monotonic()


def count(article_id: int) -> None:
    """Count one read of a story; write the batch when it is due."""
    global _last_write
    with _lock:
        _waiting[article_id] += 1
        due = (
            time.monotonic() - _last_write >= settings.NEWSROOM_READS_FLUSH_SECONDS
            or len(_waiting) >= MAX_WAITING
        )
    if due:
        flush()


def flush() -> int:
    """Write the waiting counts; return how many stories they were for."""
    global _last_write
    with _lock:
        batch = dict(_waiting)
        _waiting.clear()
        _last_write = time.monotonic()
    if not batch:
        return 0
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    known = set(
        Article.objects.published()
        .filter(pk__in=list(batch))
        .values_list("pk", flat=True)
    )
    stamp = connection.ops.adapt_datetimefield_value(hour)
    rows = [(pk, stamp, n) for pk, n in batch.items() if pk in known]
    if not rows:
        return 0
    table = connection.ops.quote_name(ReadCount._meta.db_table)
    # One statement for the batch; PostgreSQL and SQLite share the syntax.
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    params = [v for row in rows for v in row]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, hour, count) VALUES {values} "
            f"ON CONFLICT (article_id, hour) DO UPDATE "
            f"SET count = {table}.count + excluded.count",
            params,
        )
        ReadCount.objects.filter(hour__lt=hour - dt.timedelta(days=KEEP_DAYS)).delete()
    return len(rows)


def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:  # the database may be gone already; nothing to save then
        pass


atexit.register(_flush_at_exit)


def _cached(key: str, build, seconds: int):
    """Cache ``build()`` under the content generation (a change drops it)."""
    current = pagecache.generation()
    if current is None:
        return build()
    full = f"{key}:{current}"
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, seconds)
    return value


def _links(queryset) -> list[dict]:
    return [
        {
            "pk": a.pk,
            "title": a.title,
            "url": a.get_absolute_url(),
            "published_at": a.published_at,
        }
        for a in queryset.select_related("category").only(
            "pk", "title", "slug", "published_at", "category__path"
        )
    ]


def most_read(limit: int = 5, hours: int = 24) -> list[dict]:
    """The stories read most in the last ``hours``, cached for a few minutes."""

    def build():
        since = timezone.now() - dt.timedelta(hours=hours)
        totals = (
            ReadCount.objects.filter(hour__gte=since)
            .values("article_id")
            .annotate(n=Sum("count"))
            .order_by("-n", "-article_id")
        )
        # A few more than shown: some may have been unpublished since.
        ranked = {row["article_id"]: row["n"] for row in totals[: limit * 3]}
        if not ranked:
            return []
        top = Article.objects.published().filter(pk__in=list(ranked))
        found = sorted(_links(top), key=lambda a: (-ranked[a["pk"]], -a["pk"]))
        return found[:limit]

    return _cached(
        f"most-read:{limit}:{hours}", build, settings.NEWSROOM_READS_LIST_SECONDS
    )


def latest_in_section(section_id: int, limit: int = 12) -> list[dict]:
    """The newest stories of a section, for the side column."""

    def build():
        return _links(
            Article.objects.published()
            .filter(category_id=section_id)
            .order_by("-published_at", "-pk")[:limit]
        )

    return _cached(f"latest-in:{section_id}", build, 300)
