"""Lists of stories: pages of a list, and the home page's section blocks.

Both read ids first over the covering list indexes, then only the rows
shown, by primary key: page 500 of a section costs what page 1 costs.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest

from newsroom import pagecache

from . import cards
from .models import Article
from .prepared import Prepared

PAGE_SIZE = 20


class _Remembered:
    """A list's count and one page's ids, as the paginator reads them."""

    def __init__(self, count: int, start: int, ids: list[int]) -> None:
        self.total, self.start, self.ids = count, start, ids

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[int]:
        return self.ids[index.start - self.start : index.stop - self.start]


def paginate(
    request: HttpRequest,
    queryset,
    variant: str = "list",
    words=(),
    per_page: int = PAGE_SIZE,
    remember: str = "",
    skip=(),
) -> Page:
    """Return the page ``?trang=N`` of ``queryset`` as cards; 404 for a page not there.

    Django's paginator counts and slices the ids only (an index walk); the
    page's cards then come from :mod:`articles.cards` (cached, or read by
    primary key as plain rows). ``words`` marks searched words in them.

    With ``remember`` (a name for the list: "section:12"), the count and the
    page's ids are kept in the cache under the content generation for
    ``NEWSROOM_LIST_SECONDS``: the next reader of any page of
    that list, page 200 as page 1, costs no query at all; a story scheduled
    for later joins the list within that many seconds of its time.
    """
    raw = request.GET.get("trang", "1")
    if len(raw) > 6:
        raise Http404("Không có trang này.")
    numbered = raw.isascii() and raw.isdigit()
    key = _list_key(remember, int(raw), per_page) if remember and numbered else None
    found = _fresh(cache.get(key)) if key else None
    if found is not None:
        ids_in_order = _Remembered(*found)
    elif hasattr(queryset, "values_list"):
        ids_in_order = queryset.values_list("pk", flat=True)
    else:  # a sequence of ids already in order (a broad search)
        ids_in_order = queryset
    paginator = Paginator(ids_in_order, per_page)
    paginator.capped = getattr(queryset, "capped", False)
    try:
        page = paginator.page(raw)
    except InvalidPage:
        raise Http404("Không có trang này.") from None
    ids = list(page.object_list)
    if key and found is None:
        made = (time.time(), paginator.count, page.start_index() - 1, ids)
        cache.set(key, made, _list_seconds())
    # ``skip``: stories the page shows elsewhere (a section's pinned top story).
    page.object_list = cards.render([i for i in ids if i not in skip], variant, words)
    # "1 … 4 5 [6] 7 8 … 120": the numbers the pagination links show.
    page.elided = list(
        paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page


def newest_per_section(section_ids, tree, per_section: int, shown=()) -> dict:
    """Return {section id: the ids of its newest stories (sub-sections included)}.

    Stories in ``shown`` (already on the page) are left out, so a page never
    lists a story twice; top sections' trees do not overlap.

    One statement takes the newest ``per_section`` ids of each section with
    the section index (a UNION ALL of small LIMIT queries, each from
    ``published()``), compiled once per process for each menu and tree
    (:mod:`articles.prepared`): building it cost more than running it.
    Written as SQL because the ORM cannot: SQLite refuses a LIMIT inside a
    compound statement built by Django, and the alternatives (a query per
    section, or a window over every story of the sections) cost more.
    """
    if not section_ids:
        return {}
    subtrees = tuple(tuple(tree.subtree_ids(s)) for s in section_ids)
    key = (tuple(section_ids), subtrees, per_section)
    query = _NEWEST.get(key)
    if query is None:
        if len(_NEWEST) > 100:  # menus and trees of the past
            _NEWEST.clear()
        query = _NEWEST[key] = Prepared(
            lambda at, shown: _newest_sql(at, subtrees, per_section, shown), "shown"
        )
    picked = query.rows(shown=list(shown))
    picked.sort(key=lambda row: (row[2], row[1]), reverse=True)
    result: dict[int, list] = {}
    for index, pk, _ in picked:
        result.setdefault(section_ids[index], []).append(pk)
    return result


_NEWEST: dict[tuple, Prepared] = {}


def _list_seconds() -> int:
    return settings.NEWSROOM_LIST_SECONDS


def _fresh(entry) -> tuple | None:
    """A remembered list younger than ``NEWSROOM_LIST_SECONDS``, else ``None``.

    The age is checked here as well as by the cache's own expiry, so the
    rule holds by the application's clock whatever the cache backend.
    """
    if entry is None or time.time() - entry[0] >= _list_seconds():
        return None
    return entry[1:]


def remembered(name: str, compute):
    """``compute()``, kept like a list's page: under the content generation,
    for ``NEWSROOM_LIST_SECONDS`` at most (a scheduled story joins within
    them). ``name`` says what the value depends on besides the stories."""
    current = pagecache.generation()
    if current is None:
        return compute()
    digest = hashlib.blake2b(name.encode(), digest_size=12).hexdigest()
    key = f"list:{current}:{digest}"
    found = _fresh(cache.get(key))
    if found is not None:
        return found[0]
    value = compute()
    cache.set(key, (time.time(), value), _list_seconds())
    return value


def _list_key(name: str, page: int, per_page: int) -> str | None:
    current = pagecache.generation()
    if current is None:
        return None
    # No time slot in the key: an entry lives NEWSROOM_LIST_SECONDS from when
    # it was made, so lists do not all expire in the same second.
    return f"list:{current}:{name}:{per_page}:{page}"


HOME_LATEST = 13  # the lead story and the twelve after it
_LATEST = Prepared(
    lambda at: Article.objects.published(at).values_list("pk")[:HOME_LATEST]
)


def latest_ids() -> list[int]:
    """The ids of the newest published stories (the home page's first list)."""
    return [pk for (pk,) in _LATEST.rows()]


def _newest_sql(at, subtrees, per_section: int, shown) -> tuple[str, list]:
    parts, params = [], []
    for i, ids in enumerate(subtrees):
        sub = (
            Article.objects.published(at)
            .filter(category_id__in=ids)
            .exclude(pk__in=list(shown))
            .order_by("-published_at", "-pk")
            .values_list("pk", "published_at")[:per_section]
        )
        sql, sub_params = sub.query.sql_with_params()
        parts.append(f"SELECT {i} AS s, * FROM ({sql}) AS part{i}")
        params.extend(sub_params)
    return " UNION ALL ".join(parts), params
