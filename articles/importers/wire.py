"""Wire text (``.txt``): a story as copied from a wire service or a page.

The shape and its variations are specified in the project's wire-text format
document: category, title, optional location, lead, body paragraphs and photo
captions in reading order, an optional byline, an optional "Xem thêm" list,
and optional front matter. This module only parses; it never touches the
database.
"""

from __future__ import annotations

import html
import re

from .. import text
from .base import (
    ArticleDraft,
    Block,
    DraftError,
    PhotoDraft,
    check_status,
    content_hash,
    decode,
    parse_datetime,
)

FRONT_MATTER_KEYS = {
    "published_at",
    "embargo_until",
    "source_url",
    "external_id",
    "tags",
    "status",
    "category",
}

# "TTXVN - Chiều 10/11, …", "(Chinhphu.vn) - …", "TTXVN/Vietnam+ - …",
# "(SGGP).- …", "(SGGP). - …"
_DATELINE = re.compile(
    r"^(?:(?P<bracketed>\([^()]{1,40}\))\s*\.?\s*[-–—]"
    r"|(?P<src>[^\s()–—-][^()–—]{0,38}?)\s+[-–—])\s*\S"
)
# "Hà Nội (TTXVN 22/9) - …", "Hà Nội (TTXVN 22/9) Bộ Y tế …": a place, then
# the agency and the day in brackets.
_PLACE_AGENCY = re.compile(
    r"^(?P<place>[^\W\d_][^()\d,.;:]{0,38}?)\s*\((?P<agency>[^()\d]{2,30}?)"
    r"(?:\s+\d{1,2}/\d{1,2}(?:/\d{2,4})?)?\)\s*(?:[-–—.]+\s*)?\S"
)
# Page debris around a byline: "Phạm Hương   |  ", "| Phạm Hương |".
_BYLINE_DEBRIS = " |•·/-–—_"
# "Minh Châu (theo TTXVN)": an attribution after the names.
_ATTRIBUTION = re.compile(r"^(?P<names>.+?)\s*\(\s*[Tt]heo\s+(?P<src>[^()]+?)\s*\)$")
# "Thu Hằng - Văn Dũng (tổng hợp)": a note in lower case after the names.
_BYLINE_NOTE = re.compile(r"^(?P<names>.+?)\s*\(\s*[^\W\d_A-ZÀ-Ỹ][^()]*\)$")
_SOURCE_LINE = re.compile(r"^\(?\s*[Tt]heo\s+(?P<src>[^()]{1,60}?)\s*\)?$")
_BYLINE_SPLIT = re.compile(r"\s+[-–—]\s+|\s*[,;]\s*|\s+và\s+")
_SENTENCE_END = (".", "!", "?", ":", ";", ",", "…")


def parse(
    data: bytes,
    source: str,
    *,
    encoding: str | None = None,
    default_category: str = "",
    fix_mojibake: bool = False,
) -> ArticleDraft:
    """Return the article in a wire-text file, or raise :class:`DraftError`.

    Double-encoded text is refused naming its line, or repaired with
    ``fix_mojibake``.
    """
    content = decode(data, encoding, fix_mojibake)
    if not content.strip():
        raise DraftError("tệp rỗng")
    lines = content.split("\n")
    meta, start = _front_matter(lines)
    blocks = _blocks(lines, start)
    if not blocks:
        raise DraftError("tệp không có nội dung ngoài phần đầu (front matter)")

    draft = ArticleDraft(title="", source=source)
    draft.content_hash = content_hash(content)
    category = meta.get("category") or default_category
    if category:
        # Files without a category line; a first line that names the same
        # category is still taken as the category line, not as the title.
        if text.fold(blocks[0][1]) == text.fold(category):
            blocks.pop(0)
        draft.category = text.clean_line(category)
    else:
        draft.category = blocks.pop(0)[1]
    if not blocks:
        raise DraftError("thiếu tiêu đề (tệp chỉ có một dòng chuyên mục)", start + 1)
    title_line, draft.title = blocks.pop(0)
    draft.line = title_line
    if len(draft.title) > 500:
        raise DraftError(
            "tiêu đề dài quá 500 ký tự: có thể thiếu dòng trống", title_line
        )

    related_at = _find_see_also(blocks)
    if related_at is not None:
        draft.related = [b for _, b in blocks[related_at + 1 :]]
        blocks = blocks[:related_at]

    if len(blocks) >= 2 and _is_location(blocks[0][1]):
        draft.location = blocks.pop(0)[1]
    if blocks and not _caption(blocks[0][1]):
        draft.lead = blocks.pop(0)[1]
        _read_dateline(draft.lead, draft, places=False)

    if blocks:
        source_match = _SOURCE_LINE.match(blocks[-1][1])
        if source_match:
            blocks.pop()
            draft.agency = source_match.group("src").strip()
        elif len(blocks) >= 2:
            found = _read_byline(blocks[-1][1])
            if found is not None:
                blocks.pop()
                draft.authors, agency = found
                draft.agency = draft.agency or agency

    first_paragraph = True
    previous = None
    for _, block in blocks:
        caption = _caption(block)
        if caption:
            if caption == previous:
                continue  # a page printed the same caption twice in a row
            draft.blocks.append(Block(type="photo", photo=caption))
            previous = caption
            continue
        previous = None
        if first_paragraph:
            _read_dateline(block, draft)
            first_paragraph = False
        draft.blocks.append(
            Block(type="paragraph", html=html.escape(block, quote=False))
        )

    _apply_meta(meta, draft)
    return draft


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """Return the front matter's keys and the index of the first line after it."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return {}, 0
    if not any(line.strip() == "---" for line in lines[first + 1 :]):
        raise DraftError("phần đầu (front matter) thiếu dòng --- đóng", first + 1)
    meta: dict[str, str] = {}
    for i in range(first + 1, len(lines)):
        line = lines[i].strip()
        if line == "---":
            return meta, i + 1
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or not key:
            raise DraftError(f"phần đầu (front matter) không đọc được: {line!r}", i + 1)
        if key not in FRONT_MATTER_KEYS:
            known = ", ".join(sorted(FRONT_MATTER_KEYS))
            raise DraftError(
                f"khóa lạ {key!r} trong phần đầu (chỉ nhận: {known})", i + 1
            )
        meta[key] = value.strip()
        meta[f"{key}@line"] = str(i + 1)
    raise DraftError("phần đầu (front matter) thiếu dòng --- đóng", first + 1)


def _blocks(lines: list[str], start: int) -> list[tuple[int, str]]:
    """Split lines into blocks (paragraphs); wrapped lines join with a space."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    first_line = start
    for i in range(start, len(lines)):
        stripped = lines[i].strip()
        if stripped:
            if not current:
                first_line = i + 1
            current.append(stripped)
        elif current:
            blocks.append((first_line, text.clean_line(" ".join(current))))
            current = []
    if current:
        blocks.append((first_line, text.clean_line(" ".join(current))))
    return blocks


def _find_see_also(blocks: list[tuple[int, str]]) -> int | None:
    for i in range(len(blocks) - 1, -1, -1):
        if text.fold(blocks[i][1]) == "xem them":
            return i
    return None


def _is_location(block: str) -> bool:
    """A location tag is a short place name with no sentence punctuation."""
    words = block.split()
    return (
        len(block) <= 50
        and 1 <= len(words) <= 6
        and not block.endswith(_SENTENCE_END)
        and not any(p in block for p in (", ", "; ", ": ", "? ", "! ", '"'))
        and not _caption(block)
    )


def _caption(block: str) -> PhotoDraft | None:
    """Return the photo a caption block stands for, or ``None`` for a paragraph."""
    found = text.split_credit(block)
    if found is None:
        return None
    return PhotoDraft(caption=found[0], credit=found[1])


def _byline(block: str) -> list[str]:
    """Return the names on a byline, or an empty list when the block is prose."""
    if len(block) > 80 or block.endswith(_SENTENCE_END) or _caption(block):
        return []
    names = [n.strip() for n in _BYLINE_SPLIT.split(block) if n.strip()]
    if not names:
        return []
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 6:
            return []
        if not all(w[0].isupper() or w[0].isdigit() for w in words):
            return []
    return names


def _read_byline(block: str) -> tuple[list[str], str] | None:
    """Return (names, agency) of a byline, or ``None`` when the block is prose.

    Debris a page leaves around it is dropped ("Phạm Hương  |"); "(theo
    TTXVN)" after the names gives the agency; a note such as "(tổng hợp)"
    is dropped.
    """
    cleaned = block.strip(_BYLINE_DEBRIS)
    agency = ""
    attribution = _ATTRIBUTION.match(cleaned)
    if attribution:
        cleaned, agency = attribution.group("names"), attribution.group("src")
    else:
        note = _BYLINE_NOTE.match(cleaned)
        if note:
            cleaned = note.group("names")
    names = _byline(cleaned.strip(_BYLINE_DEBRIS))
    return (names, agency) if names else None


def _read_dateline(paragraph: str, draft: ArticleDraft, places: bool = True) -> None:
    """Record the agency named by a dateline; a place fills the location.

    In the lead (``places=False``) a bare "Place - …" is not read: a lead
    opening with a name and a dash ("Ông Nguyễn Văn A - Chủ tịch …") is
    common there; the agency forms still are.
    """
    placed = _PLACE_AGENCY.match(paragraph)
    if placed and all(w[0].isupper() for w in placed.group("place").split()):
        head = re.split(r"[./+]", placed.group("agency"), maxsplit=1)[0]
        if head == head.upper():
            draft.agency = draft.agency or placed.group("agency").strip()
            draft.location = draft.location or placed.group("place").strip()
            return
    match = _DATELINE.match(paragraph)
    if not match:
        return
    bracketed = match.group("bracketed") is not None
    src = (match.group("bracketed") or match.group("src")).strip().strip("() ")
    if any(ch.isdigit() for ch in src):
        return  # "Sáng 10/11 - …" is a time, not a dateline
    head = re.split(r"[./+]", src, maxsplit=1)[0]
    if bracketed or (head and head == head.upper()):
        # (Chinhphu.vn), (PLVN), TTXVN, VOV.VN, TTXVN/Vietnam+
        if not draft.agency:
            draft.agency = src
    elif places and not draft.location and all(w[0].isupper() for w in src.split()):
        draft.location = src  # "Hà Nội - …" names a place


def _apply_meta(meta: dict[str, str], draft: ArticleDraft) -> None:
    def at(key: str) -> int | None:
        return int(meta[f"{key}@line"]) if f"{key}@line" in meta else None

    for key in ("published_at", "embargo_until", "status"):
        if not meta.get(key):
            continue
        try:
            value = (check_status if key == "status" else parse_datetime)(meta[key])
        except DraftError as exc:
            raise DraftError(f"{key}: {exc.reason}", at(key)) from None
        setattr(draft, key, value)
    if meta.get("source_url"):
        url = meta["source_url"]
        if not re.match(r"^https?://\S+$", url):
            raise DraftError(
                f"source_url không phải địa chỉ http(s): {url!r}", at("source_url")
            )
        draft.source_url = url
    draft.external_id = meta.get("external_id") or None
    if meta.get("tags"):
        draft.tags = [
            t for t in (text.clean_line(x) for x in meta["tags"].split(",")) if t
        ]
