"""Sitemaps: every published story and section, and a Google News sitemap.

Django's sitemap views build addresses from the request's host; ours come
from :func:`newsroom.site.site_url`, so they are the same whatever ``Host``
a crawler sends when ``NEWSROOM_SITE_URL`` is set.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Prefetch
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from newsroom.site import site_url

from . import sections
from .models import Article, Photo


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with the site's own base."""

    def __init__(self, request: HttpRequest) -> None:
        # Made per request (``_sitemaps``), so keeping it here is safe.
        self.request = request
        self.base = site_url(request, "")

    def get_urls(self, page=1, site=None, protocol=None):
        scheme, _, domain = self.base.partition("://")
        urls = super().get_urls(page, SimpleNamespace(domain=domain), scheme)
        for url in urls:
            url["images"] = [
                site_url(self.request, u) for u in self.images(url["item"])
            ]
        return urls

    def images(self, item) -> list[str]:
        """The addresses of an entry's images (``<image:image>``)."""
        return []


class ArticleSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .select_related("category")
            .only("pk", "slug", "published_at", "revised_at", "category__path")
            .prefetch_related(
                Prefetch(
                    "photos",
                    queryset=Photo.objects.exclude(image="").only("pk", "image"),
                )
            )
            .order_by("-published_at", "-pk")
        )

    def images(self, item: Article) -> list[str]:
        return [photo.image.url for photo in item.photos.all()][:20]

    def lastmod(self, item: Article):
        return item.modified_at

    def get_latest_lastmod(self):
        # One aggregate rather than Django's default of reading every row.
        last = self.items().aggregate(
            revised=Max("revised_at"), published=Max("published_at")
        )
        return max((d for d in last.values() if d is not None), default=None)


class SectionSitemap(SiteSitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return list(sections.tree().by_id.values())


SITEMAPS = {"bai-viet": ArticleSitemap, "chuyen-muc": SectionSitemap}


def _sitemaps(request: HttpRequest) -> dict[str, SiteSitemap]:
    return {name: cls(request) for name, cls in SITEMAPS.items()}


@sitemap_views.x_robots_tag
def index(request: HttpRequest) -> TemplateResponse:
    """The sitemap index: one entry per sitemap page."""
    items = []
    for name, sitemap in _sitemaps(request).items():
        url = site_url(request, reverse("articles:sitemap_section", args=[name]))
        lastmod = sitemap.get_latest_lastmod()
        items.append(sitemap_views.SitemapIndexItem(url, lastmod))
        items += [
            sitemap_views.SitemapIndexItem(f"{url}?p={n}", lastmod)
            for n in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
    )


def section(request: HttpRequest, section: str) -> HttpResponse:
    """One sitemap (``?p=N`` for its later pages)."""
    return sitemap_views.sitemap(request, _sitemaps(request), section=section)


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
            "base": site_url(request, ""),
            "publication": settings.NEWSROOM_SITE_NAME,
        },
    )
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")
