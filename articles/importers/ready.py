"""What saving a draft will compute, computed where the draft is read.

``Article.prepare()`` cleans the text, sanitizes the body and folds the
search fields: a third of what an import spends on a story, and all of it
a function of the draft but for the photo rows' ids in the body. A draft
read from JSON Lines carries it ready (:func:`ready_for`), computed by the
very functions ``prepare()`` calls with stand-in ids, so that the process
reading records (``import_articles --jobs``) does that work and the process
writing rows only puts the ids in. ``prepare()`` takes these values only
when the article's text is still the one they were made from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connections

from .. import body, sanitize, text, vectors
from .base import ArticleDraft

# Stand-in ids: 19 digits, beyond any row's id, so the sanitized body shows
# exactly where each photo's id goes.
_STAND_IN = 9 * 10**18
_STAND_INS = re.compile(r'data-photo-id="9(\d{18})"')


@dataclass
class Ready:
    """A draft's text as ``Article.prepare()`` leaves it, photo ids aside."""

    title: str
    lead: str
    location: str
    body: str  # sanitized, the photos' ids as stand-ins
    photos: int
    search_title: str
    search_lead: str
    # The folded body and location; the byline and tag names join at save.
    search_body: str
    # PostgreSQL's search vector of the three (``articles/vectors.py``).
    vector: vectors.Vector | None = None
    # The slug the story gets before any "-2" suffix (``models.slug_base``).
    slug_base: str = ""

    def body_with(self, photo_ids: list[int]) -> str:
        """The stored body with the photo rows' ids in their places."""
        if len(photo_ids) != self.photos:
            raise ValueError("one id for each photo of the body")
        return _STAND_INS.sub(
            lambda m: f'data-photo-id="{photo_ids[int(m.group(1))]}"', self.body
        )


def ready_for(draft: ArticleDraft) -> Ready | None:
    """Compute what saving ``draft`` will compute; ``None`` when it cannot be."""
    from ..models import slug_base  # a spawned reader imports this module first

    count = len(draft.photos)
    stand_ins = [_STAND_IN + i for i in range(count)]
    raw = body.from_blocks(draft.blocks, stand_ins)
    if len(_STAND_INS.findall(raw)) != count:
        return None  # the source's HTML holds a look-alike: leave it to save()
    clean = sanitize.clean_html(text.nfc(raw))
    found = [int(m.group(1)) for m in _STAND_INS.finditer(clean)]
    if found != list(range(count)):
        return None
    location = text.clean_line(draft.location)
    title = text.clean_line(draft.title)
    lead = text.clean_line(draft.lead)
    search_title, search_lead = text.fold(title), text.fold(lead)
    search_body = text.fold(f"{text.html_to_text(clean)} {location}")
    return Ready(
        title=title,
        lead=lead,
        location=location,
        body=clean,
        photos=count,
        search_title=search_title,
        search_lead=search_lead,
        search_body=search_body,
        vector=(
            vectors.build(search_title, search_lead, search_body)
            if connections["default"].vendor == "postgresql"
            else None
        ),
        slug_base=slug_base(title, draft.slug),
    )
