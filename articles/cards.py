"""Story cards: a story as a list shows it, built once per content generation.

Every list of the reader site (home, sections, days, authors, topics,
search, "Xem thêm") prints its stories as cards. A page asks for its cards
by id; each card's HTML is kept in the cache under the content generation
(:mod:`newsroom.pagecache`), the page's language and the card's variant, so
a list page is one query for its ids and one cache read for its cards. A
card not cached yet is read as a plain row (the dozen columns it prints,
no model instance) and rendered with its template; any committed change to
what pages show moves the generation on and the cards with it.

Search results carry the searched words marked in them, so they are built
for each search and never cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from newsroom import edge, pagecache
from newsroom.site import media_url

from . import sections


@dataclass(frozen=True)
class Variant:
    """How a list shows its cards: the template, image ``sizes``, heading level."""

    template: str
    sizes: str
    level: int = 3
    show_lead: bool = False
    show_section: bool = False
    crop: str = ""  # a crop of NEWSROOM_CROPS, around the photo's focal point


VARIANTS = {
    # The home page's lead story: large photo, section, lead.
    "lead": Variant(
        "includes/lead_story.html",
        "(min-width: 48rem) 42rem, 100vw",
        level=2,
        show_lead=True,
        show_section=True,
    ),
    # Home blocks: a grid of small cards.
    "grid": Variant(
        "includes/article_card.html", "(min-width: 48rem) 16rem, 8rem", crop="the"
    ),
    # A section's own list (the section is the page's title).
    "section": Variant(
        "includes/article_card.html",
        "(min-width: 48rem) 15rem, 8rem",
        level=2,
        show_lead=True,
        crop="the",
    ),
    # Day, author, topic and search lists: stories from every section.
    "list": Variant(
        "includes/article_card.html",
        "(min-width: 48rem) 15rem, 8rem",
        level=2,
        show_lead=True,
        show_section=True,
        crop="the",
    ),
    # "Xem thêm" under an article.
    "related": Variant(
        "includes/article_card.html", "(min-width: 48rem) 12rem, 8rem", crop="the"
    ),
}


class _File:
    """A stored file's name and URL, as templates read ``photo.image``."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __bool__(self) -> bool:
        return bool(self.name)

    @property
    def url(self) -> str:
        return media_url(self.name)


@dataclass
class PhotoRow:
    """The featured photo's columns a card prints (``picture`` reads these)."""

    image: _File
    image_hash: str
    width: int | None
    height: int | None
    alt_text: str
    caption: str
    focal_x: float | None = None
    focal_y: float | None = None


@dataclass
class Card:
    """One story as a card prints it."""

    pk: int
    title: str
    url: str
    lead: str
    published_at: dt.datetime
    section: sections.Section | None
    photo: PhotoRow | None


_COLUMNS = (
    "pk",
    "title",
    "slug",
    "lead",
    "published_at",
    "category_id",
    "featured_photo__image",
    "featured_photo__image_hash",
    "featured_photo__width",
    "featured_photo__height",
    "featured_photo__alt_text",
    "featured_photo__caption",
    "featured_photo__focal_x",
    "featured_photo__focal_y",
)


def rows(ids) -> dict[int, Card]:
    """Read the cards of ``ids`` in one query: plain rows, no model instances.

    The ids come from ``Article.objects.published()`` (every list starts
    there); the section comes from the cached section tree, not a join.
    """
    from .models import Article

    if not ids:
        return {}
    tree = sections.tree()
    found = {}
    for (
        pk,
        title,
        slug,
        lead,
        published_at,
        section_id,
        image,
        image_hash,
        width,
        height,
        alt_text,
        caption,
        focal_x,
        focal_y,
    ) in Article.objects.filter(pk__in=list(ids)).values_list(*_COLUMNS).order_by():
        section = tree.get(section_id)
        photo = (
            PhotoRow(
                _File(image),
                image_hash or "",
                width,
                height,
                alt_text,
                caption,
                focal_x,
                focal_y,
            )
            if image
            else None
        )
        found[pk] = Card(
            pk=pk,
            title=title,
            url=Article.url_for(section.path if section else "", slug, pk),
            lead=lead,
            published_at=published_at,
            section=section,
            photo=photo,
        )
    return found


def html(card: Card, variant: str, words=()) -> SafeString:
    """Render one card (``words``: the searched words, marked in title and lead)."""
    spec = VARIANTS[variant]
    return get_template(spec.template).render(
        {
            "card": card,
            "sizes": spec.sizes,
            "level": spec.level,
            "show_lead": spec.show_lead,
            "show_section": spec.show_section,
            "crop": spec.crop,
            "words": list(words),
        }
    )


def render(ids, variant: str, words=()) -> list[SafeString]:
    """Return the cards of ``ids``, in that order, as HTML ready to print.

    A story that is gone (deleted since the ids were read) is left out.
    """
    ids = list(ids)
    edge.stories(ids)
    current = pagecache.generation()
    if words or current is None or not ids:
        found = rows(ids)
        return [html(found[pk], variant, words) for pk in ids if pk in found]
    prefix = f"card:{current}:{get_language() or 'vi'}:{variant}:"
    cached = cache.get_many([f"{prefix}{pk}" for pk in ids])
    missing = [pk for pk in ids if f"{prefix}{pk}" not in cached]
    if missing:
        found = rows(missing)
        fresh = {f"{prefix}{pk}": str(html(found[pk], variant)) for pk in found}
        cache.set_many(fresh, settings.NEWSROOM_FRAGMENT_SECONDS)
        cached.update(fresh)
    return [
        mark_safe(cached[f"{prefix}{pk}"]) for pk in ids if f"{prefix}{pk}" in cached
    ]
