"""Reader pages. Every query starts from ``Article.objects.published()``.

Each page costs a small fixed number of queries whatever the number of
photos, authors, tags or related stories: sections come from the cached tree,
lists are paginated by a deferred join (:mod:`articles.lists`), and an
article's parts are prefetched. JSON-LD is :mod:`articles.jsonld`, "Xem
thêm" :mod:`articles.related`; infrastructure pages live in ``newsroom``.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Value
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import truncatechars
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from newsroom import brand, edge, pagecache
from newsroom.site import site_url

from . import body, cards, front, jsonld, live, reads, search, sections, text
from .lists import HOME_LATEST, latest_ids, newest_per_section, paginate, remembered
from .models import Article, ArticleAuthor, Author, Correction, Photo, Tag
from .prepared import Prepared
from .related import related_stories


def home(request: HttpRequest) -> HttpResponse:
    """Show the lead story, the latest stories and a block per menu section.

    As the editors arranged it where they did (:mod:`articles.front`): the
    pinned lead, the pinned top stories first, each section's pinned story
    first in its block; the newest stories everywhere else.
    """
    edge.tag(edge.HOME)
    pins = front.arrangement()
    tree = sections.tree()
    menu = tree.menu()[:8]
    # The page's ids, remembered like a section's list: by the arrangement
    # and the menu they were chosen for.
    lead_id, grid, firsts, newest = remembered(
        repr(("home", pins, [s.id for s in menu])),
        lambda: _home_ids(pins, tree, menu),
    )
    shown = {lead_id, *grid} - {None}
    blocks = []
    for s in menu:
        ids = ([firsts[s.id]] if s.id in firsts else []) + newest.get(s.id, [])
        if ids:
            blocks.append({"category": s, "cards": cards.render(ids[:4], "grid")})
    lead = cards.render([lead_id], "lead") if lead_id else []
    on_page = {*shown, *firsts.values(), *(pk for ids in newest.values() for pk in ids)}
    return render(
        request,
        "articles/home.html",
        {
            "lead": lead[0] if lead else None,
            "latest": cards.render(grid, "grid"),
            "sections": blocks,
            "side": side_column(None, skip=on_page),
        },
    )


def _home_ids(pins, tree, menu) -> tuple:
    """The lead, the grid, each section's pinned and newest stories (ids)."""
    lead_id, grid = front.home_lists(latest_ids(), pins, HOME_LATEST - 1)
    shown = {lead_id, *grid} - {None}
    firsts = {s.id: pins.sections[s.id] for s in menu if s.id in pins.sections}
    firsts = {s: pk for s, pk in firsts.items() if pk not in shown}
    newest = (
        newest_per_section(
            [s.id for s in menu], tree, 4, shown=[*shown, *firsts.values()]
        )
        if menu
        else {}
    )
    return lead_id, grid, firsts, newest


def category_detail(request: HttpRequest, path: str) -> HttpResponse:
    """List a section's stories and its sub-sections', newest first."""
    tree = sections.tree()
    section = tree.find(path)
    if section is None:
        raise Http404("Không có chuyên mục này.")
    edge.tag(edge.section(section.id))
    ids = tree.subtree_ids(section.id)
    queryset = Article.objects.published().filter(category_id__in=ids)
    # The editors' top story of the section opens its first page.
    pinned = front.arrangement().sections.get(section.id)
    first_page = request.GET.get("trang", "1") == "1"
    top = cards.render([pinned], "lead") if pinned and first_page else []
    page = paginate(
        request,
        queryset,
        "section",
        remember=f"section:{section.id}",
        skip={pinned} if top else (),
    )
    return render(
        request,
        "articles/category.html",
        {
            "category": section,
            "ancestors": tree.ancestors(section.id),
            "subsections": [tree.get(i) for i in section.children],
            "top": top[0] if top else None,
            "page": page,
            "side": side_column(None),
        },
    )


def day_archive(request: HttpRequest, year: int, month: int, day: int) -> HttpResponse:
    """The stories published on one day (Hà Nội time), newest first."""
    import datetime as dt

    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise Http404("Không có ngày này.") from None
    bounds = text.day_bounds(date)
    if bounds is None:
        raise Http404("Không có ngày này.")
    edge.tag(edge.day(date))
    queryset = Article.objects.published().filter(
        published_at__gte=bounds[0], published_at__lt=bounds[1]
    )
    page = paginate(request, queryset, remember=f"day:{date.isoformat()}")
    return render(
        request,
        "articles/day.html",
        {
            "date": date,
            "page": page,
            "previous_day": date - dt.timedelta(days=1)
            if date > text.FIRST_DAY
            else None,
            "next_day": date + dt.timedelta(days=1) if date < text.LAST_DAY else None,
            "side": side_column(None),
        },
    )


def with_page_parts(queryset):
    """Return ``queryset`` as an article page reads it: section and featured photo joined."""
    return queryset.select_related(
        "category", "featured_photo", "share_photo"
    ).without_search_fields()


# The story of an article page, its section and photos joined: compiled once.
_ARTICLE = Prepared(
    lambda at, pk: with_page_parts(Article.objects.published(at)).filter(pk=pk), "pk"
)


# The parts of an article page (byline, topics, the body's photos): one
# query, compiled once per process (articles/prepared.py), read as plain rows.
# Each part's rows are tagged with its kind and carry its own sort keys; the
# columns a part does not have are NULL.
_BYLINE, _TAG, _PHOTO = 0, 1, 2


def _parts(at, article_id):
    # Typed: PostgreSQL types a union's columns two parts at a time, and
    # NULL beside NULL would be text.
    text_null = Cast(Value(None), CharField())
    int_null = Cast(Value(None), IntegerField())
    columns = ("kind", "a", "b", "c", "d", "e", "f", "g", "o1", "o2", "o3")
    byline = (
        ArticleAuthor.objects.filter(article_id=article_id)
        .annotate(
            kind=Value(_BYLINE), a=F("author__name"), b=F("author__slug"),
            c=F("author_id"), d=int_null, e=int_null, f=text_null, g=text_null,
            o1=F("order"), o2=F("id"), o3=text_null,
        )
        .order_by()
        .values_list(*columns)
    )  # fmt: skip
    tags = (
        Tag.objects.filter(articles=article_id)
        .annotate(
            kind=Value(_TAG), a=F("name"), b=F("slug"), c=F("pk"), d=int_null,
            e=int_null, f=text_null, g=text_null, o1=int_null, o2=int_null,
            o3=F("name"),
        )
        .order_by()
        .values_list(*columns)
    )  # fmt: skip
    photos = (
        Photo.objects.filter(articles=article_id)
        .annotate(
            kind=Value(_PHOTO), a=F("image"), b=F("image_hash"), c=F("pk"),
            d=F("width"), e=F("height"), f=F("alt_text"), g=F("caption"),
            o1=int_null, o2=int_null, o3=text_null,
        )
        .order_by()
        .values_list(*columns)
    )  # fmt: skip
    return byline.union(tags, photos, all=True).order_by("kind", "o1", "o2", "o3")


_PARTS = Prepared(_parts, "article_id")


def page_parts(article: Article) -> tuple[list[Author], list[Tag], dict[int, Photo]]:
    """The byline in order, the topics and the body's photos of ``article``."""
    byline, tags, photos = [], [], {}
    for kind, a, b, c, d, e, f, g, *_ in _PARTS.rows(article_id=article.pk):
        if kind == _BYLINE:
            byline.append(Author(name=a, slug=b, pk=c))
        elif kind == _TAG:
            tags.append(Tag(name=a, slug=b, pk=c))
        else:
            photos[c] = Photo(
                pk=c, image=a, image_hash=b, width=d, height=e, alt_text=f, caption=g
            )
    return byline, tags, photos


def representative_photo(article: Article, photos: dict, body_ids: list[int]):
    """The featured photo, else the first photo of the body that has a file."""
    if article.featured_photo and article.featured_photo.image:
        return article.featured_photo
    for photo_id in body_ids:
        photo = photos.get(photo_id)
        if photo is not None and photo.image:
            return photo
    return None


def _shortened(value: str, length: int) -> str:
    """Django's ``truncatechars``, which walks every character even of a text
    short enough already (three of them were 1.5 % of an article page)."""
    return value if len(value) <= length else truncatechars(value, length)


def render_article(request: HttpRequest, article: Article, **extra) -> HttpResponse:
    """Render the article page; the public view and the staff preview share it."""
    tree = sections.tree()
    byline, tags, photos = page_parts(article)
    # The story, and what its page shows of others: its section's newest (the
    # side column), its byline and topics.
    edge.tag(edge.story(article.pk), edge.section(article.category_id))
    edge.tag(*(edge.author(a.pk) for a in byline), *(edge.topic(t.pk) for t in tags))
    canonical = site_url(request, article.get_absolute_url())
    body_ids = body.photo_ids(article.body)
    image = representative_photo(article, photos, body_ids)
    chosen = article.share_photo  # the editors' share image comes first
    if chosen is not None and chosen.image:
        image = chosen
    if image is not None:
        shared = brand.Image(
            site_url(request, image.image.url), image.width, image.height
        )
    else:  # a story without a photo file shares the site's image
        shared = brand.share_image(request)
    related = related_stories(article)  # ids
    # "Cập nhật" only when the text changed after publication (services.py).
    show_updated = article.revised_at is not None
    # A correction dates the story as revised: only then is it asked for.
    corrections = list(article.corrections.all()) if show_updated else []
    # A live story's entries, newest first (only a live story asks).
    entries = live.entries(article) if article.live_started_at else []
    context = {
        "article": article,
        "ancestors": tree.ancestors(article.category_id),
        # The first body photo is the largest element unless one stands above.
        "body_html": body.render(
            article.body,
            photos,
            eager_first=not (
                article.featured_photo_id
                and article.featured_photo_id not in body_ids
                and getattr(article.featured_photo, "image", None)
            ),
        ),
        "body_photo_ids": set(body_ids),
        "byline": byline,
        "tags": tags,
        "related_cards": cards.render(related, "related"),
        "side": side_column(article.category_id, skip={article.pk, *related}),
        "canonical": canonical,
        "description": _shortened(article.page_description, 300),
        "description_short": _shortened(article.page_description, 200),
        "image": image,
        "image_url": shared.url,
        "image_width": shared.width,
        "image_height": shared.height,
        "image_alt": (image.alt_text or image.caption) if image else article.title,
        "show_updated": show_updated,
        "corrections": corrections,
        "live_entries": [live.entry_html(e) for e in entries],
        "live_on": live.is_on(article, timezone.now()),
        "structured_data": jsonld.news_article(
            request, article, canonical, shared, byline, corrections
        ),
    }
    if article.live_started_at:
        context["structured_data"] = live.live_blog_posting(
            context["structured_data"], article, canonical, entries
        )
    response = render(request, "articles/article.html", context | extra)
    if article.updated_at:
        response["Last-Modified"] = http_date(article.updated_at.timestamp())
    return response


def side_column(section_id: int | None, skip=()) -> dict:
    """The side column: the section's newest and the site's most read.

    Both lists are cached under the content generation, so the page keeps
    its small fixed number of queries. Stories shown elsewhere on the page
    (``skip``) are left out: no story twice on one page.
    """
    latest = reads.latest_in_section(section_id) if section_id else []
    column = {
        "latest": [a for a in latest if a["pk"] not in skip][:5],
        "most_read": [a for a in reads.most_read(10) if a["pk"] not in skip][:5],
    }
    edge.stories(a["pk"] for a in column["latest"] + column["most_read"])
    return column


@csrf_exempt  # a beacon from a cached page: no form, no token, nothing to forge
@require_POST
def count_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Count one read of a story (the article page's beacon); no reply body."""
    if pk < 2**63:
        reads.count(pk)
    return HttpResponse(status=204)


def article_detail(request: HttpRequest, path: str, slug: str, pk: int) -> HttpResponse:
    """Show one published story; an old slug or section redirects to the new URL."""
    edge.tag(edge.story(pk))  # its "not found" too, until it is published
    found = _ARTICLE.objects(pk=pk) if pk < 2**63 else []
    if not found:
        raise Http404("Không có bài viết này.")
    article = found[0]
    if article.slug != slug or article.category.path != path:
        return redirect(article.get_absolute_url(), permanent=True)
    return render_article(request, article)


def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """List an author's published stories; no page for one who has none.

    An author known only from drafts or scheduled stories is not public:
    neither the name nor the bio shows before a story of theirs does.
    """
    byline = Article.objects.published().filter(authors=OuterRef("pk"))
    author = get_object_or_404(Author.objects.filter(Exists(byline)), slug=slug)
    edge.tag(edge.author(author.pk))
    page = paginate(
        request,
        Article.objects.published().by_author(author),
        remember=f"author:{author.pk}",
    )
    return render(
        request,
        "articles/author.html",
        {"author": author, "page": page, "side": side_column(None)},
    )


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """List the published stories on a topic; no page for a topic without one."""
    tagged = Article.objects.published().filter(tags=OuterRef("pk"))
    tag = get_object_or_404(Tag.objects.filter(Exists(tagged)), slug=slug)
    edge.tag(edge.topic(tag.pk))
    page = paginate(
        request, Article.objects.published().filter(tags=tag), remember=f"tag:{tag.pk}"
    )
    return render(
        request,
        "articles/tag.html",
        {"tag": tag, "page": page, "side": side_column(None)},
    )


def live_entries(request: HttpRequest, pk: int) -> JsonResponse:
    """A live story's newest entries as HTML, for its open pages to add on top.

    A public page like any other: the page cache serves it to every reader,
    and a new entry drops it after the commit.
    """
    article = get_object_or_404(
        Article.objects.published().filter(live_started_at__isnull=False), pk=pk
    )
    edge.tag(edge.story(pk))
    found = live.entries(article)
    return JsonResponse(
        {
            "entries": [{"id": e.pk, "html": live.entry_html(e)} for e in found],
            "ended": not live.is_on(article, timezone.now())
            and article.live_ended_at is not None,
        }
    )


BREAKING_SECONDS = 2


def breaking_view(request: HttpRequest) -> JsonResponse:
    """The breaking story's headline and address, or nothing: what the banner shows.

    Every page asks for it (``static/js/breaking.js``), cached pages too, so
    a banner appears and goes within seconds of its time without waiting
    for page caches. Kept two seconds here and at any cache in front
    (``max-age``), under the content generation: a change shows at once.
    """
    key = f"breaking:{pagecache.generation()}"
    kept = cache.get(key)
    now = timezone.now()
    # Its age and its story's end by the application's clock, whatever the
    # cache's own expiry (another machine's clock, for Redis).
    fresh = kept is not None and now.timestamp() - kept[0] < BREAKING_SECONDS
    if fresh and kept[1] and kept[1]["until_ts"] <= now.timestamp():
        fresh = False
    if fresh:
        found = kept[1]
    else:
        story = (
            Article.objects.published()
            .filter(breaking_until__gt=now)
            .select_related("category")
            .order_by("-published_at", "-pk")
            .first()
        )
        found = {}
        if story is not None:
            found = {
                "title": story.title,
                "url": story.get_absolute_url(),
                "until": text.iso_datetime(story.breaking_until),
                "until_ts": story.breaking_until.timestamp(),
            }
        cache.set(key, (now.timestamp(), found), BREAKING_SECONDS)
    response = JsonResponse({k: v for k, v in found.items() if k != "until_ts"})
    patch_cache_control(response, public=True, max_age=BREAKING_SECONDS)
    return response


def corrections_view(request: HttpRequest) -> HttpResponse:
    """Every correction and update of a story readers can read, newest first."""
    edge.tag(edge.CORRECTIONS)
    notes = (
        Correction.objects.filter(article__in=Article.objects.published())
        .select_related("article", "article__category")
        .order_by("-created_at", "-id")
    )
    page = Paginator(notes, 30).get_page(request.GET.get("trang"))
    edge.stories(note.article_id for note in page)
    return render(
        request, "articles/corrections.html", {"page": page, "side": side_column(None)}
    )


def search_view(request: HttpRequest) -> HttpResponse:
    """Search published stories, marks or no marks; title matches first.

    Filters: ``chuyen-muc`` (a section's path, its sub-sections included),
    ``tu`` and ``den`` (dates, Hà Nội time, both days included). A filter
    that cannot be read is ignored and said so; the words still search.
    """
    edge.tag(edge.SEARCH)
    raw = request.GET.get("q", "")
    words = search.words(raw)
    filters = search.Filters.read(request.GET, sections.tree())
    page = None
    if words:
        page = paginate(
            request,
            search.results(
                filters.apply(Article.objects.published()), words, typed=raw
            ),
            words=words,
        )
    return render(
        request,
        "articles/search.html",
        {
            "query": raw[: search.MAX_QUERY],
            "words": words,
            "page": page,
            "filters": filters,
            "section_choices": sections.tree().choices(),
            "page_query": filters.query_string(raw[: search.MAX_QUERY]),
            "side": side_column(None),
        },
    )
