"""WordPress eXtended RSS (WXR, ``.xml``): a WordPress site's export.

Read with defusedxml (no entity expansion, no external entities). Elements
are matched by local name, so exports with ``http://`` or ``https://``
namespace addresses, and any WXR version, read alike.

What becomes what:

- posts (``post_type`` post; pages too with ``pages=True``) become stories;
  attachments, menu items, revisions and other types are not stories and
  are counted; comments are skipped and counted;
- the category tree (``wp:category`` with its parents) becomes sections
  ("Cha › Con"); a post's first category is its section, its tags are
  topics;
- authors' display names (``wp:author_display_name``, by login) are the
  byline;
- statuses: publish → published, future → published at its future time
  (scheduled), draft and auto-draft → draft, pending → review, private →
  draft (WordPress shows it to logged-in editors only); a password-protected
  post is imported as a draft, never published, and reported;
- ``wp:post_date_gmt`` is the time; without it (drafts), ``wp:post_date`` in
  the site's time zone (Hà Nội unless told);
- the excerpt is the lead; ``content:encoded`` goes through the sanitizer
  into the body: ``[caption]`` shortcodes and Gutenberg image blocks become
  photos with caption and credit; text without paragraph tags is split at
  blank lines, as WordPress prints it;
- the featured image (``_thumbnail_id``) opens the story as its first
  photo unless the body shows it already; images are taken from the
  ``media`` folder (by their path under ``wp-content/uploads``, else their
  file name), else left as photos without a file, their address kept;
- ``wp:postmeta`` other than ``_thumbnail_id``, stickiness and post formats
  are ignored (the curated front page is the editors' own).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from .. import sanitize, text
from ..choices import Status
from .base import ArticleDraft, Block, DraftError, PhotoDraft, content_hash
from .feed import html_blocks

# WordPress's post statuses (its own words) and ours.
STATUSES = dict(
    publish=Status.PUBLISHED,
    future=Status.PUBLISHED,
    draft=Status.DRAFT,
    pending=Status.REVIEW,
    private=Status.DRAFT,
) | {"auto-draft": Status.DRAFT}
_NO_DATE = "0000-00-00 00:00:00"
_CAPTION = re.compile(r"\[caption[^\]]*\](?P<inner>.*?)\[/caption\]", re.S | re.I)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_WP_IMAGE = re.compile(r"wp-image-(\d+)")
_SHORTCODE = re.compile(r"\[/?[a-z_][\w-]*(?:\s[^\]]*)?\]", re.I)
_BLOCKISH = re.compile(r"<(?:p|h[1-6]|figure|ul|ol|blockquote|table)\b", re.I)


@dataclass
class Export:
    """What one WXR file holds: story drafts, errors, and what was left out."""

    drafts: list = field(default_factory=list)  # ArticleDraft | DraftError
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def skip(self, what: str, n: int = 1) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + n


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element, name: str):
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element, name: str) -> str:
    found = _child(element, name)
    return (found.text or "") if found is not None else ""


def parse(
    data: bytes,
    source: str,
    *,
    media: Path | None = None,
    pages: bool = False,
    tz: str = "Asia/Ho_Chi_Minh",
) -> Export:
    """Read a WXR export; raise :class:`DraftError` when it is not one."""
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise DraftError(f"không phải tệp XML đọc được ({exc})") from None
    channel = _child(root, "channel")
    if _local(root.tag) != "rss" or channel is None:
        raise DraftError("không phải bản xuất WordPress (WXR): thiếu <rss><channel>")
    zone = zoneinfo.ZoneInfo(tz)
    authors = {
        _text(a, "author_login"): text.clean_line(_text(a, "author_display_name"))
        or _text(a, "author_login")
        for a in channel
        if _local(a.tag) == "author"
    }
    sections = _sections(channel)
    items = [e for e in channel if _local(e.tag) == "item"]
    attachments = {}
    for item in items:
        if _text(item, "post_type") == "attachment":
            attachments[_text(item, "post_id")] = _text(item, "attachment_url").strip()
    export = Export()
    wanted = {"post", "page"} if pages else {"post"}
    for item in items:
        kind = _text(item, "post_type") or "post"
        comments = sum(1 for c in item if _local(c.tag) == "comment")
        if comments:
            export.skip("bình luận", comments)
        if kind not in wanted:
            export.skip(
                {
                    "attachment": "tệp đính kèm",
                    "nav_menu_item": "mục menu",
                    "page": "trang",
                }.get(kind, kind)
            )
            continue
        post_id = _text(item, "post_id")
        try:
            export.drafts.append(
                _draft(
                    item,
                    source,
                    post_id,
                    authors,
                    sections,
                    attachments,
                    media,
                    zone,
                    export,
                )
            )
        except DraftError as exc:
            exc.reason = f"bài {post_id or '?'}: {exc.reason}"
            export.drafts.append(exc)
    return export


def _sections(channel) -> dict[str, str]:
    """Map each category's nicename to its path of names ("Cha › Con")."""
    found = {}
    for element in channel:
        if _local(element.tag) == "category":
            nicename = _text(element, "category_nicename")
            found[nicename] = (
                text.clean_line(html.unescape(_text(element, "cat_name"))),
                _text(element, "category_parent"),
            )
    paths = {}
    for nicename in found:
        chain, seen, current = [], set(), nicename
        while current in found and current not in seen:
            seen.add(current)
            name, parent = found[current]
            chain.insert(0, name)
            current = parent
        paths[nicename] = " › ".join(chain)
    return paths


def _draft(item, source, post_id, authors, sections, attachments, media, zone, export):
    where = f"{source}#{post_id}"
    title = text.clean_line(re.sub(r"<[^>]+>", "", html.unescape(_text(item, "title"))))
    if not title:
        raise DraftError("không có tiêu đề (WordPress cho phép, ở đây thì không)")
    draft = ArticleDraft(title=title, source=where)
    guid = _text(item, "guid").strip()
    draft.external_id = (guid or f"wordpress:{post_id}")[:200]
    link = _text(item, "link").strip()
    if link.startswith(("http://", "https://")):
        draft.source_url = link[:1000]
    draft.slug = text.slugify_vi(html.unescape(_text(item, "post_name")))[:200]
    status = _text(item, "status")
    draft.status = STATUSES.get(status, Status.DRAFT)
    if _text(item, "post_password").strip():
        draft.status = Status.DRAFT
        export.notes.append(f"{where}: bài có mật khẩu, nhập thành bản nháp")
    # Only a published or future post has a publication time; a draft's date
    # is when it was last saved.
    draft.published_at = _date(item, zone) if draft.status == Status.PUBLISHED else None
    creator = _text(item, "creator")
    if creator:
        draft.authors = [authors.get(creator, creator)]
    categories = [c for c in item if _local(c.tag) == "category"]
    for element in categories:
        domain, nicename = element.get("domain", ""), element.get("nicename", "")
        name = text.clean_line(html.unescape(element.text or ""))
        if domain == "category" and not draft.category:
            draft.category = sections.get(nicename) or name
        elif domain == "post_tag" and name:
            draft.tags.append(name)
    if not draft.category:
        draft.category = "Chưa phân loại"
    draft.lead = text.html_to_text(sanitize.clean_html(_encoded(item, excerpt=True)))
    body = _encoded(item, excerpt=False)
    draft.blocks = html_blocks(_prepare(body, attachments))
    for block in draft.blocks:
        if block.photo is not None:
            _attach(block.photo, media)
    thumbnail = next(
        (
            _text(meta, "meta_value")
            for meta in item
            if _local(meta.tag) == "postmeta"
            and _text(meta, "meta_key") == "_thumbnail_id"
        ),
        "",
    )
    featured = attachments.get(thumbnail.strip())
    if featured and not any(p.url == featured for p in draft.photos):
        photo = PhotoDraft(caption="", url=featured)
        _attach(photo, media)
        draft.blocks.insert(0, Block(type="photo", photo=photo))
    draft.content_hash = content_hash(f"{title}\n{body}")
    return draft


def _encoded(item, excerpt: bool) -> str:
    """``content:encoded`` or ``excerpt:encoded``: one local name, two namespaces."""
    for child in item:
        if _local(child.tag) == "encoded" and ("excerpt" in child.tag) == excerpt:
            return child.text or ""
    return ""


def _date(item, zone) -> dt.datetime | None:
    gmt = _text(item, "post_date_gmt").strip()
    local = _text(item, "post_date").strip()
    try:
        if gmt and gmt != _NO_DATE:
            return dt.datetime.fromisoformat(gmt).replace(tzinfo=dt.UTC)
        if local and local != _NO_DATE:
            return dt.datetime.fromisoformat(local).replace(tzinfo=zone)
    except ValueError:
        raise DraftError(f"ngày đăng không đọc được: {gmt or local!r}") from None
    return None


def _prepare(body: str, attachments: dict[str, str]) -> str:
    """WordPress markup as plain HTML: captions as figures, paragraphs as ``<p>``."""

    def caption(match: re.Match) -> str:
        inner = match.group("inner")
        img = _IMG_TAG.search(inner)
        words = _IMG_TAG.sub("", inner)
        words = re.sub(r"</?a\b[^>]*>", "", words).strip()
        return f"<figure>{img.group() if img else ''}<figcaption>{words}</figcaption></figure>\n\n"

    body = _CAPTION.sub(caption, body)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)  # Gutenberg's block comments
    body = _SHORTCODE.sub("", body)

    # An image of the library is given its original's address, as the
    # featured image is, so the two are known as one photo.
    def original(match: re.Match) -> str:
        tag = match.group()
        found = _WP_IMAGE.search(tag)
        if found and found.group(1) in attachments:
            return re.sub(r'src="[^"]*"', f'src="{attachments[found.group(1)]}"', tag)
        return tag

    body = _IMG_TAG.sub(original, body)
    if not _BLOCKISH.search(body):
        parts = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
        body = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in parts)
    return body


def _attach(photo: PhotoDraft, media: Path | None) -> None:
    """Find the photo's file in the media folder, by its uploads path or name."""
    if media is None or not photo.url:
        return
    media = media.resolve()
    path = photo.url.split("?", 1)[0]
    relative = (
        path.split("/wp-content/uploads/", 1)[-1]
        if "/wp-content/uploads/" in path
        else ""
    )
    for candidate in (media / relative if relative else None, media / Path(path).name):
        if (
            candidate is not None
            and candidate.is_file()
            and media in candidate.resolve().parents
        ):
            photo.source_file = candidate
            return
