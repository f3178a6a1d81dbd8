"""Text pasted from Word or Google Docs, made into the HTML the editor writes.

Word's clipboard marks a list item as a paragraph with ``mso-list:l0 level1``
and prints the bullet or number itself (``·``, ``o``, ``1.``) in a span that
only Word hides; Google Docs wraps everything in a ``<b style="font-weight:
normal">`` and says bold and italic in ``style``. CKEditor's paste-from-
Office handles this in the browser; this module does the same on the server
for whatever arrives without it (an import, an API, another editor), before
the allow-list (:mod:`articles.sanitize`) runs.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Declaration, NavigableString, Tag

_LIST = re.compile(r"mso-list:\s*(?P<list>l\d+)\s+level(?P<level>\d+)", re.I)
_NUMBER = re.compile(r"^\(?([0-9]+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]$")
_WORD_HEADINGS = {"h1": "h2", "h5": "h4", "h6": "h4"}


_OFFICE_MARKS = ("mso-", "urn:schemas-microsoft-com", 'class="mso', "class=mso")


def looks_pasted(markup: str) -> bool:
    """Return whether ``markup`` carries Word's or Google Docs' clipboard marks.

    Plain substring tests on the lowercased text: this runs on every save and
    every imported story, and they are several times faster than one
    case-insensitive regular expression over the whole body.
    """
    low = markup.lower()
    return "docs-internal-guid" in low or any(m in low for m in _OFFICE_MARKS)


def clean_pasted(markup: str) -> str:
    """Return pasted Office HTML as plain editor HTML (lists, headings, tables,
    bold, italic, links), ready for the allow-list."""
    soup = BeautifulSoup(markup, "html.parser")
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Declaration))):
        node.extract()
    for tag in soup.find_all(["style", "meta", "link", "title", "xml"]):
        tag.decompose()
    root = soup.body or soup
    for br in root.find_all("br", class_="Apple-interchange-newline"):
        br.decompose()
    _word_lists(soup, root)
    _google_docs(soup, root)
    for tag in root.find_all(["b", "i"]):
        tag.name = {"b": "strong", "i": "em"}[tag.name]
    for tag in root.find_all(True):
        if tag.name in _WORD_HEADINGS:
            tag.name = _WORD_HEADINGS[tag.name]
        elif tag.name and (":" in tag.name):  # o:p, v:shape, w:sdt …
            if tag.name.startswith("v:"):
                tag.decompose()
            else:
                tag.unwrap()
    for img in root.find_all("img"):
        # The clipboard's file:// and data: images cannot be shown, nor can
        # another site's under the Content-Security-Policy: the photo is
        # uploaded to the library instead.
        if not img.get("src", "").startswith("/") or img["src"].startswith("//"):
            img.decompose()
    _unwrap_single_paragraphs(root, ("li", "td", "th"))
    for tag in root.find_all(True):
        tag.attrs = {
            k: v
            for k, v in tag.attrs.items()
            if k in ("href", "src", "alt", "colspan", "rowspan")
        }
    for p in root.find_all("p"):
        if not p.get_text(strip=True).replace("\xa0", "") and not p.find("img"):
            p.decompose()
    _tidy_spaces(root)
    return "".join(str(c) for c in root.contents).strip()


_BLOCKS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "table",
    "tbody",
    "thead",
    "tr",
    "td",
    "th",
    "blockquote",
}


def _tidy_spaces(root) -> None:
    """Word wraps its lines at 80 columns: line breaks in text are spaces, and
    the blanks between blocks go."""
    for node in list(root.find_all(string=True)):
        parent = node.parent
        text = re.sub(r"[ \t\r\n]+", " ", str(node))
        if not text.strip() and (parent is root or parent.name in _BLOCKS):
            node.extract()
            continue
        if parent is not None and parent.name in _BLOCKS:
            if node is parent.contents[0]:
                text = text.lstrip()
            if node is parent.contents[-1]:
                text = text.rstrip()
        node.replace_with(text)


def _style(tag: Tag) -> str:
    return (tag.get("style") or "").replace(" ", "").lower()


def _google_docs(soup: BeautifulSoup, root) -> None:
    """Bold and italic from styles; the document-wide non-bold wrapper goes."""
    for b in root.find_all("b"):
        if "font-weight:normal" in _style(b) or (b.get("id") or "").startswith(
            "docs-internal-guid"
        ):
            b.unwrap()
    for span in root.find_all("span"):
        style = _style(span)
        bold = re.search(r"font-weight:(700|bold|[6-9]00)", style)
        italic = "font-style:italic" in style
        if italic:
            span.wrap(soup.new_tag("em"))
        if bold:
            span.wrap(soup.new_tag("strong"))
        span.unwrap()


def _marker(p: Tag) -> str:
    """Take Word's printed bullet or number out of a list paragraph; return it."""
    hidden = p.find(lambda t: isinstance(t, Tag) and "mso-list:ignore" in _style(t))
    if hidden is None:
        return ""
    marker = hidden.get_text().replace("\xa0", " ").strip()
    # The span may sit inside a font span (Symbol): remove the outermost empty one.
    parent = hidden.parent
    hidden.decompose()
    while parent is not None and parent is not p and not parent.get_text(strip=True):
        up = parent.parent
        parent.decompose()
        parent = up
    return marker


def _word_lists(soup: BeautifulSoup, root) -> None:
    """Runs of Word's list paragraphs become nested ``<ul>``/``<ol>`` lists."""
    for p in list(root.find_all("p")):
        if p.parent is None:
            continue
        match = _LIST.search(p.get("style") or "")
        if match is None:
            continue
        # The run of list paragraphs that starts here.
        run = [p]
        node = p.next_sibling
        while node is not None:
            if isinstance(node, NavigableString) and not node.strip():
                node = node.next_sibling
                continue
            if (
                isinstance(node, Tag)
                and node.name == "p"
                and _LIST.search(node.get("style") or "")
            ):
                run.append(node)
                node = node.next_sibling
                continue
            break
        _build_list(soup, run)


def _build_list(soup: BeautifulSoup, run: list[Tag]) -> None:
    stack: list[tuple[int, Tag]] = []  # (level, list element)
    for p in run:
        level = int(_LIST.search(p.get("style") or "").group("level"))
        marker = _marker(p)
        kind = "ol" if _NUMBER.match(marker) else "ul"
        while stack and stack[-1][0] > level:
            stack.pop()
        if not stack or stack[-1][0] < level:
            new = soup.new_tag(kind)
            if stack:
                last_item = stack[-1][1].find_all("li", recursive=False)[-1]
                last_item.append(new)
            else:
                p.insert_before(new)
            stack.append((level, new))
        li = soup.new_tag("li")
        for child in list(p.contents):
            li.append(child.extract())
        _strip_leading_space(li)
        stack[-1][1].append(li)
        p.decompose()


def _strip_leading_space(tag: Tag) -> None:
    for node in tag.descendants:
        if isinstance(node, NavigableString):
            stripped = node.lstrip("\xa0 \n\t")
            if stripped != node:
                node.replace_with(stripped)
            if stripped:
                return


def _unwrap_single_paragraphs(root, names) -> None:
    for cell in root.find_all(names):
        paragraphs = cell.find_all("p", recursive=False)
        if len(paragraphs) == 1:
            paragraphs[0].unwrap()
