"""An article body: stored as sanitized HTML, exchanged as blocks.

A photo in the body is a ``<figure class="photo" data-photo-id="ID">`` that
refers to its Photo row and carries the caption and credit as published in
that story::

    <figure class="photo" data-photo-id="12"><figcaption>Quang cảnh buổi làm
    việc. <span class="credit">Công trí/TTXVN</span></figcaption></figure>

The reader page adds the image from the Photo row; the JSON record lists the
same body as blocks in reading order (:func:`to_blocks`).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from . import text

_FIGURE = re.compile(
    r'<figure class="photo" data-photo-id="(?P<id>\d+)">(?P<inner>.*?)</figure>', re.S
)
_CREDIT = re.compile(r'\s*<span class="credit">(?P<credit>.*?)</span>\s*', re.S)
_TAG = re.compile(r"<[^>]+>")

BLOCK_TYPES = {
    "p": "paragraph",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "blockquote": "quote",
    "ul": "list",
    "ol": "list",
    "table": "table",
    "figure": "figure",
}


def photo_figure(photo_id: int, caption: str, credit: str) -> str:
    """Return the stored HTML of a photo in the body."""
    parts = [html.escape(caption, quote=False)]
    if credit:
        parts.append(f'<span class="credit">{html.escape(credit, quote=False)}</span>')
    inner = " ".join(p for p in parts if p)
    return (
        f'<figure class="photo" data-photo-id="{photo_id}">'
        f"<figcaption>{inner}</figcaption></figure>"
    )


def from_blocks(blocks, photo_ids: list[int]) -> str:
    """Return body HTML for draft blocks; ``photo_ids`` are the photo blocks' rows."""
    ids = iter(photo_ids)
    parts = []
    for block in blocks:
        if block.type == "photo":
            parts.append(
                photo_figure(next(ids), block.photo.caption, block.photo.credit)
            )
        elif block.type == "paragraph":
            parts.append(f"<p>{block.html}</p>")
        elif block.type == "heading":
            parts.append(f"<h{block.level}>{block.html}</h{block.level}>")
        else:
            parts.append(block.html)
    return "".join(parts)


def render(markup: str, photos: dict[int, object], eager_first: bool = False) -> str:
    """Return the body for readers: each photo figure with its image and credit.

    ``photos`` maps ids to Photo rows (one query for the whole body). The
    caption and credit come from the figure, as published in this story.
    With ``eager_first`` the first image (the page's largest element when no
    photo stands above the body) loads at once, with high priority.
    Built with plain string formatting: this runs for every photo of every
    uncached article page.
    """
    from django.utils.translation import gettext

    label = gettext("Ảnh")
    first = [eager_first]

    def figure(match: re.Match) -> str:
        caption, credit = read_figure(match.group("inner"))
        photo = photos.get(int(match.group("id")))
        eager = first[0] and photo is not None and bool(photo.image)
        if eager:
            first[0] = False
        return figure_html(photo, caption, credit, label, lazy=not eager)

    return _FIGURE.sub(figure, markup)


def figure_html(
    photo, caption: str, credit: str, label: str = "Ảnh", lazy: bool = True
) -> str:
    """Return a reader's ``<figure>``: the image (when there is one), caption, credit."""
    esc = html.escape
    parts = ['<figure class="photo">']
    if photo is not None and photo.image:
        from .photos.renditions import picture_html

        parts.append(picture_html(photo, photo.alt_text or caption, lazy=lazy))
    if caption or credit:
        credit_html = (
            f' <span class="credit">{esc(text.credit_line(credit, label), quote=False)}</span>'
            if credit
            else ""
        )
        parts.append(
            f"<figcaption>{esc(caption, quote=False)}{credit_html}</figcaption>"
        )
    parts.append("</figure>")
    return "".join(parts)


# In the editor a photo is CKEditor's own image figure; its ``src`` carries the
# Photo id (``?anh=12``), which survives the editor whatever it does to
# attributes. A photo still without its file shows a placeholder image.
_EDITOR_FIGURE = re.compile(r'<figure class="image[^"]*">(?P<inner>.*?)</figure>', re.S)
_IMG_SRC = re.compile(r'<img[^>]*?\ssrc="(?P<src>[^"]*)"')
_IMG_ALT = re.compile(r'<img[^>]*?\salt="(?P<alt>[^"]*)"')
_PHOTO_REF = re.compile(r"[?&]anh=(?P<id>\d+)")
_FIGCAPTION = re.compile(r"<figcaption>(?P<caption>.*?)</figcaption>", re.S)
MISSING_IMAGE = "/static/articles/thieu-anh.svg"


def editor_src(photo) -> str:
    """Return the ``src`` the editor shows for a photo (its id rides along)."""
    url = photo.image.url if photo is not None and photo.image else MISSING_IMAGE
    return f"{url}?anh={photo.pk}" if photo is not None else url


def to_editor(markup: str, photos: dict[int, object]) -> str:
    """Return the stored body as the editor edits it: each photo an image figure."""

    def figure(match: re.Match) -> str:
        photo_id = int(match.group("id"))
        photo = photos.get(photo_id)
        caption, credit = read_figure(match.group("inner"))
        label = f"{caption} {text.credit_line(credit)}".strip() if credit else caption
        alt = getattr(photo, "alt_text", "") or caption
        src = (
            editor_src(photo)
            if photo is not None
            else f"{MISSING_IMAGE}?anh={photo_id}"
        )
        return (
            f'<figure class="image"><img src="{html.escape(src)}" '
            f'alt="{html.escape(alt)}"><figcaption>{html.escape(label, quote=False)}'
            "</figcaption></figure>"
        )

    return _FIGURE.sub(figure, markup)


def from_editor(markup: str) -> tuple[str, list[dict]]:
    """Return the body to store, and the photos the editor's figures refer to.

    Each image figure whose ``src`` names a Photo (``?anh=ID``) becomes a
    photo figure with the caption and credit typed under it ("… (Ảnh: X)");
    other figures stay as they are. The list gives, per photo in reading
    order, its ``id``, ``caption``, ``credit`` and ``alt``.
    """
    found: list[dict] = []

    def figure(match: re.Match) -> str:
        inner = match.group("inner")
        src = _IMG_SRC.search(inner)
        ref = _PHOTO_REF.search(html.unescape(src.group("src"))) if src else None
        if ref is None:
            return match.group(0)
        cap = _FIGCAPTION.search(inner)
        label = _plain(cap.group("caption")) if cap else ""
        caption, credit = text.split_credit(label) or (label, "")
        alt = _IMG_ALT.search(inner)
        photo_id = int(ref.group("id"))
        found.append(
            {
                "id": photo_id,
                "caption": caption,
                "credit": credit,
                "alt": html.unescape(alt.group("alt")) if alt else "",
            }
        )
        return photo_figure(photo_id, caption, credit)

    return _EDITOR_FIGURE.sub(figure, markup), found


def remove_photo(markup: str, photo_id: int) -> str:
    """Return the body without the figure of one photo."""
    return _FIGURE.sub(
        lambda m: "" if int(m.group("id")) == photo_id else m.group(0), markup
    )


def figure_captions(markup: str) -> dict[int, tuple[str, str]]:
    """Return each photo's (caption, credit) as this body prints it."""
    found: dict[int, tuple[str, str]] = {}
    for match in _FIGURE.finditer(markup or ""):
        found.setdefault(int(match.group("id")), read_figure(match.group("inner")))
    return found


def photo_ids(markup: str) -> list[int]:
    """Return the ids of the photos in a body, in reading order."""
    return [int(m.group("id")) for m in _FIGURE.finditer(markup)]


def _plain(fragment: str) -> str:
    return text.clean_line(html.unescape(_TAG.sub("", fragment)))


def read_figure(inner: str) -> tuple[str, str]:
    """Return (caption, credit) from the inside of a photo figure."""
    credit_match = _CREDIT.search(inner)
    credit = _plain(credit_match.group("credit")) if credit_match else ""
    without = _CREDIT.sub(" ", inner)
    return _plain(without), credit


class _TopLevel(HTMLParser):
    """Find the top-level elements of a fragment with their source offsets."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=False)
        self.markup = markup
        self.line_starts = [0]
        for match in re.finditer("\n", markup):
            self.line_starts.append(match.end())
        self.depth = 0
        self.start = 0
        self.tag = ""
        self.spans: list[tuple[str, int, int]] = []
        self.loose: list[tuple[int, int]] = []

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("br", "img"):
            return
        if self.depth == 0:
            self.start = self._pos()
            self.tag = tag
        self.depth += 1

    def handle_endtag(self, tag) -> None:
        if tag in ("br", "img"):
            return
        self.depth -= 1
        if self.depth == 0:
            end = self.markup.index(">", self._pos()) + 1
            self.spans.append((self.tag, self.start, end))


def to_blocks(markup: str, photos: dict[int, object] | None = None) -> list[dict]:
    """Return the body as JSON-record blocks in reading order.

    ``photos`` maps photo ids to Photo rows, to give each photo block its
    stored image path.
    """
    photos = photos or {}
    parser = _TopLevel(markup)
    parser.feed(markup)
    parser.close()
    blocks: list[dict] = []
    for tag, start, end in parser.spans:
        outer = markup[start:end]
        kind = BLOCK_TYPES.get(tag, "html")
        if kind == "paragraph":
            inner = outer[outer.index(">") + 1 : outer.rindex("<")]
            blocks.append({"type": "paragraph", "html": inner})
            continue
        figure = _FIGURE.fullmatch(outer)
        if figure:
            caption, credit = read_figure(figure.group("inner"))
            photo = photos.get(int(figure.group("id")))
            image = getattr(photo, "image", None)
            blocks.append(
                {
                    "type": "photo",
                    "caption": caption,
                    "credit": credit,
                    "image": image.name if image else None,
                }
            )
            continue
        if kind == "heading":
            inner = outer[outer.index(">") + 1 : outer.rindex("<")]
            blocks.append({"type": "heading", "level": int(tag[1]), "html": inner})
            continue
        if kind == "figure":  # CKEditor wraps tables: <figure class="table">
            kind = "table" if outer.startswith('<figure class="table">') else "html"
        blocks.append({"type": kind, "html": outer})
    return blocks
