"""Sitemaps: every published story and section, and a Google News sitemap.

The index lists the sections' sitemap, then the stories in blocks of
:data:`BLOCK` ids (``/sitemap-bai-viet-1.xml`` holds ids 1 to 2,000, the
newest block first): each story is in exactly one block, however many
share a day, and a block reads a range of the primary key, so every
sitemap costs the same at ten stories or ten million, and none comes near
Google's 50,000 addresses. The index itself is one backward step on the
primary key. A block whose stories were all withdrawn is an empty
sitemap, which costs a crawler one small request.

A sitemap per Hà Nội day (``/sitemap-bai-viet-2023-11-10.xml``, paged by
5,000 with ``?p=2``) and ``/sitemap-bai-viet.xml`` (all stories, newest
first, paged) still answer, for what links to them.

Django's sitemap views build addresses from the request's host; ours come
from :func:`newsroom.site.site_url`, so they are the same whatever ``Host``
a crawler sends when ``NEWSROOM_SITE_URL`` is set.
"""

from __future__ import annotations

import datetime as dt
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

from newsroom import edge
from newsroom.site import media_url, site_url

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


# Stories' ids per sitemap: WordPress's figure, which keeps a sitemap with
# its images well under 100 ms.
BLOCK = 2000


@sitemap_views.x_robots_tag
def index(request: HttpRequest) -> TemplateResponse:
    """The sitemap index: the sections' sitemap, then the blocks of stories,
    newest first, up to the block of the highest published id."""
    edge.tag(edge.SITEMAPS)
    base = site_url(request, "")
    sections_url = reverse("articles:sitemap_section", args=["chuyen-muc"])
    items = [sitemap_views.SitemapIndexItem(base + sections_url, None)]
    last = (
        Article.objects.published().order_by("-pk").values_list("pk", flat=True).first()
    )
    if last is not None:
        first = reverse("articles:sitemap_block", args=[1])
        head, _, tail = first.rpartition("1")
        for number in range((last - 1) // BLOCK + 1, 0, -1):
            items.append(
                sitemap_views.SitemapIndexItem(f"{base}{head}{number}{tail}", None)
            )
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
    )


def block(request: HttpRequest, number: int) -> HttpResponse:
    """The sitemap of the stories whose ids are in block ``number``."""
    edge.tag(edge.SITEMAPS)
    from django.http import Http404

    if not 1 <= number <= 2**63 // BLOCK or "p" in request.GET:
        raise Http404("Không có trang này.")
    published = Article.objects.published().filter(
        pk__gt=(number - 1) * BLOCK, pk__lte=number * BLOCK
    )
    return _article_sitemap(request, published, paged=False)


def section(request: HttpRequest, section: str) -> HttpResponse:
    """One sitemap (``?p=N`` for its later pages)."""
    edge.tag(edge.SITEMAPS)
    if section == "bai-viet":
        return _article_sitemap(request)
    return sitemap_views.sitemap(request, _sitemaps(request), section=section)


def day(request: HttpRequest, year: int, month: int, day: int) -> HttpResponse:
    """The sitemap of one day's stories (Hà Nội time), paged by 5,000."""
    edge.tag(edge.SITEMAPS)
    from django.http import Http404

    try:
        start = dt.datetime(year, month, day, tzinfo=timezone.get_current_timezone())
    except ValueError:
        raise Http404("Không có ngày này.") from None
    published = Article.objects.published().filter(
        published_at__gte=start, published_at__lt=start + timedelta(days=1)
    )
    return _article_sitemap(request, published)


@sitemap_views.x_robots_tag
def _article_sitemap(
    request: HttpRequest, stories=None, paged: bool = True
) -> HttpResponse:
    """The story sitemap's pages, written from plain rows.

    The same entries as Django's sitemap view would write for
    :class:`ArticleSitemap` (address, day of the last change, images), but
    from ``values_list`` rows and one query for the photos of the page,
    with no model instance, no dict per entry and no template: 5,000
    entries took 1.5 s through the framework.
    """
    from html import escape  # Django's escape, without its lazy-text wrapper

    from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
    from django.http import Http404
    from django.utils.http import http_date

    from .models import ArticlePhoto

    if stories is None:
        stories = Article.objects.published()
    published = stories.order_by("-published_at", "-pk")
    if paged:
        paginator = Paginator(
            published.values_list("pk", flat=True),
            ArticleSitemap.limit,
            allow_empty_first_page=True,
        )
        try:
            page = paginator.page(request.GET.get("p", 1))
        except (PageNotAnInteger, EmptyPage):
            raise Http404("Không có trang này.") from None
        start = (page.number - 1) * ArticleSitemap.limit
        window = slice(start, start + ArticleSitemap.limit)
    else:  # a block: never more than BLOCK stories, no count needed
        window = slice(None)
    rows = list(
        published.values_list(
            "pk", "slug", "category__path", "published_at", "revised_at"
        )[window]
    )
    base = site_url(request, "")  # once: the host check is not free
    images: dict[int, list[str]] = {}
    # The page's stories as a subquery, not 5,000 parameters to send.
    photos = (
        ArticlePhoto.objects.filter(article_id__in=published.values("pk")[window])
        .exclude(photo__image="")
        .order_by("article_id", "order", "id")
        .values_list("article_id", "photo__image")
    )
    for article_id, name in photos:
        found = images.setdefault(article_id, [])
        if len(found) < 20:
            found.append(site_url(request, media_url(name), base=base))
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset '
        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
    ]
    latest = None
    zone = timezone.get_current_timezone()  # once, not per row
    for pk, slug, path, published_at, revised_at in rows:
        changed = revised_at or published_at
        latest = changed if latest is None or changed > latest else latest
        loc = escape(base + Article.url_for(path, slug, pk))
        day = changed.astimezone(zone).date().isoformat()
        pictures = "".join(
            f"<image:image><image:loc>{escape(u)}</image:loc></image:image>"
            for u in images.get(pk, ())
        )
        parts.append(
            f"<url><loc>{loc}</loc><lastmod>{day}</lastmod>"
            f"<changefreq>{ArticleSitemap.changefreq}</changefreq>"
            f"<priority>{ArticleSitemap.priority}</priority>{pictures}</url>"
        )
    parts.append("</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News sitemap: the stories published in the last two days."""
    edge.tag(edge.SITEMAPS)
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
