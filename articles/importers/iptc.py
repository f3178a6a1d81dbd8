"""What the two IPTC formats, ninjs and NewsML-G2, share: pictures and the body.

Both carry a story's pictures apart from its text, each with its renditions
(addresses, sizes), caption and credit, while the body's HTML shows them
where they stand. On export a photo in the body is printed as a
``<figure>`` whose ``<img>`` is the picture's largest image and whose
``<figcaption>`` is the caption and the credit as a page prints them; on
import a figure is matched to its picture by the image's address, so the
picture's own caption and credit win over what the markup says. A picture
that the body does not show (an agency's feature image) opens the story.

An address under this site's own media (``own_media``) is a stored file
and is used as it is; any other is fetched when the story is new, or left
as a photo without a file with its address kept.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from newsroom.site import media_url

from .. import text
from ..choices import Status
from ..photos import renditions as renditions_module
from .base import Block, PhotoDraft
from .feed import html_blocks, photo_slot
from .jsonl import _inside_media

# Our workflow and the IPTC publication status (ninjs pubstatus, NewsML-G2
# stat: codes). A story in review goes out as withheld and comes back a draft.
PUBSTATUS = {
    Status.PUBLISHED: "usable",
    Status.DRAFT: "withheld",
    Status.REVIEW: "withheld",
    Status.ARCHIVED: "canceled",
}
STATUS_OF = {
    "usable": Status.PUBLISHED,
    "withheld": Status.DRAFT,
    "canceled": Status.ARCHIVED,
}
# Names agencies give the full-size image among a picture's renditions.
_ORIGINAL_NAMES = {"original", "highres", "baseimage", "rnd:highres", "rnd:original"}


@dataclass
class Rendition:
    name: str
    href: str
    width: int | None = None
    height: int | None = None
    contenttype: str = ""


@dataclass
class Picture:
    """A picture of a story: its identifier, caption, credit and renditions."""

    key: str
    uri: str
    caption: str = ""
    credit: str = ""
    renditions: list[Rendition] = field(default_factory=list)

    @property
    def original(self) -> Rendition | None:
        named = [r for r in self.renditions if r.name.lower() in _ORIGINAL_NAMES]
        if named:
            return named[0]
        return max(self.renditions, key=lambda r: r.width or 0, default=None)


# --- export ---------------------------------------------------------------


def pictures(
    record: dict, photos_by_image: dict, absolute: Callable[[str], str], uri: str
) -> list[Picture]:
    """The pictures of a record's photo blocks, in reading order.

    ``photos_by_image`` maps stored image paths to Photo rows (their sizes
    and renditions); ``absolute`` makes an address absolute.
    """
    found = []
    for block in record["body"]:
        if block["type"] != "photo":
            continue
        key = f"photo-{len(found) + 1}"
        picture = Picture(
            key=key,
            uri=f"{uri}#{key}",
            caption=block["caption"],
            credit=block["credit"],
        )
        image = block.get("image")
        photo = photos_by_image.get(image) if image else None
        if image:
            href = absolute(media_url(image))
            picture.uri = href
            picture.renditions.append(
                Rendition(
                    "original",
                    href,
                    getattr(photo, "width", None),
                    getattr(photo, "height", None),
                    _image_type(image),
                )
            )
        if photo is not None and photo.image_hash:
            ratio = photo.height / photo.width if photo.width and photo.height else None
            for width in renditions_module.widths_for(photo.width):
                for ext, _, mime in renditions_module.FORMATS:
                    name = renditions_module.name(photo.image_hash, width, ext)
                    picture.renditions.append(
                        Rendition(
                            f"{width}-{ext}",
                            absolute(media_url(name)),
                            width,
                            round(width * ratio) if ratio else None,
                            mime,
                        )
                    )
        found.append(picture)
    return found


def _image_type(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower()
    return {
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "webp": "image/webp",
        "gif": "image/gif",
    }.get(ext, "application/octet-stream")


def figure_html(picture: Picture, void_end: str = ">") -> str:
    """A picture where the body shows it: its largest image, caption and credit.

    ``void_end`` is ``"/>"`` for XHTML (NewsML-G2).
    """
    caption = html.escape(picture.caption)
    credit = text.credit_line(picture.credit)
    printed = caption
    if credit:
        printed = (
            f'{caption} <span class="credit">{html.escape(credit)}</span>'.lstrip()
        )
    original = picture.original
    img = (
        f'<img src="{html.escape(original.href)}" alt="{caption}"{void_end}'
        if original
        else ""
    )
    return f"<figure>{img}<figcaption>{printed}</figcaption></figure>"


def body_html(record: dict, found: list[Picture], void_end: str = ">") -> str:
    """The record's body as HTML, each photo block printed as its figure."""
    pictures_in_order = iter(found)
    parts = []
    for block in record["body"]:
        kind = block["type"]
        if kind == "photo":
            parts.append(figure_html(next(pictures_in_order), void_end))
        elif kind == "paragraph":
            parts.append(f"<p>{block['html']}</p>")
        elif kind == "heading":
            parts.append(f"<h{block['level']}>{block['html']}</h{block['level']}>")
        else:
            parts.append(block["html"])
    return "".join(parts)


# --- import ---------------------------------------------------------------


def image_or_url(href: str, own_media: str | None) -> dict:
    """The photo slot's file: a stored path under our own media, else its address."""
    if own_media and href.startswith(own_media):
        path = unquote(href[len(own_media) :].split("?", 1)[0])
        if _inside_media(path):
            return {"image": path}
    if href.startswith(("http://", "https://")):
        return {"url": href}
    return {}


def blocks(
    markup: str, found: list[Picture], own_media: str | None, lead: bool = True
) -> list[Block]:
    """The body's blocks, each figure matched to its picture by its image.

    With ``lead``, the pictures the body does not show open the story; a
    format passes ``False`` when ``found`` may hold other stories' pictures.
    """
    by_href = {r.href: p for p in found for r in p.renditions}
    shown: set[str] = set()

    def slot(node) -> PhotoDraft | None:
        img = node if node.name == "img" else node.find("img")
        picture = by_href.get(img.get("src", "")) if img is not None else None
        if picture is None:
            draft = photo_slot(node)
            if draft is not None and draft.url:
                draft.url, draft.image = None, None
                for key, value in image_or_url(img.get("src", ""), own_media).items():
                    setattr(draft, key, value)
            return draft
        shown.add(picture.key)
        return _slot(picture, own_media)

    result = html_blocks(markup, slot) if markup.strip() else []
    leading = [
        Block(type="photo", photo=_slot(p, own_media))
        for p in found
        if lead and p.key not in shown and p.original is not None
    ]
    return leading + result


def _slot(picture: Picture, own_media: str | None) -> PhotoDraft:
    original = picture.original
    files = image_or_url(original.href, own_media) if original else {}
    return PhotoDraft(caption=picture.caption, credit=picture.credit, **files)
