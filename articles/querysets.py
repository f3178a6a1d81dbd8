"""Querysets of the articles app; ``published()`` is the one visibility rule."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    """Queries over articles that every public surface starts from."""

    def published(self) -> ArticleQuerySet:
        """Return the articles readers may see, and no others.

        An article is visible when its status is published and its
        ``published_at`` is not in the future. This is the only place the
        rule is written: the article page, home, category, author and tag
        pages, search, feeds, sitemaps and related links all start here, so a
        story scheduled for later appears by itself when its time comes.
        """
        return self.filter(status="published", published_at__lte=timezone.now())

    def in_category(self, category) -> ArticleQuerySet:
        """Return the articles of ``category`` and of all its sub-categories."""
        return self.filter(
            models.Q(category=category)
            | models.Q(category__path__startswith=category.path + "/")
        )

    def by_author(self, author) -> ArticleQuerySet:
        """Return the articles ``author`` wrote or co-wrote."""
        return self.filter(authors=author)

    def for_listing(self) -> ArticleQuerySet:
        """Return the columns a list of article cards needs, in few queries."""
        return self.select_related("category", "featured_photo")
