"""Keep caches in step with committed content: pages and the section tree.

Any save or delete of what a page shows, by any path (a service, the admin,
an import, a plain ``save()`` in a shell), drops cached pages once its
transaction commits. The section tree is cached under the same generation,
so it moves with it.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from newsroom import pagecache

from .models import (
    Article,
    ArticleAuthor,
    ArticlePhoto,
    Author,
    Category,
    Correction,
    Photo,
    Tag,
)

SHOWN_ON_PAGES = (
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


@receiver(m2m_changed)
def links_changed(sender, action, using=None, **kwargs) -> None:
    if sender in LINKS and action.startswith("post_"):
        pagecache.content_changed(using)
