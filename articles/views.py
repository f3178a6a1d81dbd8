"""Reader pages. Every query starts from ``Article.objects.published()``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import body
from .models import Article, ArticleAuthor, Author, Category, Tag

PAGE_SIZE = 20


def _page(request: HttpRequest, queryset):
    """Return the requested page of ``queryset``; 404 for a page that is not there."""
    paginator = Paginator(queryset, PAGE_SIZE)
    number = request.GET.get("trang", "1")
    if not number.isdigit() or not 1 <= int(number) <= max(paginator.num_pages, 1):
        raise Http404("Không có trang này.")
    return paginator.page(int(number))


def home(request: HttpRequest) -> HttpResponse:
    """Show the lead story, the latest stories and a block per menu section."""
    latest = list(Article.objects.published().for_listing()[:13])
    sections = []
    for category in Category.objects.filter(show_in_menu=True, parent=None)[:8]:
        stories = list(
            Article.objects.published().in_category(category).for_listing()[:4]
        )
        if stories:
            sections.append({"category": category, "articles": stories})
    return render(
        request,
        "articles/home.html",
        {
            "lead": latest[0] if latest else None,
            "latest": latest[1:],
            "sections": sections,
        },
    )


def category_detail(request: HttpRequest, path: str) -> HttpResponse:
    """List a section's stories and its sub-sections', newest first."""
    category = get_object_or_404(Category, path=path)
    page = _page(
        request, Article.objects.published().in_category(category).for_listing()
    )
    return render(
        request, "articles/category.html", {"category": category, "page": page}
    )


def with_page_parts(queryset):
    """Return ``queryset`` with what an article page shows, in a fixed number of queries."""
    return queryset.select_related("category", "featured_photo").prefetch_related(
        Prefetch(
            "articleauthor_set",
            queryset=ArticleAuthor.objects.select_related("author"),
        ),
        "tags",
        "photos",
        Prefetch(
            "related",
            queryset=Article.objects.published().select_related("category"),
        ),
    )


def render_article(request: HttpRequest, article: Article, **extra) -> HttpResponse:
    """Render the article page; the public view and the staff preview share it."""
    photos = {p.pk: p for p in article.photos.all()}
    context = {"article": article, "body_html": body.render(article.body, photos)}
    return render(request, "articles/article.html", context | extra)


def article_detail(request: HttpRequest, path: str, slug: str, pk: int) -> HttpResponse:
    """Show one published story; an old slug or section redirects to the new URL."""
    article = get_object_or_404(with_page_parts(Article.objects.published()), pk=pk)
    if article.slug != slug or article.category.path != path:
        return redirect(article.get_absolute_url(), permanent=True)
    return render_article(request, article)


def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """List an author's published stories."""
    author = get_object_or_404(Author, slug=slug)
    page = _page(request, Article.objects.published().by_author(author).for_listing())
    return render(request, "articles/author.html", {"author": author, "page": page})


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """List the published stories on a topic."""
    tag = get_object_or_404(Tag, slug=slug)
    page = _page(request, Article.objects.published().filter(tags=tag).for_listing())
    return render(request, "articles/tag.html", {"tag": tag, "page": page})


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Serve an uploaded file when the settings say Django should."""
    from django.conf import settings
    from django.views.static import serve

    if not settings.NEWSROOM_SERVE_MEDIA:
        raise Http404("Không có tệp này.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Names change when files change (issue: renditions), so cache for long.
    response["Cache-Control"] = "public, max-age=86400"
    return response
