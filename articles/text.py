"""Vietnamese text: the one place the project normalizes, slugs, folds and dates.

Everything that enters the database passes through :func:`nfc` (or
:func:`clean_line`); every slug comes from :func:`slugify_vi`; every search
comparison uses :func:`fold`; every date a reader sees comes from
:func:`format_datetime_vi`. Nothing else in the project re-implements them.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable

from django.utils.html import strip_tags

VN_TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

# đ/Đ are letters of their own, not d with a mark: NFD does not split them,
# so they are mapped before the marks are dropped.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_WHITESPACE = re.compile(r"\s+")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_NON_WORD = re.compile(r"[^\w]+")

WEEKDAYS_VI = (
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ Nhật",
)


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normal form C (composed), as stored everywhere."""
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """Return one-line plain text: NFC, whitespace runs (and no-break spaces) as
    one space, no leading or trailing space, no byte-order mark."""
    return _WHITESPACE.sub(" ", nfc(text).replace("\ufeff", "")).strip()


def strip_marks(text: str) -> str:
    """Remove Vietnamese tone and vowel marks, keeping case: "Đà Nẵng" → "Da Nang"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def slugify_vi(text: str, max_length: int = 200) -> str:
    """Return an ASCII slug that keeps đ → d: "Đoàn kiểm tra" → "doan-kiem-tra".

    Cut at a word boundary so that it fits ``max_length``; never empty when
    the text has a letter or digit.
    """
    slug = _NON_SLUG.sub("-", strip_marks(nfc(text)).lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[:max_length] else cut[:max_length]
        slug = slug.strip("-")
    return slug


def unique_slug(base: str, taken: Iterable[str], max_length: int = 200) -> str:
    """Return ``base``, or ``base-2``, ``base-3``…, the first not in ``taken``.

    ``taken`` is every existing slug that starts with ``base`` (one query by
    the caller, not one per candidate). The suffix never pushes the slug
    past ``max_length``.
    """
    taken = set(taken)
    base = base or "bai-viet"
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


def fold(text: str) -> str:
    """Fold text for diacritic- and case-insensitive search.

    "Cải Cách" and "cai cach" fold alike; punctuation becomes a space so that
    words stay words.
    """
    folded = strip_marks(nfc(text)).lower()
    return _WHITESPACE.sub(" ", _NON_WORD.sub(" ", folded)).strip()


def html_to_text(markup: str) -> str:
    """Return the plain text of an HTML fragment, one space between blocks."""
    spaced = re.sub(
        r"(</(p|h\d|li|blockquote|figcaption|td|th)>|<br\s*/?>)", r"\1 ", markup
    )
    return clean_line(html.unescape(strip_tags(spaced)))


def format_datetime_vi(value: dt.datetime | None) -> str:
    """Return the reader-facing date: "Thứ Sáu, 10/11/2023 17:30" (Hà Nội time)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        raise ValueError("format_datetime_vi needs an aware datetime")
    local = value.astimezone(VN_TZ)
    return f"{WEEKDAYS_VI[local.weekday()]}, {local:%d/%m/%Y %H:%M}"


def format_date_vi(value: dt.date | dt.datetime | None) -> str:
    """Return a reader-facing day: "Thứ Sáu, 10/11/2023"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("format_date_vi needs an aware datetime")
        value = value.astimezone(VN_TZ).date()
    return f"{WEEKDAYS_VI[value.weekday()]}, {value:%d/%m/%Y}"
