"""IPTC ninjs (News in JSON): agency feeds and Superdesk output, in and out.

Export writes ninjs 2.2 (``export_articles --format ninjs``), one object per
line; import reads a file of one object, an array of objects, or one object
per line, in ninjs 1.x (``headline``, ``body_html``, associations as an
object), 2.x and 3.x (``headlines``, ``bodies``, associations as a list).

What becomes what (both ways):

- ``uri`` is the story's ``external_id``; a story of our own goes out with
  its address as ``uri``; an ``external_id`` that is no URI travels as the
  alternative id ``external-id``, and the source address as ``source-url``;
- ``headlines`` (role ``main``, else the first) is the title, ``slugline``
  the slug, ``located`` the place, ``descriptions`` (role ``summary``) the
  lead, ``bodies`` (``text/html``, else plain text) the body;
- ``people`` with rel ``author`` are the byline (else ``by``, split at
  commas), ``infosources`` the agency;
- ``subjects`` with rel ``section`` and ``parent-section`` are the section
  and its parent; every other subject is a topic;
- ``pubstatus``: usable ↔ published, withheld ↔ draft (a story in review
  goes out withheld), canceled ↔ archived; ``firstcreated`` is the
  publication time, ``versioncreated`` the last revision;
- picture ``associations`` are the photos (caption in ``descriptions``,
  credit in ``by``, each rendition with its size), matched to the body's
  figures by their image (:mod:`articles.importers.iptc`); ``text``
  associations are the related stories ("Xem thêm"), by their headline.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from .. import text
from . import iptc
from .base import ArticleDraft, DraftError, content_hash
from .jsonl import check_text, record_draft

VERSION = "2.2"
SCHEMA = f"http://www.iptc.org/std/ninjs/ninjs-schema_{VERSION}.json#"


# --- export ---------------------------------------------------------------


def from_record(
    record: dict, photos_by_image: dict, absolute: Callable[[str], str]
) -> dict:
    """Return the ninjs object of one article JSON record."""
    url = absolute(record["url"])
    external = record["external_id"]
    uri = external if external and urlsplit(external).scheme else url
    found = iptc.pictures(record, photos_by_image, absolute, uri)
    item: dict = {
        "uri": uri,
        "standard": {"name": "ninjs", "version": VERSION, "schema": SCHEMA},
        "type": "text",
        "representationtype": "full",
        "language": "vi",
        "pubstatus": iptc.PUBSTATUS[record["status"]],
        "headlines": [{"role": "main", "value": record["title"]}],
        "slugline": record["slug"],
    }
    if record["published_at"]:
        item["firstcreated"] = record["published_at"]
    if record["updated_at"]:
        item["versioncreated"] = record["updated_at"]
    if record["embargo_until"]:
        item["embargoed"] = record["embargo_until"]
    if record["lead"]:
        item["descriptions"] = [
            {"role": "summary", "contenttype": "text/plain", "value": record["lead"]}
        ]
    body = iptc.body_html(record, found)
    plain = text.html_to_text(body)
    item["bodies"] = [
        {
            "role": "main",
            "contenttype": "text/html",
            "charcount": len(plain),
            "wordcount": len(plain.split()),
            "value": body,
        }
    ]
    if record["location"]:
        item["located"] = record["location"]
    if record["authors"]:
        item["by"] = ", ".join(a["name"] for a in record["authors"])
        item["people"] = [
            {"name": a["name"], "rel": "author", "literal": a["slug"]}
            for a in record["authors"]
        ]
    if record["agency"]:
        item["infosources"] = [{"name": record["agency"], "role": "source"}]
    category = record["category"]
    subjects = [
        {"name": category["name"], "rel": "section", "literal": category["slug"]}
    ]
    if category["parent"]:
        subjects.append({"name": category["parent"], "rel": "parent-section"})
    subjects += [{"name": tag, "rel": "about"} for tag in record["tags"]]
    item["subjects"] = subjects
    associations = [_picture_object(p) for p in found]
    associations += [
        {
            "name": f"related-{n}",
            "uri": f"urn:newsroom:slug:{related['slug']}",
            "type": "text",
            "headlines": [{"role": "main", "value": related["title"]}],
            "slugline": related["slug"],
        }
        for n, related in enumerate(record["related"], start=1)
    ]
    if associations:
        item["associations"] = associations
    altids = [{"role": "url", "value": url}]
    if external and uri != external:
        altids.append({"role": "external-id", "value": external})
    if record["source_url"]:
        altids.append({"role": "source-url", "value": record["source_url"]})
    item["altids"] = altids
    return item


def _picture_object(picture: iptc.Picture) -> dict:
    obj: dict = {"name": picture.key, "uri": picture.uri, "type": "picture"}
    if picture.caption:
        obj["descriptions"] = [{"role": "caption", "value": picture.caption}]
    if picture.credit:
        obj["by"] = picture.credit
    renditions = []
    for r in picture.renditions:
        rendition = {"name": r.name, "href": r.href, "contenttype": r.contenttype}
        if r.width:
            rendition["width"] = r.width
        if r.height:
            rendition["height"] = r.height
        renditions.append(rendition)
    if renditions:
        obj["renditions"] = renditions
    return obj


# --- import ---------------------------------------------------------------


def parse(data: bytes, source: str, own_media: str | None = None) -> list:
    """Return a draft, or the :class:`DraftError` of that item, per ninjs object.

    A file that is not JSON at all raises :class:`DraftError`.
    """
    results = []
    for number, obj in _objects(data):
        where = f"{source}#{number}" if number else source
        try:
            results.append(item_draft(obj, where, own_media))
        except DraftError as exc:
            exc.reason = f"mục {number}: {exc.reason}" if number else exc.reason
            results.append(exc)
        except RecursionError:
            results.append(DraftError(f"mục {number}: JSON lồng nhau quá sâu"))
    return results


def _objects(data: bytes) -> Iterator[tuple[int, object]]:
    """The objects of a file: one, an array of them, or one per line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DraftError("tệp không phải UTF-8", line) from None
    try:
        whole = json.loads(content)
    except json.JSONDecodeError:
        whole = None
    except RecursionError:
        raise DraftError("JSON lồng nhau quá sâu") from None
    if isinstance(whole, list):
        yield from enumerate(whole, start=1)
        return
    if whole is not None:
        yield 1, whole
        return
    lines = [(n, line) for n, line in enumerate(content.split("\n"), 1) if line.strip()]
    if len(lines) < 2 or not lines[0][1].lstrip().startswith("{"):
        raise DraftError(
            "không phải tệp JSON đọc được (một đối tượng ninjs, một mảng "
            "hay mỗi dòng một đối tượng)"
        )
    for number, line in lines:
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, DraftError(f"JSON không hợp lệ: {exc.msg} (cột {exc.colno})")


def item_draft(obj, source: str, own_media: str | None = None) -> ArticleDraft:
    """Return the draft of one ninjs object."""
    if isinstance(obj, DraftError):
        raise obj
    if not isinstance(obj, dict):
        raise DraftError("mỗi mục ninjs phải là một đối tượng JSON")
    check_text(obj, "ninjs", None)
    if obj.get("type", "text") not in ("text", "composite"):
        raise DraftError(
            f"mục loại {obj.get('type')!r} không phải bài viết (chỉ nhận text)"
        )
    uri = _str(obj, "uri")
    if not uri:
        raise DraftError("thiếu uri (mã định danh bắt buộc của ninjs)")
    altids = {
        a.get("role"): a.get("value")
        for a in _list(obj, "altids")
        if isinstance(a, dict) and isinstance(a.get("value"), str)
    }
    pubstatus = _str(obj, "pubstatus") or "usable"
    if pubstatus not in iptc.STATUS_OF:
        raise DraftError(
            f"pubstatus không hợp lệ {pubstatus!r} (usable, withheld, canceled)"
        )
    sections = {}
    tags = []
    for subject in _list(obj, "subjects") + _list(obj, "subject"):
        if not isinstance(subject, dict) or not _str(subject, "name"):
            continue
        rel = subject.get("rel")
        if rel in ("section", "parent-section"):
            sections[rel] = _str(subject, "name")
        else:
            tags.append(_str(subject, "name"))
    authors = [
        _str(p, "name")
        for p in _list(obj, "people")
        if isinstance(p, dict) and p.get("rel") in ("author", "creator", "by")
    ]
    if not authors and _str(obj, "by"):
        authors = [
            name.strip()
            for name in _str(obj, "by").replace(" và ", ",").split(",")
            if name.strip()
        ]
    sources = [s for s in _list(obj, "infosources") if isinstance(s, dict)]
    agency = next((_str(s, "name") for s in sources if s.get("role") == "source"), "")
    agency = agency or (_str(sources[0], "name") if sources else "")
    associations = _associations(obj)
    found = [_picture(key, a) for key, a in associations if _is_picture(a)]
    related = [
        _headline(a)
        for _, a in associations
        if a.get("type") == "text" and _headline(a)
    ]
    record = {
        "external_id": altids.get("external-id") or uri,
        "source_url": altids.get("source-url"),
        "category": (
            {"name": sections["section"], "parent": sections.get("parent-section")}
            if "section" in sections
            else None
        ),
        "title": _headline(obj),
        "slug": text.slugify_vi(_str(obj, "slugline")) if _str(obj, "slugline") else "",
        "location": _str(obj, "located"),
        "lead": _description(obj),
        "agency": agency,
        "authors": [a for a in authors if a],
        "tags": list(dict.fromkeys(t for t in tags if t)),
        "related": related,
        "status": iptc.STATUS_OF[pubstatus],
        "published_at": _str(obj, "firstcreated") or None,
        "updated_at": _str(obj, "versioncreated") or None,
        "embargo_until": _str(obj, "embargoed") or None,
    }
    # check_text() above read the whole object, the record's strings included.
    draft = record_draft(record, source, checked=True)
    draft.blocks = iptc.blocks(_body(obj), found, own_media)
    draft.content_hash = content_hash(
        json.dumps(obj, ensure_ascii=False, sort_keys=True)
    )
    return draft


def _str(obj: dict, key: str) -> str:
    value = obj.get(key)
    return text.clean_line(value) if isinstance(value, str) else ""


def _list(obj: dict, key: str) -> list:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _headline(obj: dict) -> str:
    """The main headline: ninjs 2 and 3 ``headlines``, ninjs 1 ``headline``."""
    headlines = [h for h in _list(obj, "headlines") if isinstance(h, dict)]
    main = next((h for h in headlines if h.get("role") == "main"), None)
    chosen = main or (headlines[0] if headlines else None)
    if chosen is not None:
        return _str(chosen, "value")
    return _str(obj, "headline")


def _description(obj: dict, roles=("summary", "lead", "abstract")) -> str:
    found = [d for d in _list(obj, "descriptions") if isinstance(d, dict)]
    chosen = next((d for d in found if d.get("role") in roles), None)
    chosen = chosen or (found[0] if found else None)
    if chosen is not None:
        value = _str(chosen, "value")
        if "html" in chosen.get("contenttype", ""):
            value = text.clean_line(text.html_to_text(value))
        return value
    if _str(obj, "description_text"):
        return _str(obj, "description_text")
    return text.clean_line(text.html_to_text(obj.get("description_html") or ""))


def _body(obj: dict) -> str:
    """The body as HTML: an HTML body, else plain text as paragraphs."""
    bodies = [b for b in _list(obj, "bodies") if isinstance(b, dict)]
    for body in bodies:
        if "html" in body.get("contenttype", "") and isinstance(body.get("value"), str):
            return text.nfc(body["value"])
    if isinstance(obj.get("body_html"), str):
        return text.nfc(obj["body_html"])
    plain = next(
        (b["value"] for b in bodies if isinstance(b.get("value"), str)),
        obj.get("body_text") if isinstance(obj.get("body_text"), str) else "",
    )
    return "".join(
        f"<p>{html.escape(text.clean_line(p), quote=False)}</p>"
        for p in text.nfc(plain).split("\n\n")
        if p.strip()
    )


def _associations(obj: dict) -> list[tuple[str, dict]]:
    """Associations as (name, object): a list in ninjs 2 and 3, an object in 1."""
    value = obj.get("associations")
    if isinstance(value, dict):
        return [(k, v) for k, v in value.items() if isinstance(v, dict)]
    if isinstance(value, list):
        return [
            (str(a.get("name", n)), a)
            for n, a in enumerate(value, start=1)
            if isinstance(a, dict)
        ]
    return []


def _is_picture(obj: dict) -> bool:
    return obj.get("type") in ("picture", "graphic")


def _picture(key: str, obj: dict) -> iptc.Picture:
    renditions = obj.get("renditions")
    if isinstance(renditions, dict):  # ninjs 1: an object by name
        renditions = [
            dict(r, name=n) for n, r in renditions.items() if isinstance(r, dict)
        ]
    picture = iptc.Picture(
        key=key,
        uri=_str(obj, "uri"),
        caption=_description(obj, roles=("caption", "summary")) or _headline(obj),
        credit=_str(obj, "by") or _str(obj, "copyrightholder"),
    )
    for r in renditions or []:
        if isinstance(r, dict) and isinstance(r.get("href"), str):
            picture.renditions.append(
                iptc.Rendition(
                    name=str(r.get("name", "")),
                    href=r["href"],
                    width=_int(r.get("width")),
                    height=_int(r.get("height")),
                    contenttype=str(r.get("contenttype") or r.get("mimetype") or ""),
                )
            )
    return picture


def _int(value) -> int | None:
    return int(value) if isinstance(value, int | float) and value > 0 else None
