"""RSS 2.0 and Atom feeds: the whole site and each section."""

from __future__ import annotations

import copy
import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Enclosure

from newsroom import edge
from newsroom.site import site_url

from . import sections, text
from .models import Article

ITEMS = 30


class LatestArticlesFeed(Feed):
    """The newest published stories."""

    description_template = None
    base = ""  # this request's site address, on the request's own copy

    def __call__(self, request, *args, **kwargs):
        # The URL pattern holds one instance for every request: each request
        # gets a copy of its own, so nothing of it stays on the shared one.
        feed = copy.copy(self)
        edge.tag(edge.FEEDS)
        feed.base = site_url(request, "")
        return Feed.__call__(feed, request, *args, **kwargs)

    def title(self, obj=None) -> str:
        name = settings.NEWSROOM_SITE_NAME
        return f"{obj.name} – {name}" if obj else name

    def link(self, obj=None) -> str:
        return self.base + (obj.get_absolute_url() if obj else "/")

    def feed_url(self, obj=None) -> str:
        path = obj.get_absolute_url() if obj else "/"
        return f"{self.base}{path}{self.feed_path}"

    feed_path = "rss/"

    def item_link(self, item: Article) -> str:
        return self.base + item.get_absolute_url()

    def description(self, obj=None) -> str:
        if obj:
            return obj.description or f"Tin mới nhất chuyên mục {obj.name}"
        return f"Tin mới nhất của {settings.NEWSROOM_SITE_NAME}"

    def items(self, obj=None):
        queryset = Article.objects.published()
        if obj is not None:
            queryset = queryset.filter(
                category_id__in=sections.tree().subtree_ids(obj.id)
            )
        return (
            queryset.select_related("category", "featured_photo")
            .with_byline()
            .prefetch_related("corrections")
            .order_by("-published_at", "-pk")[:ITEMS]
        )

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        """The lead, then each correction and update with its time."""
        notes = [
            f"{c.get_kind_display()} ({text.format_datetime_vi(c.created_at)}): {c.text}"
            for c in item.corrections.all()
        ]
        return "\n\n".join([item.lead, *notes]) if notes else item.lead

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.modified_at

    def item_author_name(self, item: Article) -> str | None:
        return ", ".join(a.name for a in item.byline) or item.agency or None

    def item_categories(self, item: Article):
        return [item.category.name]

    def item_enclosures(self, item: Article):
        photo = item.featured_photo
        if photo is None or not photo.image:
            return []
        mime = mimetypes.guess_type(photo.image.name)[0] or "image/jpeg"
        # The size stored at intake: asking storage would be a request per
        # item on object storage.
        length = str(photo.file_size or 0)
        return [Enclosure(self.base + photo.image.url, length, mime)]

    def get_object(self, request, path: str | None = None):
        if path is None:
            return None
        section = sections.tree().find(path)
        if section is None:
            raise Http404("Không có chuyên mục này.")
        return section


class LatestArticlesAtom(LatestArticlesFeed):
    feed_type = Atom1Feed
    feed_path = "atom/"

    def subtitle(self, obj=None) -> str:
        return self.description(obj)
