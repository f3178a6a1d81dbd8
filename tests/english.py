"""Django's English defaults, to find any left on a page shown in Vietnamese."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import django

CATALOGUES = [
    "contrib/admin/locale/en/LC_MESSAGES/django.po",
    "contrib/admin/locale/en/LC_MESSAGES/djangojs.po",
    "contrib/auth/locale/en/LC_MESSAGES/django.po",
    "conf/locale/en/LC_MESSAGES/django.po",
]
# Words that are the same in a Vietnamese page: names and formats.
SAME_IN_VIETNAMESE = {"Django", "Email", "JSON", "UUID", "IPv4", "IPv6", "URL", "OK"}
_MSGID = re.compile(r'^msgid(?:_plural)? "(.*)"$')


@functools.cache
def defaults() -> tuple[str, ...]:
    """Django's English messages as a page would print them (no placeholders)."""
    root = Path(django.__file__).parent
    found: set[str] = set()
    for name in CATALOGUES:
        lines = (root / name).read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            match = _MSGID.match(line)
            if not match:
                continue
            text = match.group(1)
            j = i + 1
            while j < len(lines) and lines[j].startswith('"'):
                text += lines[j][1:-1]
                j += 1
            # Keep the words around placeholders and markup as separate phrases.
            for part in re.split(r"%\(\w+\)s|%s|%d|\{\w*\}|<[^>]+>|\\n|\"", text):
                part = part.strip(" .:,;?!()“”’'-")
                # A phrase, or a capitalised word (a label or a button).
                if " " not in part and not part[:1].isupper():
                    continue
                if len(part) >= 4 and re.search(r"[A-Za-z]{3}", part):
                    if part not in SAME_IN_VIETNAMESE and not re.search(
                        r"[^\x00-\x7f]", part
                    ):
                        found.add(part)
    return tuple(sorted(found, key=len, reverse=True))


class _Text(HTMLParser):
    SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "value"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.skipped: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        kinds = dict(attrs)
        # Hidden code, and what is marked as another language (the "English" link).
        if tag in ("script", "style", "template") or kinds.get("lang", "vi") != "vi":
            self.skip += 1
            self.skipped.append(tag)
            return
        if self.skipped and tag == self.skipped[-1]:
            self.skip += 1
            self.skipped.append(tag)
            return
        for name, value in attrs:
            if name in self.SHOWN_ATTRIBUTES and value:
                if name == "value" and kinds.get("type") not in ("submit", "button"):
                    continue
                self.parts.append(value)

    def handle_endtag(self, tag) -> None:
        if self.skipped and tag == self.skipped[-1]:
            self.skipped.pop()
            self.skip -= 1

    def handle_data(self, data) -> None:
        if not self.skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def english_in(text: str) -> list[str]:
    """Return Django's English defaults found in ``text`` as whole words."""
    found = []
    for phrase in defaults():
        if re.search(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])", text):
            found.append(phrase)
    return found
