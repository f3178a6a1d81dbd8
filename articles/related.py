"""The related stories under an article ("Xem thêm")."""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

from .models import Article
from .prepared import Prepared


def _related(at, article_id, section_id):
    published = Article.objects.published(at)
    chosen = published.filter(related_from=article_id).order_by().values("pk")
    recent = (
        published.filter(category_id=section_id)
        .exclude(pk=article_id)
        .order_by("-published_at", "-pk")
        .values("pk")[:LIMIT]
    )
    sql_chosen, params_chosen = chosen.query.sql_with_params()
    sql_recent, params_recent = recent.query.sql_with_params()
    candidates = RawSQL(
        f"SELECT * FROM ({sql_chosen}) AS chosen "
        f"UNION ALL SELECT * FROM ({sql_recent}) AS recent",
        (*params_chosen, *params_recent),
    )
    links = connection.ops.quote_name(Article.related.through._meta.db_table)
    is_chosen = RawSQL(
        f"{connection.ops.quote_name(Article._meta.db_table)}.id IN "
        f"(SELECT to_article_id FROM {links} WHERE from_article_id = %s)",
        (article_id,),
    )
    return (
        Article.objects.filter(pk__in=candidates)
        .exclude(pk=article_id)
        .annotate(chosen=is_chosen)
        .order_by("-chosen", "-published_at", "-pk")
        .values_list("pk", flat=True)[:LIMIT]
    )


LIMIT = 6
_QUERY = Prepared(_related, "article_id", "section_id")


def related_stories(article: Article) -> list[int]:
    """Return the ids of the editors' choice, filled up with the newest of the section.

    One query, compiled once per process (:mod:`articles.prepared`). The
    candidates (chosen stories, and the ``LIMIT`` newest of the section)
    are two small indexed subqueries, each from ``published()``, joined by
    UNION ALL; the outer query reads only those rows by primary key. The
    ORM's own spelling, ``Q(pk__in=chosen) | Q(pk__in=recent)``, makes
    PostgreSQL scan every article and every photo (20-40 ms on 10,000
    stories against well under 1 ms), and Django cannot put a sliced UNION
    in a subquery, so the UNION is written here.
    """
    return [
        pk
        for (pk,) in _QUERY.rows(article_id=article.pk, section_id=article.category_id)
    ]
