"""Importing feeds: a file, an address, or every active :class:`Feed` in turn.

Items become drafts through the one loader (the same matching, so a feed
read twice creates nothing new). Images an item encloses are fetched only
for items that are new, with the same limits as the feed; an image that
cannot be fetched leaves its photo without a file, and the story is still
imported. A feed whose answer is 304 Not Modified is not parsed at all.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.utils import timezone

from .. import text
from . import feed, http
from .base import DraftError
from .loader import Loader

IMAGE_MAX_BYTES = 20 * 1024 * 1024


def load(
    data: bytes,
    source: str,
    loader: Loader,
    *,
    category: str = "",
    agency: str = "",
    fix_mojibake: bool = False,
) -> None:
    """Parse a feed's bytes and hand each item to ``loader``."""
    try:
        items = feed.parse(data, source, fix_mojibake)
    except DraftError as exc:
        loader.summary.fail(source, None, exc.reason)
        return
    load_items(items, source, loader, category=category, agency=agency)


def load_items(
    items: list, source: str, loader: Loader, *, category: str = "", agency: str = ""
) -> None:
    """Hand drafts (or their errors) to ``loader``, fetching new items' images.

    Shared by every format whose pictures are addresses: feeds, ninjs and
    NewsML-G2.
    """
    with tempfile.TemporaryDirectory(prefix="newsroom-feed-") as scratch:
        for item in items:
            if isinstance(item, DraftError):
                loader.summary.fail(source, None, item.reason)
                continue
            item.category = item.category or category
            item.agency = item.agency or agency
            if not loader.would_skip(item):
                _fetch_images(item, Path(scratch), loader)
            loader.load(item)
        loader.flush()  # the fetched images are read before the folder goes


def _fetch_images(item, scratch: Path, loader: Loader) -> None:
    for number, photo in enumerate(item.photos, start=1):
        if not photo.url:
            continue
        try:
            answer = http.fetch(photo.url, max_bytes=IMAGE_MAX_BYTES)
        except DraftError as exc:
            loader.summary.warn(item.source, f"ảnh {number}: {exc.reason}")
            continue
        path = scratch / f"{text.slugify_vi(item.title)[:60] or 'anh'}-{number}"
        path.write_bytes(answer.body)
        photo.source_file = path


def poll(feed_row, loader: Loader, fix_mojibake: bool = False) -> str:
    """Read one :class:`Feed` if it changed; return a one-line result."""
    before = (loader.summary.created, loader.summary.failed)
    try:
        answer = http.fetch(
            feed_row.url, etag=feed_row.etag, last_modified=feed_row.last_modified
        )
    except DraftError as exc:
        loader.summary.fail(feed_row.name, None, exc.reason)
        result = exc.reason
    else:
        if answer.status == 304:
            result = "không đổi (304)"
        else:
            load(
                answer.body,
                feed_row.url,
                loader,
                # The section by its names from the top ("Cha › Con"): unambiguous.
                category=" › ".join(c.name for c in feed_row.section.ancestors()),
                agency=feed_row.agency,
                fix_mojibake=fix_mojibake,
            )
            feed_row.etag, feed_row.last_modified = answer.etag, answer.last_modified
            created = loader.summary.created - before[0]
            failed = loader.summary.failed - before[1]
            result = f"{created} bài mới" + (f", {failed} lỗi" if failed else "")
    feed_row.last_polled_at = timezone.now()
    feed_row.last_result = result[:500]
    feed_row.save(
        update_fields=["etag", "last_modified", "last_polled_at", "last_result"]
    )
    return result
