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

VN_TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_NON_WORD = re.compile(r"[^\w]+")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(
    r"</(?:p|h\d|li|blockquote|figcaption|td|th|caption)>|<br\s*/?>"
)

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


# Vietnamese written as UTF-8, read as Windows-1252 and saved again: "á»"
# (ụ, ủ, ộ…), "Ä‘" (đ), "Æ°" (ư), "Ã¡" (á). Pure capitals such as "NGÃ TƯ"
# never contain these pairs; ftfy's measure of "badness" then confirms.
_MOJIBAKE_HINT = re.compile(
    r"[ÃÂÄÆáâ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


def double_encoded_line(content: str) -> int | None:
    """Return the number of the first line that is double-encoded, else ``None``."""
    if not _MOJIBAKE_HINT.search(content):
        return None  # the usual case, at the cost of one scan
    from ftfy.badness import is_bad

    for number, line in enumerate(content.split("\n"), 1):
        if _MOJIBAKE_HINT.search(line) and is_bad(line):
            return number
    return None


def fix_double_encoding(content: str) -> str:
    """Undo UTF-8 read as Windows-1252 (or Latin-1) and saved again (ftfy)."""
    from ftfy import fix_encoding

    return nfc(fix_encoding(content))


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """Name the first character no database stores (U+0000, a lone surrogate)."""
    found = _UNSTORABLE.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def clean_line(text: str) -> str:
    """Return one-line plain text: NFC, whitespace runs (and no-break spaces) as
    one space, no leading or trailing space, no byte-order mark."""
    # str.split() splits on every Unicode space, the no-break space included.
    return " ".join(nfc(text).replace("\ufeff", "").split())


def _build_mark_table() -> dict[int, str | None]:
    """Map every precomposed Latin letter with marks to its base letter, and
    every combining mark to nothing (a table lookup per character instead of
    a decomposition: folding runs on every save and every search)."""
    table: dict[int, str | None] = {ord("đ"): "d", ord("Đ"): "D"}
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for cp in range(start, end):
            decomposed = unicodedata.normalize("NFD", chr(cp))
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            if base != chr(cp) and len(base) == 1:
                table[cp] = base
    for cp in range(0x0300, 0x0370):
        table[cp] = None
    return table


_MARKS = _build_mark_table()


def strip_marks(text: str) -> str:
    """Remove Vietnamese tone and vowel marks, keeping case: "Đà Nẵng" → "Da Nang"."""
    return unicodedata.normalize("NFC", text).translate(_MARKS)


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

    Folded word by word, each word once per process (a story's body repeats
    its words, and a newsroom's vocabulary is small): three times faster on
    a story than folding every character, for the same result.
    """
    return " ".join(filter(None, map(_FOLDED.__getitem__, nfc(text).split())))


class _Folds(dict):
    """Each word's folding, made the first time the word is asked for."""

    def __missing__(self, word: str) -> str:
        if len(self) > 200_000:
            self.clear()  # a bound on memory over a long import
        folded = " ".join(_NON_WORD.sub(" ", strip_marks(word).lower()).split())
        self[word] = folded
        return folded


_FOLDED = _Folds()


def html_to_text(markup: str) -> str:
    """Return the plain text of sanitized HTML, one space between blocks.

    The body is always sanitized before this runs, so a literal "<" in text
    is escaped and a tag is exactly ``<…>``: a regular expression suffices
    (and is far faster than an HTML parser on every save).
    """
    spaced = _BLOCK_END.sub(" ", markup)
    return clean_line(html.unescape(_TAG.sub("", spaced)))


_ANH = r"[ẢảAa]nh"
# "Ảnh minh họa" (an illustration), "Ảnh tư liệu" (from the archive).
_KIND = r"(?P<kind>minh\s+h(?:ọa|oạ)|tư\s+liệu)"
_LABEL = rf"(?P<label>{_ANH}(?:\s+{_KIND})?)"
# A credit given without brackets names people or an agency: it starts with
# a capital or a digit and is a few words long ("Lương Khánh", "VGP/Nhật
# Bắc", "TTXVN phát"); "Ảnh: chủ đề chính là quê hương." is a sentence.
_NAMED = r"(?=[^\W_a-zà-ỹđ])[^.!?()]{1,80}?"
# Credits at the end of a caption, most specific first, a final full stop
# allowed after each:
#   "… (Ảnh: Công trí/TTXVN)", "(Ảnh minh họa: …)", "(Ảnh minh họa)"
#   "… - Ảnh: VGP/Nhật Bắc"
#   "… hội nghị. Ảnh: TTXVN.", "… Ảnh minh họa", "… Ảnh tư liệu."
CREDIT_PATTERNS = [
    re.compile(rf"^(?P<caption>.*?)\s*\(\s*{_LABEL}\s*(?::\s*(?P<credit>[^()]*?))?\s*\)\.?$"),
    re.compile(rf"^(?P<caption>.*?)\s*[-–—]\s*{_LABEL}\s*:\s*(?P<credit>{_NAMED})\.?$"),
    re.compile(
        rf"^(?:(?P<caption>.*?[.!?…»”\"])\s+)?{_LABEL}\s*:\s*(?P<credit>{_NAMED})\.?$"
    ),
    re.compile(rf"^(?:(?P<caption>.*?[.!?…»”\"])\s+|(?P<caption2>.*?)\s*[-–—]\s*)?"
               rf"(?P<label>{_ANH}\s+{_KIND})\.?$"),
]  # fmt: skip
_KINDS = {"minh": "Ảnh minh họa", "tư": "Ảnh tư liệu"}


def split_credit(caption: str) -> tuple[str, str] | None:
    """Split a photo caption from the credit that ends it, or return ``None``.

    "Quang cảnh buổi làm việc. (Ảnh: Công trí/TTXVN)" →
    ("Quang cảnh buổi làm việc.", "Công trí/TTXVN"); also "- Ảnh: VGP/Nhật
    Bắc", "Ảnh: TTXVN.", "(Ảnh minh họa: …)", "(Ảnh: TTXVN phát)" and a bare
    "Ảnh minh họa" or "Ảnh tư liệu." (then the credit is that phrase).
    """
    caption = clean_line(caption)
    tail = caption[-120:]
    if not ("Ảnh" in tail or "ảnh" in tail or "nh:" in tail or "nh)" in tail):
        return None  # no credit near the end (a cheap test before the patterns)
    for pattern in CREDIT_PATTERNS:
        match = pattern.match(caption)
        if not match:
            continue
        groups = match.groupdict()
        text_part = (groups.get("caption") or groups.get("caption2") or "").strip()
        credit = (groups.get("credit") or "").strip()
        if not credit and groups.get("kind"):
            credit = _KINDS[groups["kind"].split()[0]]
        return text_part.rstrip(" -–—"), credit
    return None


def credit_line(credit: str, label: str = "Ảnh") -> str:
    """Return a photo credit as printed after its caption.

    "Công trí/TTXVN" → "(Ảnh: Công trí/TTXVN)"; a credit that already names
    itself a photo ("Ảnh minh họa", "Ảnh tư liệu") is printed as it is:
    "(Ảnh minh họa)", never "(Ảnh: Ảnh minh họa)".
    """
    if not credit:
        return ""
    if fold(credit).startswith(fold(label) + " "):
        return f"({credit})"
    return f"({label}: {credit})"


def format_datetime_vi(value: dt.datetime | None) -> str:
    """Return the reader-facing date: "Thứ Sáu, 10/11/2023 17:30" (Hà Nội time)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        raise ValueError("format_datetime_vi needs an aware datetime")
    local = value.astimezone(VN_TZ)
    return f"{WEEKDAYS_VI[local.weekday()]}, {local:%d/%m/%Y %H:%M}"


# The days a page can be about: Hà Nội midnight of either end still has a
# UTC time the database can hold.
FIRST_DAY, LAST_DAY = dt.date(1, 1, 2), dt.date(9999, 12, 30)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """Return the start of ``day`` and of the next, Hà Nội time, or ``None``
    for a day outside what can be stored (year 1, year 9999)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        return None
    start = dt.datetime.combine(day, dt.time(), tzinfo=VN_TZ)
    return start, start + dt.timedelta(days=1)


def iso_datetime(value: dt.datetime | None) -> str | None:
    """Return a time for machines: Hà Nội time to the second, with its offset
    ("2023-11-10T17:30:00+07:00"): HTML's ``datetime``, JSON-LD, records."""
    if value is None:
        return None
    return value.astimezone(VN_TZ).isoformat(timespec="seconds")


def format_time_vi(value: dt.datetime | None) -> str:
    """Return a time of the working day: "10:05", or "10:05 ngày 30/11" before today."""
    if value is None:
        return ""
    local = value.astimezone(VN_TZ)
    if local.date() == dt.datetime.now(VN_TZ).date():
        return f"{local:%H:%M}"
    return f"{local:%H:%M} ngày {local:%d/%m}"


WEEKDAYS_EN = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def format_datetime(value: dt.datetime | None, language: str = "vi") -> str:
    """Return a reader-facing time in the reader's language, in Hà Nội time.

    Vietnamese: "Thứ Sáu, 10/11/2023 17:30"; English: "Friday, 10/11/2023 17:30"
    (day first in both: the site is Vietnamese).
    """
    if language.startswith("vi") or value is None:
        return format_datetime_vi(value)
    if value.tzinfo is None:
        raise ValueError("format_datetime needs an aware datetime")
    local = value.astimezone(VN_TZ)
    return f"{WEEKDAYS_EN[local.weekday()]}, {local:%d/%m/%Y %H:%M}"


def format_date_vi(value: dt.date | dt.datetime | None) -> str:
    """Return a reader-facing day: "Thứ Sáu, 10/11/2023"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("format_date_vi needs an aware datetime")
        value = value.astimezone(VN_TZ).date()
    return f"{WEEKDAYS_VI[value.weekday()]}, {value:%d/%m/%Y}"


_WORD = re.compile(r"\w+")


def highlight(value: str, words: Iterable[str]) -> str:
    """Return ``value`` as escaped HTML with the words of a search in ``<mark>``.

    Words are compared folded, so "cai cach" marks "cải cách" as written.
    """
    wanted = set(words)
    out, last = [], 0
    for match in _WORD.finditer(value):
        if fold(match.group()) in wanted:
            out.append(html.escape(value[last : match.start()]))
            out.append(f"<mark>{html.escape(match.group())}</mark>")
            last = match.end()
    out.append(html.escape(value[last:]))
    return "".join(out)
