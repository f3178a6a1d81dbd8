"""Reader pages. Every query starts from ``Article.objects.published()``.

Each page costs a small fixed number of queries whatever the number of
photos, authors, tags or related stories: sections come from the cached tree,
lists are paginated by a deferred join (the offset walks an index of ids,
then 20 rows are read by primary key), and an article's parts are prefetched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from . import body, search, sections
from .models import Article, Author, Tag

PAGE_SIZE = 20


@dataclass
class Page:
    """One page of a list, with what the pagination include needs."""

    object_list: list
    number: int
    num_pages: int
    count: int

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE) -> Page:
    """Return the page ``?trang=N`` of ``queryset``; 404 for a page not there.

    The offset is taken over ids only (an index walk), then the page's rows
    are read by primary key: page 500 costs about what page 1 costs.
    """
    raw = request.GET.get("trang", "1")
    if not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        raise Http404("Không có trang này.")
    number = int(raw)
    count = queryset.count()
    num_pages = max(1, math.ceil(count / per_page))
    if number > num_pages:
        raise Http404("Không có trang này.")
    start = (number - 1) * per_page
    ids = list(queryset.values_list("pk", flat=True)[start : start + per_page])
    rows = Article.objects.for_listing().in_bulk(ids)
    return Page([rows[i] for i in ids if i in rows], number, num_pages, count)


def _card_list(queryset):
    return queryset.for_listing()


def home(request: HttpRequest) -> HttpResponse:
    """Show the lead story, the latest stories and a block per menu section."""
    published = Article.objects.published()
    latest = list(_card_list(published)[:13])
    tree = sections.tree()
    menu = tree.menu()[:8]
    blocks = []
    if menu:
        newest = search.newest_per_section(published, [s.id for s in menu], tree, 4)
        blocks = [
            {"category": s, "articles": newest[s.id]} for s in menu if newest.get(s.id)
        ]
    return render(
        request,
        "articles/home.html",
        {
            "lead": latest[0] if latest else None,
            "latest": latest[1:],
            "sections": blocks,
        },
    )


def category_detail(request: HttpRequest, path: str) -> HttpResponse:
    """List a section's stories and its sub-sections', newest first."""
    tree = sections.tree()
    section = tree.find(path)
    if section is None:
        raise Http404("Không có chuyên mục này.")
    ids = tree.subtree_ids(section.id)
    queryset = Article.objects.published().filter(category_id__in=ids)
    page = paginate(request, queryset)
    return render(
        request,
        "articles/category.html",
        {
            "category": section,
            "ancestors": tree.ancestors(section.id),
            "subsections": [tree.get(i) for i in section.children],
            "page": page,
        },
    )


def with_page_parts(queryset):
    """Return ``queryset`` with an article page's parts, in a fixed number of queries."""
    return (
        queryset.select_related("category", "featured_photo")
        .without_search_fields()
        .with_byline()
        .prefetch_related("tags", "photos")
    )


def related_stories(article: Article, limit: int = 6) -> list[Article]:
    """Return "Xem thêm": the editors' choice, filled up with the newest of the section.

    One query. The candidates (chosen stories, and the ``limit`` newest of
    the section) are two small indexed subqueries, each starting from
    ``published()``; the outer query only reads those rows by primary key,
    so the database never walks the whole table.
    """
    chosen = (
        Article.objects.published()
        .filter(related_from=article.pk)
        .order_by()
        .values("pk")
    )
    recent = (
        Article.objects.published()
        .filter(category_id=article.category_id)
        .exclude(pk=article.pk)
        .order_by("-published_at", "-pk")
        .values("pk")[:limit]
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
        (article.pk,),
    )
    return list(
        Article.objects.filter(pk__in=candidates)
        .exclude(pk=article.pk)
        .annotate(chosen=is_chosen)
        .for_listing()
        .order_by("-chosen", "-published_at", "-pk")[:limit]
    )


def representative_photo(article: Article, photos: dict, body_ids: list[int]):
    """The featured photo, else the first photo of the body that has a file."""
    if article.featured_photo and article.featured_photo.image:
        return article.featured_photo
    for photo_id in body_ids:
        photo = photos.get(photo_id)
        if photo is not None and photo.image:
            return photo
    return None


def render_article(request: HttpRequest, article: Article, **extra) -> HttpResponse:
    """Render the article page; the public view and the staff preview share it."""
    tree = sections.tree()
    photos = {p.pk: p for p in article.photos.all()}
    canonical = absolute_url(request, article.get_absolute_url())
    body_ids = body.photo_ids(article.body)
    image = representative_photo(article, photos, body_ids)
    image_url = absolute_url(request, image.image.url) if image else ""
    show_updated = bool(
        article.published_at
        and article.updated_at
        and (article.updated_at - article.published_at).total_seconds() > 600
    )
    context = {
        "article": article,
        "ancestors": tree.ancestors(article.category_id),
        "body_html": body.render(article.body, photos),
        "body_photo_ids": set(body_ids),
        "related_articles": related_stories(article),
        "canonical": canonical,
        "image": image,
        "image_url": image_url,
        "image_alt": (image.alt_text or image.caption) if image else "",
        "show_updated": show_updated,
        "structured_data": structured_data(request, article, canonical, image_url),
    }
    response = render(request, "articles/article.html", context | extra)
    if article.updated_at:
        response["Last-Modified"] = http_date(article.updated_at.timestamp())
    return response


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def structured_data(request, article: Article, canonical: str, image_url: str) -> dict:
    """Return the schema.org NewsArticle of a story (JSON-LD)."""
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
                "url": absolute_url(request, a.get_absolute_url()),
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
            "url": absolute_url(request, "/"),
        },
    }
    if image_url:
        data["image"] = [image_url]
    return data


def absolute_url(request: HttpRequest, path: str) -> str:
    base = settings.NEWSROOM_SITE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def article_detail(request: HttpRequest, path: str, slug: str, pk: int) -> HttpResponse:
    """Show one published story; an old slug or section redirects to the new URL."""
    article = get_object_or_404(with_page_parts(Article.objects.published()), pk=pk)
    if article.slug != slug or article.category.path != path:
        return redirect(article.get_absolute_url(), permanent=True)
    return render_article(request, article)


def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """List an author's published stories."""
    author = get_object_or_404(Author, slug=slug)
    page = paginate(request, Article.objects.published().by_author(author))
    return render(request, "articles/author.html", {"author": author, "page": page})


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """List the published stories on a topic."""
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.published().filter(tags=tag))
    return render(request, "articles/tag.html", {"tag": tag, "page": page})


def search_view(request: HttpRequest) -> HttpResponse:
    """Search published stories, marks or no marks; title matches first."""
    raw = request.GET.get("q", "")
    words = search.words(raw)
    page = None
    if words:
        page = paginate(request, search.search(Article.objects.published(), words))
    return render(
        request,
        "articles/search.html",
        {"query": raw[: search.MAX_QUERY], "words": words, "page": page},
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /tim-kiem/",
        f"Sitemap: {absolute_url(request, '/sitemap.xml')}",
        f"Sitemap: {absolute_url(request, '/sitemap-news.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def set_language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the reader's language with a plain link (no form, no CSRF cookie,
    so public pages stay cacheable), then go back where they were."""
    from django.utils.http import url_has_allowed_host_and_scheme

    if code not in dict(settings.LANGUAGES):
        raise Http404("Không có ngôn ngữ này.")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
    )
    return response


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Fixed bytes for load balancers (and the benchmark's baseline)."""
    return HttpResponse(b"ok\n", content_type="text/plain")


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Serve an uploaded file when the settings say Django should."""
    from django.views.static import serve

    if not settings.NEWSROOM_SERVE_MEDIA:
        raise Http404("Không có tệp này.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    return response
