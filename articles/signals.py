"""Keep caches in step with the content: pages, the section tree."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import pagecache, sections
from .models import Article, ArticleAuthor, ArticlePhoto, Author, Category, Photo, Tag

SHOWN_ON_PAGES = (Article, ArticleAuthor, ArticlePhoto, Author, Category, Photo, Tag)


@receiver([post_save, post_delete])
def content_changed(sender, **kwargs) -> None:
    """Drop cached pages when anything a page shows is saved or deleted."""
    if sender in SHOWN_ON_PAGES:
        pagecache.bump()
    if sender is Category:
        sections.forget()


@receiver(m2m_changed)
def links_changed(sender, **kwargs) -> None:
    if sender in (Article.tags.through, Article.related.through):
        pagecache.bump()
