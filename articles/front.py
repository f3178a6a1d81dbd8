"""The front page as the editors arranged it ("Sắp xếp trang chủ"), with fallbacks.

Editors pin stories (:class:`articles.models.FrontPin`): the lead story, the
top stories in order, and a section's top story. What the pages show is
the pins still in force whose stories readers can read (``published()``);
every other place takes the newest stories, as before any arrangement.

One query, kept in the cache under the content generation (a change of
the arrangement shows at once) until ``NEWSROOM_LIST_SECONDS`` have passed
or the next pin ends, whichever comes first: a pin's end is on the pages
built after it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from newsroom import pagecache

from .models import Article, FrontPin


@dataclass
class Arrangement:
    lead: int | None = None
    top: list[int] = field(default_factory=list)
    sections: dict[int, int] = field(default_factory=dict)  # section id → story


def arrangement() -> Arrangement:
    """The pins in force now, for stories readers can read."""
    current = pagecache.generation()
    key = f"front:{current}" if current is not None else None
    kept = cache.get(key) if key else None
    if kept is not None and time.time() < kept[0]:
        return kept[1]
    now = timezone.now()
    rows = list(
        FrontPin.objects.filter(Q(pinned_until__isnull=True) | Q(pinned_until__gt=now))
        .filter(article__in=Article.objects.published(now))
        .order_by("place", "position", "-id")
        .values_list("place", "category_id", "article_id", "pinned_until")
    )
    found = _arranged(rows)
    if key:
        ends = [until.timestamp() for *_, until in rows if until is not None]
        until = min([time.time() + settings.NEWSROOM_LIST_SECONDS, *ends])
        cache.set(key, (until, found), settings.NEWSROOM_LIST_SECONDS)
    return found


def _arranged(rows) -> Arrangement:
    found = Arrangement()
    for place, section, story, _ in rows:
        if place == FrontPin.Place.LEAD:
            found.lead = found.lead or story
        elif place == FrontPin.Place.TOP:
            if story not in found.top:
                found.top.append(story)
        else:
            found.sections.setdefault(section, story)
    return found


def home_lists(latest: list[int], pins: Arrangement, size: int) -> tuple:
    """The lead story and the ``size`` stories under it: pinned first, then newest."""
    lead = pins.lead or (latest[0] if latest else None)
    top = [pk for pk in pins.top if pk != lead]
    rest = [pk for pk in latest if pk != lead and pk not in top]
    return lead, (top + rest)[:size]
