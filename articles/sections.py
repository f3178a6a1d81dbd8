"""The section tree, read once and cached: menus, breadcrumbs and sub-sections
cost no query on a reader's page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache

from newsroom.pagecache import process_memo

from .models import Category

CACHE_KEY = "articles:sections:v1"


@dataclass
class Section:
    """A section as pages need it (a plain, picklable copy of a Category row)."""

    id: int
    name: str
    slug: str
    path: str
    parent_id: int | None
    description: str
    show_in_menu: bool
    order: int
    children: list[int] = field(default_factory=list)

    def get_absolute_url(self) -> str:
        return f"/{self.path}/"


@dataclass
class Tree:
    by_id: dict[int, Section]
    by_path: dict[str, int]

    def get(self, section_id: int) -> Section | None:
        return self.by_id.get(section_id)

    def find(self, path: str) -> Section | None:
        section_id = self.by_path.get(path)
        return self.by_id[section_id] if section_id is not None else None

    def ancestors(self, section_id: int) -> list[Section]:
        """The sections from the top down to this one (the breadcrumb)."""
        chain: list[Section] = []
        current = self.by_id.get(section_id)
        while current is not None:
            chain.insert(0, current)
            current = self.by_id.get(current.parent_id) if current.parent_id else None
        return chain

    def subtree_ids(self, section_id: int) -> list[int]:
        """This section's id and those of all its sub-sections."""
        ids, stack = [], [section_id]
        while stack:
            current = stack.pop()
            ids.append(current)
            stack.extend(self.by_id[current].children)
        return ids

    def top_of(self, section_id: int) -> int:
        return self.ancestors(section_id)[0].id

    def choices(self) -> list[tuple[str, str]]:
        """Every section as (path, name), in the editors' order, sub-sections
        indented under their parent (the search page's section filter)."""
        ordered = lambda ids: sorted(  # noqa: E731
            (self.by_id[i] for i in ids), key=lambda s: (s.order, s.name)
        )
        result: list[tuple[str, str]] = []

        def walk(items, depth):
            for item in items:
                result.append((item.path, "\u00a0\u00a0" * depth + item.name))
                walk(ordered(item.children), depth + 1)

        walk(ordered([s.id for s in self.by_id.values() if s.parent_id is None]), 0)
        return result

    def menu(self) -> list[Section]:
        tops = [
            s for s in self.by_id.values() if s.parent_id is None and s.show_in_menu
        ]
        return sorted(tops, key=lambda s: (s.order, s.name))


def _key() -> str | None:
    # The content generation is shared by every worker and server (see
    # pagecache), so a section added in one worker is seen by all of them.
    from newsroom.pagecache import generation

    current = generation()
    return None if current is None else f"{CACHE_KEY}:{current}"


# The tree of the current generation, kept by this process as well: a page
# asks for it three or four times (view, menu, cards, edge tags), and each
# read from the shared cache unpickled it again (a network round trip with
# Redis). It is the cached copy's twin, under the same generation.
_REMEMBERED = process_memo()


def tree() -> Tree:
    """Return the section tree (cached until the content changes)."""
    key = _key()
    if key is not None:
        found = _REMEMBERED.get(key)
        if found is not None:
            return found
    cached = cache.get(key) if key else None
    if cached is not None:
        _remember(key, cached)
        return cached
    by_id = {
        c.id: Section(
            c.id,
            c.name,
            c.slug,
            c.path,
            c.parent_id,
            c.description,
            c.show_in_menu,
            c.order,
        )  # fmt: skip
        for c in Category.objects.order_by("order", "name")
    }
    for section in by_id.values():
        if section.parent_id in by_id:
            by_id[section.parent_id].children.append(section.id)
    result = Tree(by_id, {s.path: s.id for s in by_id.values()})
    if key:
        cache.set(key, result, 3600)
        _remember(key, result)
    return result


def _remember(key: str, found: Tree) -> None:
    _REMEMBERED.clear()  # one generation's tree at a time
    _REMEMBERED[key] = found
