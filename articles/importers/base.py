"""What every importer produces: article drafts, plain data with no database.

A format module turns a file into :class:`ArticleDraft` objects; the loader
writes them. Errors a reader of the file must fix are :class:`DraftError`,
printed as one line ``FILE[:LINE]: reason``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import text
from ..choices import Status

# A wire story is a few kilobytes; anything this large is not one.
MAX_TEXT_BYTES = 5 * 1024 * 1024

STATUSES = tuple(Status.values)

_IMAGE_MAGIC = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"RIFF",  # WebP (and other RIFF media)
    b"%PDF",
    b"PK\x03\x04",  # zip, docx
)


class DraftError(Exception):
    """A file (or one record of it) that cannot become an article."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass
class PhotoDraft:
    """A photo slot of a story: its caption and credit; the image may come later."""

    caption: str
    credit: str = ""
    image: str | None = None  # stored path relative to the media root
    source_file: Path | None = None  # a file to store (from --photos, or fetched)
    url: str | None = None  # where a feed says the image is


@dataclass
class Block:
    """One block of the body in reading order: a paragraph, a photo, or other HTML."""

    type: str  # "paragraph", "photo", "heading", "quote", "list", "table"
    html: str = ""
    photo: PhotoDraft | None = None
    level: int | None = None  # headings only


@dataclass
class ArticleDraft:
    """Everything an importer knows about one article."""

    title: str
    source: str  # the file (and record) it came from, for messages
    category: str = ""
    category_parent: str | None = None
    slug: str = ""
    location: str = ""
    lead: str = ""
    agency: str = ""
    authors: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    status: str | None = None
    published_at: dt.datetime | None = None
    # The source's "updated" time: when its text changed after publication.
    revised_at: dt.datetime | None = None
    # Not to be published before this time (wire copy's "cấm đăng trước").
    embargo_until: dt.datetime | None = None
    external_id: str | None = None
    source_url: str = ""
    content_hash: str = ""
    line: int | None = None
    # What saving it will compute, when computed where it was read (ready.py).
    ready: object | None = field(default=None, repr=False, compare=False)

    @property
    def photos(self) -> list[PhotoDraft]:
        return [b.photo for b in self.blocks if b.photo is not None]


DOUBLE_ENCODED = (
    "văn bản bị mã hóa hai lần (UTF-8 bị đọc thành Windows-1252 rồi lưu lại, "
    "như “GiÃ¡o dá»¥c” thay cho “Giáo dục”): sửa tệp nguồn, hoặc nhập với "
    "--fix-mojibake để sửa tự động"
)


def check_double_encoding(content: str, fix: bool = False) -> str:
    """Refuse double-encoded text naming its first line, or repair it if asked."""
    line = text.double_encoded_line(content)
    if line is None:
        return content
    if not fix:
        raise DraftError(DOUBLE_ENCODED, line)
    return text.fix_double_encoding(content)


def decode(data: bytes, encoding: str | None = None, fix_mojibake: bool = False) -> str:
    """Return the text of a file as clean NFC with LF line ends.

    Refuses, with a reason, what is not text: images and other binary files,
    files too large to be a story, bytes that are not UTF-8 (or the given
    encoding), and Vietnamese that was double-encoded (repaired instead
    with ``fix_mojibake``).
    """
    if len(data) > MAX_TEXT_BYTES:
        raise DraftError(
            f"tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB; một bài tối đa "
            f"{MAX_TEXT_BYTES // 1024 // 1024} MB)".replace(".", ",", 1)
        )
    if data.startswith(_IMAGE_MAGIC) or b"\x00" in data[:8192]:
        raise DraftError("không phải tệp văn bản (tệp ảnh hoặc tệp nhị phân?)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        content = data.decode(encoding or "utf-8")
    except LookupError:
        raise DraftError(f"không biết bảng mã {encoding!r}") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = "" if encoding else "; dùng --encoding, ví dụ --encoding cp1258"
        raise DraftError(
            f"không đọc được theo bảng mã {encoding or 'UTF-8'}{hint}", line
        ) from None
    content = content.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return text.nfc(check_double_encoding(content, fix_mojibake))


def parse_datetime(value: str) -> dt.datetime:
    """Parse an ISO 8601 date or date-time; without an offset, Hà Nội time."""
    value = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise DraftError(
            f"ngày giờ không hợp lệ {value!r} (dùng ISO 8601, "
            "ví dụ 2023-11-10T17:30:00+07:00)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=text.VN_TZ)
    return parsed


def check_status(value: str) -> str:
    value = value.strip().lower()
    if value not in STATUSES:
        raise DraftError(
            f"trạng thái không hợp lệ {value!r} (dùng {', '.join(STATUSES)})"
        )
    return value


def content_hash(content: str) -> str:
    """Return the identity of an article's text when it has no id or URL."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()
