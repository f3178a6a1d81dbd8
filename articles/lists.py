"""Lists of stories: pages of a list, and the home page's section blocks.

Both read ids first over the covering list indexes, then only the rows
shown, by primary key: page 500 of a section costs what page 1 costs.
"""

from __future__ import annotations

from django.core.paginator import InvalidPage, Page, Paginator
from django.db import connection
from django.http import Http404, HttpRequest

from . import cards

PAGE_SIZE = 20


def paginate(
    request: HttpRequest,
    queryset,
    variant: str = "list",
    words=(),
    per_page: int = PAGE_SIZE,
) -> Page:
    """Return the page ``?trang=N`` of ``queryset`` as cards; 404 for a page not there.

    Django's paginator counts and slices the ids only (an index walk); the
    page's cards then come from :mod:`articles.cards` (cached, or read by
    primary key as plain rows). ``words`` marks searched words in them.
    """
    # A queryset, or a sequence of ids already in order (a broad search).
    ids_in_order = (
        queryset.values_list("pk", flat=True)
        if hasattr(queryset, "values_list")
        else queryset
    )
    paginator = Paginator(ids_in_order, per_page)
    paginator.capped = getattr(queryset, "capped", False)
    raw = request.GET.get("trang", "1")
    if len(raw) > 6:
        raise Http404("Không có trang này.")
    try:
        page = paginator.page(raw)
    except InvalidPage:
        raise Http404("Không có trang này.") from None
    page.object_list = cards.render(list(page.object_list), variant, words)
    # "1 … 4 5 [6] 7 8 … 120": the numbers the pagination links show.
    page.elided = list(
        paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page


def newest_per_section(
    published, section_ids, tree, per_section: int, shown=()
) -> dict:
    """Return {section id: the ids of its newest stories (sub-sections included)}.

    Stories in ``shown`` (already on the page) are left out, so a page never
    lists a story twice; top sections' trees do not overlap.

    One statement takes the newest ``per_section`` ids of each section with
    the section index (a UNION ALL of small LIMIT queries). Written as SQL because the ORM cannot: SQLite refuses a
    LIMIT inside a compound statement built by Django, and the alternatives
    (a query per section, or a window over every story of the sections)
    cost more on the home page.
    """
    parts, params = [], []
    for i, section_id in enumerate(section_ids):
        ids = tree.subtree_ids(section_id)
        sub = (
            published.filter(category_id__in=ids)
            .exclude(pk__in=list(shown))
            .order_by("-published_at", "-pk")
            .values_list("pk", "published_at")[:per_section]
        )
        sql, sub_params = sub.query.sql_with_params()
        parts.append(f"SELECT {i} AS s, * FROM ({sql}) AS part{i}")
        params.extend(sub_params)
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        picked = cursor.fetchall()
    picked.sort(key=lambda row: (row[2], row[1]), reverse=True)
    result: dict[int, list] = {}
    for index, pk, _ in picked:
        result.setdefault(section_ids[index], []).append(pk)
    return result
