"""IPTC NewsML-G2: agency feeds in XML, in and out.

Export writes one ``newsMessage`` (``export_articles --format newsml``),
valid against the NewsML-G2 2.35 schema: a text ``newsItem`` per story and a
picture ``newsItem`` per photo, each with its renditions as
``remoteContent``. Import reads a ``newsMessage`` or a lone ``newsItem``,
with the body in XHTML or NITF; elements are matched by local name, and
the file is read with defusedxml (no entities, nothing fetched).

What becomes what (both ways): ``guid`` is the ``external_id``;
``headline`` the title; ``slugline`` the slug; ``located`` the place;
``description`` (role ``drol:summary``) the lead; ``creator`` the byline;
``infoSource`` the agency; a ``subject`` coded ``nrsec:`` is the section (its
``broader`` the parent section), any other subject a topic;
``pubStatus`` stat:usable ↔ published, stat:withheld ↔ draft, stat:canceled
↔ archived; ``firstCreated`` the publication time, ``versionCreated`` the
last revision. Pictures are matched to the body's figures by their image
(:mod:`articles.importers.iptc`); a ``link`` with rel ``irel:seeAlso`` and a
title is a related story.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from bs4 import BeautifulSoup
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from .. import text
from . import iptc
from .base import ArticleDraft, DraftError, content_hash
from .jsonl import record_draft

NAR = "http://iptc.org/std/nar/2006-10-01/"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STANDARD_VERSION = "2.35"
CATALOG = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_40.xml"
# A section is a subject whose code has this scheme (ours: "nrsec:thoi-su").
SECTION_SCHEME = "nrsec:"

ET.register_namespace("", NAR)
ET.register_namespace("html", XHTML)


def _n(tag: str) -> str:
    return f"{{{NAR}}}{tag}"


# --- export ---------------------------------------------------------------


def write_message(
    items: Iterable[tuple[dict, dict]],
    out,
    absolute: Callable[[str], str],
    sent: dt.datetime,
) -> int:
    """Write one newsMessage of (record, photos by image) to ``out``; return the count.

    Written item by item: memory stays flat however many stories there are.
    """
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<newsMessage xmlns="{NAR}">\n')
    header = ET.Element(_n("header"))
    ET.SubElement(header, _n("sent")).text = text.iso_datetime(sent)
    ET.SubElement(header, _n("sender")).text = urlsplit(absolute("/")).hostname or ""
    out.write(_xml(header) + "\n<itemSet>\n")
    count = 0
    for record, photos in items:
        for element in news_items(record, photos, absolute):
            out.write(_xml(element) + "\n")
        count += 1
    out.write("</itemSet>\n</newsMessage>\n")
    return count


def _xml(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode", default_namespace=None)


def news_items(
    record: dict, photos_by_image: dict, absolute: Callable[[str], str]
) -> list[ET.Element]:
    """The text newsItem of one record, then a picture newsItem per photo."""
    url = absolute(record["url"])
    external = record["external_id"]
    guid = external if external and urlsplit(external).scheme else url
    found = iptc.pictures(record, photos_by_image, absolute, guid)

    item = _item(guid, "ninat:text")
    meta = ET.SubElement(item, _n("itemMeta"))
    ET.SubElement(meta, _n("itemClass"), qcode="ninat:text")
    ET.SubElement(meta, _n("provider"), literal=urlsplit(url).hostname or "newsroom")
    ET.SubElement(meta, _n("versionCreated")).text = (
        record["updated_at"] or record["published_at"] or text.iso_datetime(_now())
    )
    if record["published_at"]:
        ET.SubElement(meta, _n("firstCreated")).text = record["published_at"]
    if record["embargo_until"]:
        ET.SubElement(meta, _n("embargoed")).text = record["embargo_until"]
    ET.SubElement(
        meta, _n("pubStatus"), qcode=f"stat:{iptc.PUBSTATUS[record['status']]}"
    )
    ET.SubElement(meta, _n("link"), rel="irel:canonical", href=url)
    if external and guid != external:
        ET.SubElement(
            meta, _n("link"), rel="nrel:externalId", href=f"urn:newsroom:{external}"
        )
    if record["source_url"]:
        ET.SubElement(meta, _n("link"), rel="irel:source", href=record["source_url"])
    for picture in found:
        ET.SubElement(meta, _n("link"), rel="irel:associatedWith", residref=picture.uri)
    for related in record["related"]:
        link = ET.SubElement(
            meta,
            _n("link"),
            rel="irel:seeAlso",
            residref=f"urn:newsroom:slug:{related['slug']}",
        )
        link.set("title", related["title"])

    content = ET.SubElement(item, _n("contentMeta"))
    if record["location"]:
        located = ET.SubElement(content, _n("located"))
        ET.SubElement(located, _n("name")).text = record["location"]
    for author in record["authors"]:
        creator = ET.SubElement(content, _n("creator"), literal=author["slug"])
        ET.SubElement(creator, _n("name")).text = author["name"]
    if record["agency"]:
        source = ET.SubElement(content, _n("infoSource"), role="cRole:source")
        ET.SubElement(source, _n("name")).text = record["agency"]
    ET.SubElement(content, _n("language"), tag="vi")
    category = record["category"]
    section = ET.SubElement(
        content,
        _n("subject"),
        type="cpnat:abstract",
        qcode=f"{SECTION_SCHEME}{category['slug']}",
    )
    ET.SubElement(section, _n("name")).text = category["name"]
    if category["parent"]:
        broader = ET.SubElement(section, _n("broader"), literal="parent")
        ET.SubElement(broader, _n("name")).text = category["parent"]
    for tag in record["tags"]:
        subject = ET.SubElement(content, _n("subject"), type="cpnat:abstract")
        ET.SubElement(subject, _n("name")).text = tag
    ET.SubElement(content, _n("slugline")).text = record["slug"]
    ET.SubElement(content, _n("headline")).text = record["title"]
    if record["lead"]:
        ET.SubElement(content, _n("description"), role="drol:summary").text = record[
            "lead"
        ]

    content_set = ET.SubElement(item, _n("contentSet"))
    inline = ET.SubElement(
        content_set, _n("inlineXML"), contenttype="application/xhtml+xml"
    )
    inline.append(_xhtml(record["title"], iptc.body_html(record, found, "/>")))
    return [item] + [_picture_item(p, record) for p in found]


def _item(guid: str, item_class: str) -> ET.Element:
    item = ET.Element(
        _n("newsItem"),
        guid=guid,
        version="1",
        standard="NewsML-G2",
        standardversion=STANDARD_VERSION,
        conformance="power",
    )
    item.set(XML_LANG, "vi")
    ET.SubElement(item, _n("catalogRef"), href=CATALOG)
    return item


def _picture_item(picture: iptc.Picture, record: dict) -> ET.Element:
    item = _item(picture.uri, "ninat:picture")
    meta = ET.SubElement(item, _n("itemMeta"))
    ET.SubElement(meta, _n("itemClass"), qcode="ninat:picture")
    ET.SubElement(meta, _n("provider"), literal="newsroom")
    ET.SubElement(meta, _n("versionCreated")).text = (
        record["updated_at"] or record["published_at"] or text.iso_datetime(_now())
    )
    ET.SubElement(
        meta, _n("pubStatus"), qcode=f"stat:{iptc.PUBSTATUS[record['status']]}"
    )
    content = ET.SubElement(item, _n("contentMeta"))
    if picture.credit:
        ET.SubElement(content, _n("creditline")).text = picture.credit
    if picture.caption:
        ET.SubElement(
            content, _n("description"), role="drol:caption"
        ).text = picture.caption
    content_set = ET.SubElement(item, _n("contentSet"))
    for r in picture.renditions:
        remote = ET.SubElement(
            content_set,
            _n("remoteContent"),
            rendition=f"rnd:{r.name}",
            href=r.href,
            contenttype=r.contenttype,
        )
        if r.width:
            remote.set("width", str(r.width))
        if r.height:
            remote.set("height", str(r.height))
    return item


def _xhtml(title: str, body: str) -> ET.Element:
    """An XHTML 1.0 document of the body (the sanitizer's HTML made well-formed).

    The few HTML5 elements our bodies hold have XHTML stand-ins that the
    import turns back (:func:`_from_xhtml`): ``<figure>`` and
    ``<figcaption>`` are ``<div class="figure">`` and ``<div
    class="figcaption">``, ``<u>`` is ``<span class="u">``, ``<s>`` is
    ``<del>``, and a list's ``start`` and ``reversed`` are its classes.
    """
    soup = BeautifulSoup(body, "html.parser")
    for node in soup.find_all(["figure", "figcaption"]):
        node["class"] = [node.name, *node.get("class", [])]
        node.name = "div"
    for node in soup.find_all("u"):
        node.name, node["class"] = "span", ["u"]
    for node in soup.find_all("s"):
        node.name = "del"
    for node in soup.find_all("ol"):
        marks = [f"start-{node.attrs.pop('start')}"] if node.get("start") else []
        if node.attrs.pop("reversed", None) is not None:
            marks.append("reversed")
        if marks:
            node["class"] = marks
    well_formed = str(soup)
    document = SafeET.fromstring(
        f'<html xmlns="{XHTML}"><head><title></title></head>'
        f"<body>{well_formed}</body></html>"
    )
    document.find(f"{{{XHTML}}}head/{{{XHTML}}}title").text = title
    return document


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- import ---------------------------------------------------------------


def parse(data: bytes, source: str, own_media: str | None = None) -> list:
    """Return a draft, or the :class:`DraftError` of that item, per text newsItem.

    A file that is not NewsML-G2 raises :class:`DraftError`.
    """
    try:
        root = SafeET.fromstring(data)
    except (ET.ParseError, DefusedXmlException) as exc:
        raise DraftError(f"không phải tệp XML đọc được ({exc})") from None
    _strip_namespaces(root)
    if root.tag == "newsItem":
        items = [root]
    elif root.tag == "newsMessage":
        items = root.findall("itemSet/newsItem")
    else:
        raise DraftError(
            f"không phải NewsML-G2: phần tử gốc là <{root.tag}>, "
            "cần <newsMessage> hoặc <newsItem>"
        )
    pictures = {}
    texts = []
    for item in items:
        kind = _attr(item.find("itemMeta/itemClass"), "qcode")
        if kind in ("ninat:picture", "ninat:graphic"):
            picture = _picture(item)
            pictures[picture.uri] = picture
        elif kind in ("ninat:text", "ninat:composite", ""):
            texts.append(item)
    results = []
    for number, item in enumerate(texts, start=1):
        where = f"{source}#{number}"
        try:
            results.append(_draft(item, where, pictures, own_media))
        except DraftError as exc:
            exc.reason = f"mục {number}: {exc.reason}"
            results.append(exc)
    return results


def _strip_namespaces(root: ET.Element) -> None:
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]


def _attr(element: ET.Element | None, name: str) -> str:
    return (element.get(name) or "").strip() if element is not None else ""


def _text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return text.clean_line("".join(element.itertext()))


def _draft(
    item: ET.Element, source: str, pictures: dict, own_media: str | None
) -> ArticleDraft:
    guid = _attr(item, "guid")
    if not guid:
        raise DraftError("newsItem thiếu guid")
    meta = item.find("itemMeta")
    content = item.find("contentMeta")
    if content is None:
        raise DraftError("newsItem thiếu contentMeta")
    status = _attr(meta.find("pubStatus") if meta is not None else None, "qcode")
    status = status.split(":", 1)[-1] or "usable"
    if status not in iptc.STATUS_OF:
        raise DraftError(f"pubStatus không hợp lệ {status!r}")
    links = meta.findall("link") if meta is not None else []
    external = next(
        (
            _attr(link, "href").removeprefix("urn:newsroom:")
            for link in links
            if _attr(link, "rel") == "nrel:externalId"
        ),
        "",
    )
    section, parent, tags = None, None, []
    for subject in content.findall("subject"):
        name = _text(subject.find("name"))
        if not name:
            continue
        if _attr(subject, "qcode").startswith(SECTION_SCHEME):
            section = name
            parent = _text(subject.find("broader/name")) or None
        else:
            tags.append(name)
    headlines = content.findall("headline")
    title = next(
        (_text(h) for h in headlines if _attr(h, "role") in ("", "hld:main")), ""
    ) or (_text(headlines[0]) if headlines else "")
    descriptions = content.findall("description")
    lead = next(
        (_text(d) for d in descriptions if _attr(d, "role") == "drol:summary"), ""
    )
    sources = content.findall("infoSource")
    agency = next(
        (_text(s.find("name")) for s in sources if _attr(s, "role") == "cRole:source"),
        "",
    ) or (_text(sources[0].find("name")) if sources else "")
    authors = [
        _text(c.find("name")) or _attr(c, "literal") for c in content.findall("creator")
    ]
    if not authors:
        authors = [
            name.strip()
            for name in _text(content.find("by")).replace(" và ", ",").split(",")
            if name.strip()
        ]
    record = {
        "external_id": external or guid,
        "source_url": next(
            (
                _attr(link, "href")
                for link in links
                if _attr(link, "rel") == "irel:source"
            ),
            None,
        ),
        "category": {"name": section, "parent": parent} if section else None,
        "title": title,
        "slug": text.slugify_vi(_text(content.find("slugline"))),
        "location": _text(content.find("located/name"))
        or _text(content.find("located")),
        "lead": lead,
        "agency": agency,
        "authors": [a for a in authors if a],
        "tags": list(dict.fromkeys(tags)),
        "related": [
            _attr(link, "title")
            for link in links
            if _attr(link, "rel") == "irel:seeAlso" and _attr(link, "title")
        ],
        "status": iptc.STATUS_OF[status],
        "published_at": (_text(meta.find("firstCreated")) if meta is not None else "")
        or _text(content.find("contentCreated"))
        or None,
        "updated_at": (_text(meta.find("versionCreated")) if meta is not None else "")
        or None,
        "embargo_until": (_text(meta.find("embargoed")) if meta is not None else "")
        or None,
    }
    draft = record_draft(record, source)
    associated = [
        pictures[_attr(link, "residref")]
        for link in links
        if _attr(link, "residref") in pictures
    ]
    # Without links, a picture belongs to the story whose body shows it.
    markup = _body(item)
    draft.blocks = iptc.blocks(
        markup, associated or list(pictures.values()), own_media, bool(associated)
    )
    draft.content_hash = content_hash(
        json.dumps(record, ensure_ascii=False, sort_keys=True) + markup
    )
    return draft


def _body(item: ET.Element) -> str:
    """The body's markup: an XHTML ``<body>``, a NITF ``<body.content>``, or text."""
    for inline in item.findall("contentSet/inlineXML"):
        body = inline.find(".//body.content")
        if body is None:
            body = inline.find(".//body")
        if body is not None:
            return text.nfc(_inner_html(body))
    for inline in item.findall("contentSet/inlineData"):
        return "".join(
            f"<p>{_escape(p)}</p>"
            for p in (inline.text or "").split("\n\n")
            if p.strip()
        )
    return ""


def _escape(value: str) -> str:
    return html.escape(text.clean_line(value), quote=False)


def _inner_html(element: ET.Element) -> str:
    parts = [_escape(element.text or "")] if (element.text or "").strip() else []
    for child in element:
        parts.append(ET.tostring(child, encoding="unicode", method="html"))
    return _from_xhtml("".join(parts))


def _from_xhtml(markup: str) -> str:
    """Our HTML5 elements back from their XHTML stand-ins (see :func:`_xhtml`)."""
    soup = BeautifulSoup(markup, "html.parser")
    for node in soup.find_all("div", class_=["figure", "figcaption"]):
        classes = node.get("class", [])
        node.name = "figure" if "figure" in classes else "figcaption"
        rest = [c for c in classes if c not in ("figure", "figcaption")]
        if rest:
            node["class"] = rest
        else:
            del node["class"]
    for node in soup.find_all("span", class_="u"):
        node.name = "u"
        del node["class"]
    for node in soup.find_all("del"):
        node.name = "s"
    for node in soup.find_all("ol", class_=True):
        for mark in node["class"]:
            if mark.startswith("start-") and mark[6:].isdigit():
                node["start"] = mark[6:]
            elif mark == "reversed":
                node["reversed"] = ""
        del node["class"]
    return str(soup)


def _picture(item: ET.Element) -> iptc.Picture:
    content = item.find("contentMeta")
    caption = ""
    credit = ""
    if content is not None:
        descriptions = content.findall("description")
        caption = next(
            (_text(d) for d in descriptions if _attr(d, "role") == "drol:caption"), ""
        ) or _text(content.find("headline"))
        credit = _text(content.find("creditline")) or _text(
            content.find("creator/name")
        )
    picture = iptc.Picture(
        key=_attr(item, "guid"), uri=_attr(item, "guid"), caption=caption, credit=credit
    )
    for remote in item.findall("contentSet/remoteContent"):
        href = _attr(remote, "href")
        if not href:
            continue
        picture.renditions.append(
            iptc.Rendition(
                name=_attr(remote, "rendition").split(":", 1)[-1],
                href=href,
                width=int(remote.get("width"))
                if (remote.get("width") or "").isdigit()
                else None,
                height=int(remote.get("height"))
                if (remote.get("height") or "").isdigit()
                else None,
                contenttype=_attr(remote, "contenttype"),
            )
        )
    return picture
