"""Sections, authors and tags of an import, found by name or created.

Names match after NFC and case folding, marks kept ("CÔNG TRÍ" is "Công
Trí"; "Bàn" is not "Ban"). A section is found by its path: "Chính phủ ›
Địa phương" is the "Địa phương" under "Chính phủ", whatever other "Địa
phương" the tree has; a section's URL path ("chinh-phu/dia-phuong") names it
too. A name alone is the top-level section of that name, else the one
section of that name anywhere; when several share it the draft is refused
and asked to name the parent.
"""

from __future__ import annotations

import re

from .. import text
from ..models import Author, Category, Tag
from .base import DraftError

# "Cha › Con", also typed "Cha > Con" or "Cha » Con".
_SEPARATOR = re.compile(r"\s*[›»>]\s*")
_PATH = re.compile(r"[a-z0-9-]+(?:/[a-z0-9-]+)+/?")


def key(name: str) -> str:
    return text.clean_line(name).casefold()


def section_names(name: str, parent: str | None = None) -> list[str]:
    """Return the names of a section's path, from the top: "A › B" → [A, B]."""
    parts = [*_SEPARATOR.split(parent or ""), *_SEPARATOR.split(name)]
    return [text.clean_line(p) for p in parts if text.clean_line(p)]


class Names:
    """The run's sections, authors and tags: read once, created when new."""

    def __init__(self, *, dry_run: bool) -> None:
        self.dry_run = dry_run
        self.new_sections: list[str] = []
        self.new_authors: list[str] = []
        self.reload()

    def reload(self) -> None:
        """Read the names again (after a rolled-back write created some)."""
        self._sections: dict[tuple[str, str | None], Category] = {}
        rows = {c.pk: c for c in Category.objects.all()}
        self.by_path = {c.path: c for c in rows.values()}
        self.by_chain: dict[tuple[str, ...], Category] = {}
        for category in rows.values():
            chain, current = [], category
            while current is not None:
                chain.insert(0, key(current.name))
                current = rows.get(current.parent_id)
            self.by_chain[tuple(chain)] = category
        self.authors = {key(a.name): a for a in Author.objects.all()}
        self.tags = {key(t.name): t for t in Tag.objects.all()}

    def mark(self) -> tuple[int, int]:
        """Where the lists of new names stand, to forget a rolled-back article's."""
        return len(self.new_sections), len(self.new_authors)

    def forget_since(self, mark: tuple[int, int]) -> None:
        del self.new_sections[mark[0] :]
        del self.new_authors[mark[1] :]

    # --- sections -------------------------------------------------------------

    def section(self, name: str, parent: str | None = None) -> Category:
        """Return the section a draft names, creating what is missing.

        Remembered per name until a section is created or the names are read
        again: a run's stories name a handful of sections, thousands of times.
        """
        found = self._sections.get((name, parent))
        if found is None:
            found = self._sections[name, parent] = self._section(name, parent)
        return found

    def _section(self, name: str, parent: str | None) -> Category:
        cleaned = text.clean_line(name)
        if _PATH.fullmatch(cleaned) and not parent:
            found = self.by_path.get(cleaned.strip("/"))
            if found is None:
                raise DraftError(f"không có chuyên mục có đường dẫn “{cleaned}”")
            return found
        names = section_names(name, parent)
        keys = [key(n) for n in names]
        start = self._top(names[0], keys[0])
        current, chain = start, self._chain_of(start, keys[0])
        for part, part_key in zip(names[1:], keys[1:], strict=True):
            chain = (*chain, part_key)
            current = self.by_chain.get(chain) or self._create(part, current, chain)
        return current

    def _top(self, name: str, name_key: str) -> Category:
        if (name_key,) in self.by_chain:
            return self.by_chain[(name_key,)]
        anywhere = [c for chain, c in self.by_chain.items() if chain[-1] == name_key]
        if len(anywhere) > 1:
            places = "; ".join(sorted(" › ".join(self._names_of(c)) for c in anywhere))
            raise DraftError(
                f"có {len(anywhere)} chuyên mục tên “{name}” ({places}): "
                "ghi rõ chuyên mục cha, ví dụ “Cha › Con”"
            )
        if anywhere:
            return anywhere[0]
        return self._create(name, None, (name_key,))

    def _chain_of(self, category: Category, fallback: str) -> tuple[str, ...]:
        for chain, found in self.by_chain.items():
            if found is category:
                return chain
        return (fallback,)

    def _names_of(self, category: Category) -> list[str]:
        names, current = [], category
        while current is not None:
            names.insert(0, current.name)
            current = current.parent
        return names

    def _create(self, name: str, parent: Category | None, chain) -> Category:
        self._sections.clear()  # a new name can make another one ambiguous
        category = Category(name=text.clean_line(name), parent=parent)
        if not self.dry_run:
            category.save()
            self.by_path[category.path] = category
        self.by_chain[tuple(chain)] = category
        self.new_sections.append(category.name)
        return category

    # --- people and topics ------------------------------------------------------

    def author(self, name: str) -> Author:
        name_key = key(name)
        if name_key not in self.authors:
            author = Author(name=text.clean_line(name))
            if not self.dry_run:
                author.save()
            self.authors[name_key] = author
            self.new_authors.append(author.name)
        return self.authors[name_key]

    def tag(self, name: str) -> Tag:
        name_key = key(name)
        if name_key not in self.tags:
            tag = Tag(name=text.clean_line(name))
            if not self.dry_run:
                tag.save()
            self.tags[name_key] = tag
        return self.tags[name_key]
