"""RSS 2.0 and Atom feeds: each item a draft (feedparser reads the feed).

An item gives the title, the lead (its description or summary, as plain
text), the body (``content:encoded`` or Atom ``content``, else the
description, through the one sanitizer), the author, its categories as
topics, its enclosure images as photos, and its GUID (Atom ``id``, else the
link) as ``external_id``, so the same feed read again creates nothing new.
This module only parses; fetching over HTTP is :mod:`articles.importers.http`
and writing is the loader's.
"""

from __future__ import annotations

import datetime as dt
import html

import feedparser
from bs4 import BeautifulSoup

from .. import sanitize, text
from .base import (
    ArticleDraft,
    Block,
    DraftError,
    PhotoDraft,
    check_double_encoding,
    content_hash,
)

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol"}


def parse(data: bytes, source: str, fix_mojibake: bool = False) -> list:
    """Return a draft, or the :class:`DraftError` of that item, per feed item.

    A document that is not a feed at all raises :class:`DraftError`.
    """
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=True)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = getattr(parsed.get("bozo_exception"), "getMessage", None)
        detail = f" ({reason()})" if reason else ""
        raise DraftError(f"không phải nguồn tin RSS/Atom đọc được{detail}")
    results = []
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#{number}"
        try:
            results.append(_draft(entry, where, fix_mojibake))
        except DraftError as exc:
            exc.reason = f"mục {number}: {exc.reason}"
            results.append(exc)
    return results


def _plain(value: str, fix_mojibake: bool) -> str:
    """Plain one-line text of a feed string that may hold HTML or entities."""
    value = check_double_encoding(value or "", fix_mojibake)
    return text.clean_line(text.html_to_text(sanitize.clean_html(value)))


def _draft(entry, where: str, fix_mojibake: bool) -> ArticleDraft:
    title = _plain(entry.get("title", ""), fix_mojibake)
    if not title:
        raise DraftError("thiếu tiêu đề")
    draft = ArticleDraft(title=title, source=where)
    draft.external_id = (entry.get("id") or entry.get("link") or "")[:200] or None
    link = entry.get("link", "")
    if link.startswith(("http://", "https://")):
        draft.source_url = link
    summary = entry.get("summary", "")
    content = entry.get("content") or []
    body_html = next(
        (c.value for c in content if "html" in c.get("type", "text/html")), ""
    )
    draft.lead = _plain(summary, fix_mojibake) if body_html else ""
    draft.blocks = html_blocks(
        check_double_encoding(body_html or summary, fix_mojibake)
    )
    if not draft.blocks and draft.lead:
        draft.blocks = [Block(type="paragraph", html=html.escape(draft.lead))]
        draft.lead = ""
    detail = entry.get("author_detail") or {}
    author = _plain(detail.get("name") or entry.get("author", ""), fix_mojibake)
    if author:
        draft.authors = [author]
    draft.tags = list(
        dict.fromkeys(
            t
            for t in (
                _plain(tag.get("term", ""), fix_mojibake)
                for tag in entry.get("tags", [])
            )
            if t
        )
    )
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    if when:
        draft.published_at = dt.datetime(*when[:6], tzinfo=dt.UTC)
    for enclosure in entry.get("enclosures", []):
        if enclosure.get("type", "").split(";")[0] in IMAGE_TYPES and enclosure.get(
            "href"
        ):
            draft.blocks.insert(
                0,
                Block(
                    type="photo",
                    photo=PhotoDraft(caption=title, url=enclosure["href"]),
                ),
            )
    # An item with neither GUID nor link is known by its text.
    draft.content_hash = content_hash(
        "\n".join([title, summary, body_html, str(entry.get("published_parsed") or "")])
    )
    return draft


def html_blocks(markup: str, photo=None) -> list[Block]:
    """The body's blocks: paragraphs, headings, quotes, lists and photos.

    Shared with the WordPress and IPTC importers: a ``<figure>`` or a lone
    ``<img>`` is a photo (its caption split from its credit), the rest
    passes the one sanitizer. ``photo`` turns such a node into a photo slot
    when a format knows more about its pictures than the markup says.
    """
    photo = photo or photo_slot
    if not markup.strip():
        return []
    soup = BeautifulSoup(sanitize.clean_html(text.nfc(markup)), "html.parser")
    blocks: list[Block] = []
    loose: list[str] = []

    def flush_loose() -> None:
        joined = text.clean_line(" ".join(loose))
        if joined:
            blocks.append(Block(type="paragraph", html=joined))
        loose.clear()

    for node in soup.contents:
        name = getattr(node, "name", None)
        if name is None or name not in _BLOCK_TAGS | {"figure", "img", "table"}:
            loose.append(str(node))
            continue
        flush_loose()
        if name in ("figure", "img"):
            slot = photo(node)
            if slot is not None:
                blocks.append(Block(type="photo", photo=slot))
        elif name == "p":
            if node.find("img") is not None and not node.get_text(strip=True):
                slot = photo(node.find("img"))
                if slot is not None:
                    blocks.append(Block(type="photo", photo=slot))
                continue
            inner = node.decode_contents().strip()
            if inner:
                blocks.append(Block(type="paragraph", html=inner))
        elif name.startswith("h"):
            level = min(max(int(name[1]), 2), 4)
            blocks.append(
                Block(type="heading", html=node.decode_contents(), level=level)
            )
        else:
            blocks.append(
                Block(
                    type="quote"
                    if name == "blockquote"
                    else "list"
                    if name in ("ul", "ol")
                    else "table",
                    html=str(node),
                )
            )
    flush_loose()
    return blocks


def photo_slot(node) -> PhotoDraft | None:
    """A photo slot from ``<figure>``/``<img>``: caption, credit, image address."""
    img = node if node.name == "img" else node.find("img")
    src = img.get("src", "") if img is not None else ""
    caption_node = node.find("figcaption") if node.name == "figure" else None
    caption = text.clean_line(caption_node.get_text(" ")) if caption_node else ""
    if not caption and img is not None:
        caption = text.clean_line(img.get("alt", ""))
    credit = ""
    split = text.split_credit(caption) if caption else None
    if split is not None:
        caption, credit = split
    if not src.startswith(("http://", "https://")) and not caption:
        return None
    return PhotoDraft(
        caption=caption,
        credit=credit,
        url=src if src.startswith(("http://", "https://")) else None,
    )
