"""Structured data of an article page: schema.org ``NewsArticle`` as JSON-LD."""

from __future__ import annotations

from django.conf import settings

from newsroom import brand
from newsroom.site import site_url

from . import text
from .models import Article, Correction

_iso = text.iso_datetime


def news_article(
    request, article: Article, canonical: str, image, byline, corrections=()
) -> dict:
    """Return the schema.org NewsArticle of a story (``byline``: its authors in order).

    Each "Đính chính" is a ``CorrectionComment`` in ``correction``; a
    correction or an update dates ``dateModified`` (the story's revision).
    """
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
        "dateModified": _iso(article.modified_at),
        "author": [
            {
                "@type": "Person",
                "name": a.name,
                "url": site_url(request, a.get_absolute_url()),
            }
            for a in byline
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
            "logo": _image(brand.logo(request)),
        },
        # Always an image: the story's photo, else the site's share image.
        "image": [_image(image)],
    }
    fixes = [c for c in corrections if c.kind == Correction.Kind.CORRECTION]
    if fixes:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": c.text,
                "datePublished": _iso(c.created_at),
            }
            for c in fixes
        ]
    return data


def _image(image) -> dict:
    found = {"@type": "ImageObject", "url": image.url}
    if image.width and image.height:
        found |= {"width": image.width, "height": image.height}
    return found
