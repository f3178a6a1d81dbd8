"""Which photo files readers may have: those a published story shows.

The photo of a draft, a story in review, an archived or a scheduled story
is not public: its files are named by their content hash (nothing to guess
from), and when Django serves media itself (``NEWSROOM_SERVE_MEDIA``: one
machine, development) it serves a photo's original and renditions only
while a published story uses it, or to signed-in staff. A web server or
object storage in front of ``media/`` serves by name alone; there the
unguessable name is what keeps an unpublished photo private.
"""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q

from .. import text
from ..models import Article, Author, LiveEntry, Photo

_RENDITION = re.compile(
    r"renditions/[0-9a-f]{2}/(?P<hash>[0-9a-f]+)-(?:[a-z]+-)?\d+(?:-(?:c|\d{4}))?"
    r"\.(?:webp|jpg)"
)


def is_public(name: str) -> bool:
    """Whether the media file ``name`` belongs to a photo readers may see."""
    if text.unstorable(name) or len(name) > 500:
        return False  # no stored photo has such a name
    rendition = _RENDITION.fullmatch(name)
    owner = Q(image_hash=rendition["hash"]) if rendition else Q(image=name)
    published = Article.objects.published()
    shown = (
        Exists(published.filter(photos=OuterRef("pk")))
        | Exists(published.filter(featured_photo=OuterRef("pk")))
        # The share image of a story's card, and a live story's photo entries.
        | Exists(published.filter(share_photo=OuterRef("pk")))
        | Exists(LiveEntry.objects.filter(photo=OuterRef("pk"), article__in=published))
        | Exists(Author.objects.filter(photo=OuterRef("pk"), articles__in=published))
    )
    return Photo.objects.filter(owner).filter(shown).exists()
