"""Structured data of an article page: schema.org ``NewsArticle`` as JSON-LD."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from newsroom.site import site_url

from .models import Article


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def news_article(request, article: Article, canonical: str, image_url: str) -> dict:
    """Return the schema.org NewsArticle of a story."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "mainEntityOfPage": canonical,
        "url": canonical,
        "inLanguage": "vi",
        "articleSection": article.category.name,
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article.updated_at or article.published_at),
        "author": [
            {
                "@type": "Person",
                "name": a.name,
                "url": site_url(request, a.get_absolute_url()),
            }
            for a in article.byline
        ]
        or [
            {
                "@type": "Organization",
                "name": article.agency or settings.NEWSROOM_SITE_NAME,
            }
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.NEWSROOM_SITE_NAME,
            "url": site_url(request, "/"),
        },
    }
    if image_url:
        data["image"] = [image_url]
    return data
