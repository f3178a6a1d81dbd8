""" "Xem thêm": the related stories under an article."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from .models import Article


def related_stories(article: Article, limit: int = 6) -> list[Article]:
    """Return the editors' choice, filled up with the newest of the section.

    One query. Its candidates are two small indexed subqueries, each from
    ``published()``: the chosen stories and the ``limit`` newest of the
    section; the outer query reads only those rows by primary key.
    """
    published = Article.objects.published()
    chosen = published.filter(related_from=article.pk).order_by().values("pk")
    recent = (
        published.filter(category_id=article.category_id)
        .exclude(pk=article.pk)
        .order_by("-published_at", "-pk")
        .values("pk")[:limit]
    )
    links = Article.related.through.objects.filter(
        from_article_id=article.pk, to_article_id=OuterRef("pk")
    )
    return list(
        Article.objects.filter(Q(pk__in=chosen) | Q(pk__in=recent))
        .exclude(pk=article.pk)
        .annotate(chosen=Exists(links))
        .for_listing()
        .order_by("-chosen", "-published_at", "-pk")[:limit]
    )
