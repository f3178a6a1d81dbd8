"""Sitemaps: every published story and section, and a Google News sitemap."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from . import sections
from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .select_related("category")
            .only("pk", "slug", "updated_at", "category__path")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item: Article):
        return item.updated_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return list(sections.tree().by_id.values())


SITEMAPS = {"bai-viet": ArticleSitemap, "chuyen-muc": SectionSitemap}


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News sitemap: the stories published in the last two days."""
    since = timezone.now() - timedelta(days=2)
    articles = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .select_related("category")
        .only("pk", "slug", "title", "published_at", "category__path")
        .order_by("-published_at")[:1000]
    )
    xml = render_to_string(
        "articles/sitemap_news.xml",
        {
            "articles": articles,
            "base": request.build_absolute_uri("/").rstrip("/"),
            "publication": settings.NEWSROOM_SITE_NAME,
        },
    )
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")
