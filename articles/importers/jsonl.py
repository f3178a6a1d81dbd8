"""JSON Lines (``.jsonl``): one article JSON record per line.

The record is specified in the project's article-json format document. This
module parses records into drafts (:func:`parse_lines`) and never touches the
database; ``export_articles`` writes the same records.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

from .. import text
from .base import (
    ArticleDraft,
    Block,
    DraftError,
    PhotoDraft,
    check_double_encoding,
    check_status,
    content_hash,
    parse_datetime,
)
from .ready import ready_for

RECORD_KEYS = {
    "id", "external_id", "source_url", "category", "title", "slug", "url",
    "location", "lead", "agency", "authors", "body", "tags", "related",
    "status", "published_at", "updated_at", "embargo_until",
}  # fmt: skip
BLOCK_KEYS = {
    "paragraph": {"type", "html", "text"},
    "photo": {"type", "caption", "credit", "image"},
    "heading": {"type", "html", "level"},
    "quote": {"type", "html"},
    "list": {"type", "html"},
    "table": {"type", "html"},
    "html": {"type", "html"},
}
# One record is one article; a line this long is not one.
MAX_LINE_BYTES = 10 * 1024 * 1024


def parse_lines(
    lines: Iterator[bytes], source: str, fix_mojibake: bool = False, jobs: int = 0
) -> Iterator[ArticleDraft | DraftError]:
    """Yield a draft, or the error of that line, for each non-blank line.

    A double-encoded line is refused, or repaired with ``fix_mojibake``.
    Each draft carries what saving it will compute (``ready.py``). With
    ``jobs`` processes read the records, in order, while this one writes.
    """
    numbered = enumerate(lines, start=1)
    if jobs > 0:
        yield from _in_processes(numbered, source, fix_mojibake, jobs)
        return
    for number, raw in numbered:
        item = _parse_line(number, raw, source, fix_mojibake)
        if item is not None:
            yield item


def _parse_line(
    number: int, raw: bytes, source: str, fix_mojibake: bool
) -> ArticleDraft | DraftError | None:
    if len(raw) > MAX_LINE_BYTES:
        return DraftError(f"dòng dài quá {MAX_LINE_BYTES // 1024 // 1024} MB", number)
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        return None
    try:
        if b"\xc3" in raw or b"\xc2" in raw:  # the bytes double encoding leaves
            fixed = check_double_encoding(
                raw.decode("utf-8", "surrogateescape"), fix_mojibake
            )
            raw = fixed.encode("utf-8", "surrogateescape")
        draft = parse_record(raw, f"{source}:{number}", number)
    except DraftError as exc:
        exc.line = number if exc.line in (None, 1) else exc.line
        return exc
    draft.ready = ready_for(draft)
    return draft


# Lines sent to a reading process at a time, and how many such chunks may
# wait read ahead (memory stays bounded however long the file).
CHUNK_LINES = 64
AHEAD = 8


def _parse_chunk(chunk, source: str, fix_mojibake: bool) -> list:
    out = []
    for number, raw in chunk:
        item = _parse_line(number, raw, source, fix_mojibake)
        if item is None:
            continue
        if isinstance(item, ArticleDraft) and item.ready is not None:
            # The body is ready: of its blocks the writer needs only the
            # photos, and each block sent costs more than its text.
            item.blocks = [b for b in item.blocks if b.photo is not None]
        out.append(item)
    return out


def _in_processes(numbered, source: str, fix_mojibake: bool, jobs: int):
    """Parse chunks of lines in ``jobs`` processes; yield in the file's order."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from itertools import islice

    from django.db import connections

    # A fork starts at once (a fresh interpreter takes most of a second to
    # set Django up, time the writer would wait). It must not share this
    # process's connections to the database: they are closed first, and
    # reopened here when next used. Inside a transaction they cannot be:
    # then the readers start fresh.
    if any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        context = multiprocessing.get_context("spawn")
    else:
        connections.close_all()
        context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_reader
    ) as pool:
        waiting = deque()
        while True:
            while len(waiting) < AHEAD * jobs:
                chunk = list(islice(numbered, CHUNK_LINES))
                if not chunk:
                    break
                waiting.append(pool.submit(_parse_chunk, chunk, source, fix_mojibake))
            if not waiting:
                return
            yield from waiting.popleft().result()


def _start_reader() -> None:
    """A reading process: Django's settings and apps, no database.

    It ends itself when the writing process is gone (killed, say): it holds
    both ends of its own queue, so it would never learn it otherwise.
    """
    import os
    import threading
    import time

    import django

    writer = os.getppid()

    def watch() -> None:
        while os.getppid() == writer:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="watch-writer", daemon=True).start()
    from django.apps import apps

    if not apps.ready:  # spawned, not forked
        django.setup()


def parse_record(raw: bytes, source: str, line: int | None = None) -> ArticleDraft:
    """Return the draft of one JSON record."""
    try:
        record = json.loads(raw)
    except UnicodeDecodeError:
        raise DraftError("dòng không phải UTF-8", line) from None
    except json.JSONDecodeError as exc:
        raise DraftError(
            f"JSON không hợp lệ: {exc.msg} (cột {exc.colno})", line
        ) from None
    except RecursionError:
        raise DraftError("JSON lồng nhau quá sâu", line) from None
    # A NUL or a lone surrogate can only come from a \u escape (raw ones are
    # not valid JSON, or not UTF-8): without one, the walk below is skipped.
    return record_draft(record, source, line, checked=not _ESCAPED.search(raw))


_ESCAPED = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def record_draft(
    record, source: str, line: int | None = None, checked: bool = False
) -> ArticleDraft:
    """Return the draft of one decoded record (shared with the ninjs importer).

    ``checked`` says the record is known to hold no text a database refuses.
    """
    if not checked:
        check_text(record, "bản ghi", line)
    if not isinstance(record, dict):
        raise DraftError(
            f"mỗi dòng phải là một đối tượng JSON, không phải {type(record).__name__}",
            line,
        )
    unknown = sorted(set(record) - RECORD_KEYS)
    if unknown:
        raise DraftError(f"khóa lạ {unknown[0]!r} trong bản ghi", line)

    title = _string(record, "title")
    if not title:
        raise DraftError("thiếu tiêu đề (title)", line)
    draft = ArticleDraft(title=title, source=source, line=line)
    draft.content_hash = content_hash(
        json.dumps(
            {k: v for k, v in record.items() if k not in ("id", "url", "updated_at")},
            ensure_ascii=False,
            sort_keys=True,
        )
    )
    category = record.get("category")
    if isinstance(category, dict):
        draft.category = _string(category, "name")
        parent = category.get("parent")
        draft.category_parent = (
            text.clean_line(parent) if isinstance(parent, str) else None
        )
    elif isinstance(category, str):
        draft.category = text.clean_line(category)
    elif category is not None:
        raise DraftError(
            "category phải là tên hoặc đối tượng {name, slug, parent}", line
        )
    draft.slug = _string(record, "slug")
    draft.location = _string(record, "location")
    draft.lead = _string(record, "lead")
    draft.agency = _string(record, "agency")
    draft.external_id = _string(record, "external_id") or None
    draft.source_url = _string(record, "source_url")
    draft.authors = [_name(a, "authors") for a in _list(record, "authors")]
    draft.tags = [_name(t, "tags") for t in _list(record, "tags")]
    draft.related = [_related(r) for r in _list(record, "related")]
    draft.blocks = [_block(b, i) for i, b in enumerate(_list(record, "body"), 1)]
    if record.get("status") is not None:
        draft.status = check_status(_string(record, "status"))
    if record.get("published_at"):
        draft.published_at = parse_datetime(_string(record, "published_at"))
    if record.get("updated_at"):
        draft.revised_at = parse_datetime(_string(record, "updated_at"))
    if record.get("embargo_until"):
        draft.embargo_until = parse_datetime(_string(record, "embargo_until"))
    return draft


def _inside_media(path: str) -> bool:
    """Whether a stored path stays under the media root, whatever the storage."""
    if not path or path.startswith("/") or "\\" in path:
        return False
    parts = path.split("/")
    return ":" not in parts[0] and ".." not in parts


def check_text(value, where: str, line: int | None, depth: int = 0) -> None:
    """Refuse text no database stores: lone surrogates and NUL characters."""
    if depth > 20:
        raise DraftError("JSON lồng nhau quá sâu", line)
    if isinstance(value, str):
        bad = text.unstorable(value)
        if bad:
            raise DraftError(f"{where}: ký tự không hợp lệ {bad}", line)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, where, line, depth + 1)
            check_text(item, str(key), line, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_text(item, where, line, depth + 1)


def _string(record: dict, key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DraftError(f"{key} phải là chuỗi, không phải {type(value).__name__}")
    return text.clean_line(value)


def _list(record: dict, key: str) -> list:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise DraftError(f"{key} phải là một danh sách")
    return value


def _name(item, key: str) -> str:
    if isinstance(item, str):
        name = text.clean_line(item)
    elif isinstance(item, dict) and isinstance(item.get("name"), str):
        name = text.clean_line(item["name"])
    else:
        raise DraftError(f"mỗi mục của {key} phải là tên hoặc đối tượng có name")
    if not name:
        raise DraftError(f"{key} có một tên rỗng")
    return name


def _related(item) -> str:
    if isinstance(item, str):
        return text.clean_line(item)
    if isinstance(item, dict) and isinstance(item.get("title"), str):
        return text.clean_line(item["title"])
    raise DraftError("mỗi mục của related phải là tiêu đề hoặc đối tượng có title")


def _block(item, index: int) -> Block:
    where = f"body[{index}]"
    if not isinstance(item, dict):
        raise DraftError(f"{where} phải là một đối tượng")
    kind = item.get("type")
    if kind not in BLOCK_KEYS:
        known = ", ".join(sorted(BLOCK_KEYS))
        raise DraftError(f"{where}: loại khối lạ {kind!r} (chỉ nhận: {known})")
    unknown = sorted(set(item) - BLOCK_KEYS[kind])
    if unknown:
        raise DraftError(f"{where}: khóa lạ {unknown[0]!r}")
    if kind == "photo":
        image = item.get("image")
        if image is not None and not isinstance(image, str):
            raise DraftError(f"{where}: image phải là đường dẫn hoặc null")
        if image and not _inside_media(image):
            raise DraftError(
                f"{where}: image {image[:80]!r} phải là đường dẫn trong thư mục media "
                "(không bắt đầu bằng /, không có ..)"
            )
        return Block(
            type="photo",
            photo=PhotoDraft(
                caption=_string(item, "caption"),
                credit=_string(item, "credit"),
                image=image or None,
            ),
        )
    if kind == "paragraph" and "html" not in item:
        return Block(
            type="paragraph", html=html.escape(_string(item, "text"), quote=False)
        )
    markup = item.get("html")
    if not isinstance(markup, str):
        raise DraftError(f"{where}: html phải là chuỗi")
    level = item.get("level")
    if kind == "heading" and level not in (2, 3, 4):
        raise DraftError(f"{where}: level của heading phải là 2, 3 hoặc 4")
    return Block(type=kind, html=text.nfc(markup), level=level)
