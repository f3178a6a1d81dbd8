"""The one HTML allow-list: what the editor produces, and nothing more.

Every article body passes through :func:`clean_html` before it is stored,
whether it comes from the admin's editor, an import or code. Scripts, event
handlers, ``javascript:`` and ``data:`` URLs, inline styles and unknown tags
never reach the database.
"""

from __future__ import annotations

import re

import nh3

from . import paste

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "span",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "figure": {"data-photo-id"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
}

ALLOWED_CLASSES = {
    "figure": {"image", "table", "photo"},
    "span": {"credit"},
}

URL_SCHEMES = {"http", "https", "mailto"}

# An image left without a source (pasted from Word with a local file:// or
# data: address, which the allow-list drops) shows readers an empty box.
_IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\ssrc="[^"]+")[^>]*>')


def clean_html(markup: str) -> str:
    """Return ``markup`` reduced to the allow-list (relative links kept)."""
    if not markup:
        return ""
    if paste.looks_pasted(markup):
        markup = paste.clean_pasted(markup)
    cleaned = nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _IMG_WITHOUT_SRC.sub("", cleaned) if "<img" in cleaned else cleaned
