"""Which stories exist already: identity, titles and slugs for an import run.

A small run (a wire file or a few) asks the database for each key it needs;
a large run reads the identity index once (a few tens of megabytes at
100,000 articles), so that importing an article costs the queries that write
it and not one lookup per field. A run that did not know it was large (one
JSON Lines file, a WordPress export, a feed) switches to the whole index
after :data:`PRELOAD_FROM` lookups. Either way the answers are kept for the
run and what the run writes is added as it commits.
"""

from __future__ import annotations

from django.db.models import Q

from ..models import Article, PendingRelation, slugs_starting

# A run of more files than this reads the whole index at once; a run that
# asked this many times reads it then.
PRELOAD_FROM = 100


class Index:
    def __init__(self, *, preload: bool, windowed: bool = False) -> None:
        self.preloaded = preload and not windowed
        # Windowed: only the keys of the drafts at hand (see window()).
        self.windowed = windowed
        self._window_bases: set[str] = set()
        self._window_taken: set[tuple[int, str]] = set()
        self.by_external_id: dict[str, int] = {}
        self.by_source_url: dict[str, int] = {}
        self.by_hash: dict[str, int] = {}
        self.by_title: dict[str, int] = {}
        self.hash_of: dict[int, str] = {}
        self._asked: set[tuple[str, str]] = set()
        self._slugs: dict[int, set[str]] = {}
        self._slug_prefixes: set[tuple[int, str]] = set()
        self.pending_titles: set[str] | None = None  # asked for when needed
        if self.preloaded:
            self._preload()

    def _preload(self) -> None:
        """Read the whole index: every article's keys and the titles waited for.

        Called between transactions, so the database holds all the run wrote.
        """
        self.preloaded = True
        self._remember(Article.objects.order_by("published_at", "pk"))
        self.pending_titles = set(
            PendingRelation.objects.values_list("title_folded", flat=True)
        )
        self._slug_prefixes = {key for key in self._slug_prefixes if key[1] == ""}

    def _remember(self, rows) -> None:
        fields = ("pk", "external_id", "source_url", "content_hash", "search_title")
        for pk, external_id, source_url, content_hash, search_title in rows.values_list(
            *fields
        ):
            if external_id:
                self.by_external_id[external_id] = pk
            if source_url:
                self.by_source_url.setdefault(source_url, pk)
            if content_hash:
                self.by_hash.setdefault(content_hash, pk)
            self.by_title[search_title] = pk  # the newest wins
            self.hash_of[pk] = content_hash

    def window(self, keys: list[tuple[str, str]], slug_bases: set[str]) -> None:
        """Forget the keys of earlier drafts; read those of the next ones at once.

        ``keys`` are the identities of the next drafts ((kind, value) as
        :meth:`find` takes them), ``slug_bases`` the slugs they would have.
        A stream of a million stories then holds one chunk's keys, not the
        whole table's, and asks two queries per chunk instead of one per
        record. Call it between transactions: what the run wrote is in the
        database. A key not read here is still asked for when it is needed.
        """
        self.windowed, self.preloaded = True, False
        for table in (
            self.by_external_id,
            self.by_source_url,
            self.by_hash,
            self.by_title,
            self.hash_of,
            self._asked,
            self._slugs,
            self._slug_prefixes,
        ):
            table.clear()
        self.pending_titles = None
        wanted = {"external_id": [], "source_url": [], "content_hash": []}
        for kind, value in keys:
            field = "content_hash" if kind == "hash" else kind
            wanted[field].append(value)
            self._asked.add((field, value))
        match = Q()
        for field, values in wanted.items():
            if values:
                match |= Q(**{f"{field}__in": values})
        if match:
            self._remember(Article.objects.filter(match).order_by("published_at", "pk"))
        self._window_bases = set(slug_bases)
        self._window_taken = set(
            Article.objects.filter(slug__in=self._window_bases).values_list(
                "category_id", "slug"
            )
        )

    def _ask(self, field: str, value: str) -> None:
        if self.preloaded or (field, value) in self._asked:
            return
        if len(self._asked) >= PRELOAD_FROM and not self.windowed:
            self._preload()
            return
        self._asked.add((field, value))
        self._remember(
            Article.objects.filter(**{field: value}).order_by("published_at", "pk")
        )

    def find(self, kind: str, value: str) -> int | None:
        """Return the id of the article with this external_id, URL or hash."""
        field, table = {
            "external_id": ("external_id", self.by_external_id),
            "source_url": ("source_url", self.by_source_url),
            "hash": ("content_hash", self.by_hash),
        }[kind]
        self._ask(field, value)
        return table.get(value)

    def titled(self, folded_titles) -> dict[str, int]:
        """Return {folded title: the newest article with it} for those that exist."""
        wanted = [t for t in folded_titles if ("search_title", t) not in self._asked]
        if wanted and not self.preloaded:
            self._asked.update(("search_title", t) for t in wanted)
            self._remember(
                Article.objects.filter(search_title__in=wanted).order_by(
                    "published_at", "pk"
                )
            )
        return {t: self.by_title[t] for t in folded_titles if t in self.by_title}

    def waiting_for(self, folded_titles) -> list[str]:
        """Return which of these titles earlier articles' "Xem thêm" wait for."""
        if self.pending_titles is None:
            return list(
                PendingRelation.objects.filter(title_folded__in=list(folded_titles))
                .values_list("title_folded", flat=True)
                .distinct()
            )
        return [t for t in folded_titles if t in self.pending_titles]

    def slugs(self, category_id: int, base: str) -> set[str]:
        """Return the slugs taken in a section that start with ``base``, and more.

        The set is the run's own: the caller adds what it takes.
        """
        taken = self._slugs.setdefault(category_id, set())
        if self.preloaded:
            if (category_id, "") not in self._slug_prefixes:
                self._slug_prefixes.add((category_id, ""))
                taken.update(
                    Article.objects.filter(category_id=category_id).values_list(
                        "slug", flat=True
                    )
                )
        elif (category_id, base) not in self._slug_prefixes:
            if (
                base in self._window_bases
                and (category_id, base) not in self._window_taken
                and base not in taken
            ):
                return taken  # the slug itself is free: no need of its "-2"s
            self._slug_prefixes.add((category_id, base))
            taken.update(
                Article.objects.filter(
                    slugs_starting(base), category_id=category_id
                ).values_list("slug", flat=True)
            )
        return taken

    def add(self, article: Article, pending: list[str]) -> None:
        """Record an article that was just written (once its transaction committed)."""
        if article.external_id:
            self.by_external_id[article.external_id] = article.pk
        if article.source_url:
            self.by_source_url.setdefault(article.source_url, article.pk)
        self.by_hash.setdefault(article.content_hash, article.pk)
        self.by_title[article.search_title] = article.pk
        self.hash_of[article.pk] = article.content_hash
        self._slugs.setdefault(article.category_id, set()).add(article.slug)
        if self.pending_titles is not None:
            from .. import text

            self.pending_titles.update(text.fold(t) for t in pending)
