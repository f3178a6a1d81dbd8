"""What changes by itself with time, for the edge caches: the scheduler's tick.

A story scheduled for 10:00 (an embargo's included) is public at 10:00 by
``Article.objects.published()``, and the app's own page cache moves its
generation then (:mod:`newsroom.pagecache`). An edge cache in front does not
know: :func:`tick` purges what lists a story whose time came, and the home
page or section whose pinned story's time ended. ``manage.py scheduler``
runs it every ``NEWSROOM_SCHEDULER_SECONDS`` (1 s) and enqueues the feed
polling every ``NEWSROOM_FEED_POLL_SECONDS``.
"""

from __future__ import annotations

from newsroom import edge

from .models import Article, FrontPin


def tick(since, until) -> tuple[set, set]:
    """Purge what became due in (``since``, ``until``]; return (tags, stories)."""
    due = (
        Article.objects.published()
        .filter(published_at__gt=since, published_at__lte=until)
        .values_list("pk", flat=True)
    )
    stories = set(due)
    tags = set()
    ended = FrontPin.objects.filter(pinned_until__gt=since, pinned_until__lte=until)
    for category_id, article_id in ended.values_list("category_id", "article_id"):
        tags.add(edge.section(category_id) if category_id else edge.HOME)
        stories.add(article_id)
    if tags or stories:
        edge.purge_after_commit(tags, stories)
    return tags, stories
