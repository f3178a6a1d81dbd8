"""Keep caches in step with committed content: pages and the section tree.

Any save or delete of what a page shows, by any path (a service, the admin,
an import, a plain ``save()`` in a shell), drops cached pages once its
transaction commits. The section tree is cached under the same generation,
so it moves with it.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from newsroom import pagecache

from .models import (
    Article,
    ArticleAuthor,
    ArticlePhoto,
    Author,
    Category,
    Correction,
    FrontPin,
    LiveEntry,
    Photo,
    Tag,
)

SHOWN_ON_PAGES = (
    FrontPin,
    LiveEntry,
    Article,
    ArticleAuthor,
    ArticlePhoto,
    Author,
    Category,
    Correction,
    Photo,
    Tag,
)
LINKS = (Article.tags.through, Article.related.through)


@receiver([post_save, post_delete])
def content_changed(sender, using=None, **kwargs) -> None:
    """Drop cached pages after the commit when anything a page shows changed."""
    if sender in SHOWN_ON_PAGES:
        pagecache.content_changed(using)


def next_timed_change() -> float | None:
    """When published content next changes by itself: a scheduled story (an
    embargo's included) goes out, or a front-page pin ends.

    ``newsroom.pagecache`` moves the content generation at that time, so
    every cached page and list shows it then (one query of the few times
    still ahead, once per generation and process).
    """
    now = timezone.now()
    stories = Article.objects.scheduled().order_by().values_list("published_at")
    pins = (
        FrontPin.objects.filter(pinned_until__gt=now)
        .order_by()
        .values_list("pinned_until")
    )
    found = [t.timestamp() for (t,) in stories.union(pins, all=True)]
    return min(found) if found else None


pagecache.next_timed_change = next_timed_change


@receiver(m2m_changed)
def links_changed(sender, action, using=None, **kwargs) -> None:
    if sender in LINKS and action.startswith("post_"):
        pagecache.content_changed(using)
