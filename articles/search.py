"""Search over published stories, diacritic-insensitive, title matches first.

Queries and stories are compared folded (``text.fold``: no marks, lower
case), so "cai cach hanh chinh ben tre" and "Cải cách hành chính Bến Tre"
are the same search. On PostgreSQL it is full-text search over the folded
title (weight A), lead (B) and body (C), kept in ``search_vector`` by a
trigger and indexed with GIN. On SQLite a fallback matches whole words with
an FTS5 index does the same (migration 0005, bm25 with weights); where
FTS5 is missing, a fallback matches whole words with LIKE and ranks title
over lead over body.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat

from . import text

MAX_QUERY = 200  # characters of a query that are read
MAX_WORDS = 10


def words(query: str) -> list[str]:
    """Return the folded words of a query (at most 10, duplicates dropped)."""
    folded = text.fold(query[:MAX_QUERY])
    return list(dict.fromkeys(w for w in folded.split() if w))[:MAX_WORDS]


@dataclass
class Filters:
    """The search page's filters: a section (with its sub-sections) and dates."""

    section: object = None  # sections.Section
    since: dt.date | None = None
    until: dt.date | None = None
    problems: list[str] = field(default_factory=list)
    tree: object = None

    @classmethod
    def read(cls, params, tree) -> Filters:
        from django.utils.translation import gettext as _

        found = cls()
        path = (params.get("chuyen-muc") or "").strip("/")[:300]
        if path:
            found.section = tree.find(path)
            if found.section is None:
                found.problems.append(_("Không có chuyên mục “%s”.") % path)
        for name, attr, label in (
            ("tu", "since", _("Từ ngày")),
            ("den", "until", _("Đến ngày")),
        ):
            value = (params.get(name) or "").strip()[:20]
            if not value:
                continue
            date = _date(value)
            if date is None or text.day_bounds(date) is None:
                found.problems.append(
                    _("%(label)s “%(value)s” không phải là ngày (ví dụ 10/11/2023).")
                    % {"label": label, "value": value}
                )
                continue
            setattr(found, attr, date)
        if found.since and found.until and found.since > found.until:
            found.since, found.until = found.until, found.since
        found.tree = tree
        return found

    def apply(self, queryset):
        if self.section is not None:
            queryset = queryset.filter(
                category_id__in=self.tree.subtree_ids(self.section.id)
            )
        if self.since:
            queryset = queryset.filter(published_at__gte=text.day_bounds(self.since)[0])
        if self.until:
            queryset = queryset.filter(published_at__lt=text.day_bounds(self.until)[1])
        return queryset

    def query_string(self, query: str) -> str:
        """The page's query without ``trang`` (the pagination links add it)."""
        params = {"q": query}
        if self.section is not None:
            params["chuyen-muc"] = self.section.path
        if self.since:
            params["tu"] = self.since.isoformat()
        if self.until:
            params["den"] = self.until.isoformat()
        return urlencode(params)


def _date(value: str) -> dt.date | None:
    """Read 2023-11-10 (a date field) or 10/11/2023 (as Vietnamese write it)."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


QUOTES = "\"“”„«»'"


def is_phrase(query: str) -> bool:
    """A query in quotes ("…" or “…”) asks for the words side by side."""
    query = query.strip()
    return len(query) > 2 and query[0] in QUOTES and query[-1] in QUOTES


def search(queryset, query_words: list[str], typed: str = ""):
    """Return ``queryset`` narrowed to stories with every word, best first.

    ``typed`` is the query as the reader typed it: stories whose title (then
    lead) holds it exactly, diacritics and all, come first; then those where
    the words stand together as a phrase; then the index's own ranking. So
    "cải cách" puts "Cải cách hành chính" before "cài cách" and before
    "Lào Cai … cách mạng".
    """
    if not query_words:
        return queryset.none()
    phrase = is_phrase(typed)
    typed = typed.strip().strip(QUOTES) if phrase else typed
    if connection.vendor == "postgresql":
        found, order = _postgres(queryset, query_words, phrase)
    elif connection.vendor == "sqlite" and _has_fts():
        found, order = _sqlite_fts(queryset, query_words, phrase)
    else:
        found, order = _fallback(queryset, query_words, phrase)
    return found.annotate(exact=_exactness(typed, query_words)).order_by(
        "-exact", *order
    )


# A query matching more stories than this is "broad": rather than rank every
# match (36 ms of bm25 alone for "cải cách" on 10,000 stories), the stories
# with the words as a phrase in the title or lead are ranked (a small set the
# index finds by column), and the rest follow newest first, read from the
# date index until a page is full. The count stops there too: "hơn 1.000".
BROAD = 1000


class Ranked:
    """The ids of a broad search, best first, as the paginator slices them."""

    def __init__(self, first: list[int], rest, total: int, capped: bool) -> None:
        self.first, self.rest, self.total, self.capped = first, rest, total, capped

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, min(index.stop or self.total, self.total)
        ids = self.first[start:stop]
        wanted = stop - start - len(ids)
        if wanted > 0:
            offset = max(0, start - len(self.first))
            ids += list(self.rest[offset : offset + wanted])
        return ids


def results(queryset, query_words: list[str], typed: str = ""):
    """What the search page paginates: a ranked queryset, or for a broad
    query a :class:`Ranked` list of ids (see ``BROAD``)."""
    if not query_words:
        return queryset.none()
    phrase = is_phrase(typed)
    broad = _broad(queryset, query_words, phrase)
    if broad is None:
        return search(queryset, query_words, typed)
    if isinstance(broad, int):  # counted already: not broad, ranked in full
        return Counted(search(queryset, query_words, typed), broad)
    first_ids, rest, total = broad
    exact = (
        queryset.filter(pk__in=first_ids)
        .annotate(exact=_exactness(typed.strip().strip(QUOTES), query_words))
        .order_by("-exact", "-published_at", "-pk")
        .values_list("pk", flat=True)
    )
    first = list(exact)
    rest = rest.exclude(pk__in=first).order_by("-published_at", "-pk")
    capped = total > BROAD
    return Ranked(first, rest.values_list("pk", flat=True), min(total, BROAD), capped)


class Counted:
    """A ranked queryset whose count is known: the paginator asks no COUNT."""

    def __init__(self, queryset, total: int) -> None:
        self.ids, self.total = queryset.values_list("pk", flat=True), total
        self.capped = False

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.ids[index]


def _broad(queryset, query_words, phrase):
    """For a broad query: (phrase ids, the other matches, how many match);
    for one that is not, how many match when that is known already."""
    if connection.vendor == "sqlite" and _has_fts():
        match = _fts_match(query_words, phrase)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM articles_article_fts "
                "WHERE articles_article_fts MATCH %s LIMIT %s)",
                [match, BROAD + 1],
            )
            if cursor.fetchone()[0] <= BROAD:  # the index alone: every story
                return None
        # "+id": the date index drives, the match list is only looked up.
        rest = queryset.extra(
            where=[
                "+articles_article.id IN (SELECT rowid FROM articles_article_fts "
                "WHERE articles_article_fts MATCH %s)"
            ],
            params=[match],
        )
        # What the reader may see, with the page's filters.
        total = rest.order_by().values("pk")[: BROAD + 1].count()
        if total <= BROAD:
            return total
        together = '"' + " ".join(query_words) + '"'
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM articles_article_fts WHERE articles_article_fts "
                "MATCH %s LIMIT %s",
                [f"{{search_title search_lead}} : {together}", BROAD],
            )
            first = [row[0] for row in cursor.fetchall()]
        return first, rest, total
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = _pg_query(query_words, phrase)
        total = queryset.filter(search_vector=query).values("pk")[: BROAD + 1].count()
        if total <= BROAD:
            return total
        # The title and lead's own vector (migration 0014): the phrase is
        # checked on it, not on each match's whole vector.
        together = SearchQuery(
            " ".join(query_words), config="simple", search_type="phrase"
        )
        first = list(
            queryset.filter(search_headline=together)
            .order_by()
            .values_list("pk", flat=True)[:BROAD]
        )
        return first, queryset.filter(search_vector=query), total
    return None


def _exactness(typed: str, query_words: list[str]):
    """4: the typed words in the title, 3: the folded phrase in the title,
    2 and 1: the same in the lead, 0: the words apart."""
    phrase = " ".join(query_words)
    typed = text.clean_line(typed[:MAX_QUERY])
    whens = []
    if typed:
        whens.append(When(title__icontains=typed, then=4))
    whens.append(When(search_title__contains=phrase, then=3))
    if typed:
        whens.append(When(lead__icontains=typed, then=2))
    whens.append(When(search_lead__contains=phrase, then=1))
    return Case(*whens, default=0, output_field=IntegerField())


_FTS_SEEN: set[str] = set()


def _has_fts() -> bool:
    """Whether migration 0005 made the FTS5 index here (asked once per database)."""
    name = str(connection.settings_dict["NAME"])
    if name not in _FTS_SEEN:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'articles_article_fts'"
            )
            if cursor.fetchone() is None:
                return False
        _FTS_SEEN.add(name)
    return True


def _fts_match(query_words, phrase=False) -> str:
    # Words are folded to letters and digits only, so quoting them is safe.
    if phrase:  # FTS5's phrase: the words next to each other, in order
        return '"' + " ".join(query_words) + '"'
    return " ".join(f'"{w}"' for w in query_words)


def _pg_query(query_words, phrase=False):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(
        " ".join(query_words),
        config="simple",
        search_type="phrase" if phrase else "plain",
    )


def _sqlite_fts(queryset, query_words, phrase=False):
    """SQLite's FTS5 index (migration 0005): bm25 with title 10, lead 3, body 1.

    The index is joined in (``extra``: Django has no expression for a join
    on a virtual table), so the match drives the query and each row's rank
    comes from the same scan.
    """
    match = _fts_match(query_words, phrase)
    found = queryset.extra(
        select={"rank": "bm25(articles_article_fts, 10.0, 3.0, 1.0)"},
        tables=["articles_article_fts"],
        where=[
            "articles_article_fts.rowid = articles_article.id",
            "articles_article_fts MATCH %s",
        ],
        params=[match],
    )
    return found, ("rank", "-published_at", "-pk")


def _postgres(queryset, query_words, phrase=False):
    """PostgreSQL full text: the GIN-indexed vector finds, short vectors rank.

    Ranking every match by its whole weighted vector reads each story's body
    vector; ranking by title, then lead (short, computed on the fly), then
    date gives the same order the weights promise at a fraction of the cost.
    """
    from django.contrib.postgres.search import SearchRank, SearchVector

    query = _pg_query(query_words, phrase)
    found = queryset.filter(search_vector=query).annotate(
        title_rank=SearchRank(SearchVector("search_title", config="simple"), query),
        lead_rank=SearchRank(SearchVector("search_lead", config="simple"), query),
    )
    return found, ("-title_rank", "-lead_rank", "-published_at", "-pk")


def _fallback(queryset, query_words, phrase=False):
    padded = {
        name: Concat(Value(" "), F(name), Value(" "), output_field=TextField())
        for name in ("search_title", "search_lead", "search_text")
    }
    queryset = queryset.annotate(
        _t=padded["search_title"], _l=padded["search_lead"], _b=padded["search_text"]
    )
    rank = Value(0)
    if phrase:
        needle = f" {' '.join(query_words)} "
        queryset = queryset.filter(
            Q(_t__contains=needle) | Q(_l__contains=needle) | Q(_b__contains=needle)
        )
    for word in query_words:
        needle = f" {word} "
        queryset = queryset.filter(
            Q(_t__contains=needle) | Q(_l__contains=needle) | Q(_b__contains=needle)
        )
        rank = (
            rank
            + Case(When(_t__contains=needle, then=100), default=0)
            + Case(When(_l__contains=needle, then=10), default=0)
            + Case(When(_b__contains=needle, then=1), default=0)
        )
    return queryset.annotate(rank=rank), ("-rank", "-published_at", "-pk")


def body_match(word: str) -> Q:
    """A ``Q`` for stories whose folded text has a word starting with ``word``.

    The admin's search: the full-text index does the work, so a body
    search costs no scan of every body.
    """
    from django.db.models.expressions import RawSQL

    # Letters and digits only: the index's query syntax never sees an operator.
    word = "".join(ch for ch in word if ch.isascii() and ch.isalnum())
    if not word:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        return Q(
            search_vector=SearchQuery(f"{word}:*", config="simple", search_type="raw")
        )
    if connection.vendor == "sqlite" and _has_fts():
        return Q(
            pk__in=RawSQL(
                "SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s",
                [f'"{word}"*'],
            )
        )
    return Q(search_text__contains=word)


class FoldedSearchMixin:
    """Search the folded columns so "ben tre" finds "Bến Tre"."""

    folded_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        folded = words(search_term)
        if not folded or not self.folded_search_fields:
            return super().get_search_results(request, queryset, search_term)
        for word in folded:
            q = Q()
            for name in self.folded_search_fields:
                q |= Q(**{f"{name}__contains": word})
            queryset = queryset.filter(q)
        return queryset, False
