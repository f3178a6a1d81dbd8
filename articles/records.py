"""The article JSON record: what ``export_articles`` writes, field by field."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from . import body, text
from .models import Article, Photo

_iso = text.iso_datetime


def export_queryset(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """Return ``queryset`` with what a record needs, in a fixed number of queries."""
    return (
        queryset.select_related("category", "category__parent")
        .with_byline()
        .prefetch_related(
            "tags",
            "photos",
            Prefetch("related", queryset=Article.objects.only("title", "slug")),
        )
        .order_by("pk")
    )


def article_record(article: Article) -> dict:
    """Return the JSON record of one article (see the article-json format)."""
    photos = {p.pk: p for p in article.photos.all()}
    missing = [i for i in body.photo_ids(article.body) if i not in photos]
    if missing:  # a photo in the body that the photos list lost track of
        photos.update(Photo.objects.in_bulk(missing))
    category = article.category
    return {
        "id": article.pk,
        "external_id": article.external_id,
        "source_url": article.source_url or None,
        "category": {
            "name": category.name,
            "slug": category.slug,
            "parent": category.parent.name if category.parent_id else None,
        },
        "title": article.title,
        "slug": article.slug,
        "url": article.get_absolute_url(),
        "location": article.location,
        "lead": article.lead,
        "agency": article.agency,
        "authors": [{"name": a.name, "slug": a.slug} for a in article.byline],
        "body": body.to_blocks(article.body, photos),
        "tags": sorted(t.name for t in article.tags.all()),
        "related": sorted(
            ({"title": r.title, "slug": r.slug} for r in article.related.all()),
            key=lambda r: (r["title"], r["slug"]),
        ),
        "status": article.status,
        "published_at": _iso(article.published_at),
        "embargo_until": _iso(article.embargo_until),
        # When the text last changed after publication, else its publication.
        "updated_at": _iso(article.modified_at),
    }


def iter_records(queryset: QuerySet[Article], chunk_size: int = 500) -> Iterator[dict]:
    """Yield records in id order with constant memory, ``chunk_size`` rows at a time."""
    for article in export_queryset(queryset).iterator(chunk_size=chunk_size):
        yield article_record(article)


def iter_with_photos(
    queryset: QuerySet[Article], chunk_size: int = 500
) -> Iterator[tuple[dict, dict]]:
    """Yield (record, its photos by stored image path), for formats that need sizes."""
    for article in export_queryset(queryset).iterator(chunk_size=chunk_size):
        photos = {p.image.name: p for p in article.photos.all() if p.image}
        yield article_record(article), photos
