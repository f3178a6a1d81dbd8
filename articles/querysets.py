"""Querysets of the articles app; ``published()`` is the one visibility rule."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from .choices import Status

SEARCH_FIELDS = (
    "search_title",
    "search_lead",
    "search_text",
    "search_names",
    "search_vector",
    "search_headline",
)
HEAVY_FIELDS = ("body", *SEARCH_FIELDS)


def _visible(at=None) -> models.Q:
    return models.Q(status=Status.PUBLISHED, published_at__lte=at or timezone.now())


def _scheduled() -> models.Q:
    return models.Q(status=Status.PUBLISHED, published_at__gt=timezone.now())


class ArticleQuerySet(models.QuerySet):
    """Queries over articles that every public surface starts from."""

    def published(self, at=None) -> ArticleQuerySet:
        """Return the articles readers may see, and no others.

        An article is visible when its status is published and its
        ``published_at`` is not in the future. This is the only place the
        rule is written: the article page, home, category, author and tag
        pages, search, feeds, sitemaps and related links all start here, so a
        story scheduled for later appears by itself when its time comes.
        ``at`` is the moment to compare with (now unless given; see
        :mod:`articles.prepared`).
        """
        return self.filter(_visible(at))

    def scheduled(self) -> ArticleQuerySet:
        """Return the published articles whose time has not come yet."""
        return self.filter(_scheduled())

    def with_scheduled_flag(self) -> ArticleQuerySet:
        """Annotate ``is_scheduled`` (the admin's status column shows "Hẹn giờ")."""
        return self.annotate(
            is_scheduled=models.ExpressionWrapper(
                _scheduled(), output_field=models.BooleanField()
            )
        )

    def in_category(self, category) -> ArticleQuerySet:
        """Return the articles of ``category`` and of all its sub-categories."""
        return self.filter(
            models.Q(category=category)
            | models.Q(category__path__startswith=category.path + "/")
        )

    def by_author(self, author) -> ArticleQuerySet:
        """Return the articles ``author`` wrote or co-wrote."""
        return self.filter(authors=author)

    def with_byline(self) -> ArticleQuerySet:
        """Prefetch the byline in order, authors included (one query)."""
        from .models import ArticleAuthor

        return self.prefetch_related(
            models.Prefetch(
                "articleauthor_set",
                queryset=ArticleAuthor.objects.select_related("author"),
            )
        )

    def without_search_fields(self) -> ArticleQuerySet:
        """Leave out the folded search columns (pages never show them)."""
        return self.defer(*SEARCH_FIELDS)

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        """Return the years, months or days from the oldest row to the newest,
        without a scan.

        The admin's date hierarchy asks for the distinct years, months or
        days of the list: a scan and a sort of every row (a million stories
        on PostgreSQL: 470 ms; SQLite truncates each date in Python). The
        periods between the indexed minimum and maximum cost two index
        reads, and differ only by listing a period without stories.
        """
        if kind not in ("year", "month", "day"):
            return super().datetimes(field_name, kind, order, tzinfo)
        bounds = self.aggregate(
            first=models.Min(field_name), last=models.Max(field_name)
        )
        if bounds["first"] is None:
            return []
        tz = tzinfo or timezone.get_current_timezone()
        first = timezone.localtime(bounds["first"], tz).date()
        last = timezone.localtime(bounds["last"], tz).date()
        periods, day = [], first
        while day <= last:
            if kind == "year":
                start, day = day.replace(month=1, day=1), dt.date(day.year + 1, 1, 1)
            elif kind == "month":
                start = day.replace(day=1)
                day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
            else:
                start, day = day, day + dt.timedelta(days=1)
            periods.append(dt.datetime(start.year, start.month, start.day, tzinfo=tz))
        return periods if order == "ASC" else periods[::-1]
