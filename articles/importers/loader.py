"""The one loader: writes article drafts of any format to the database.

Every importer shares its matching (external_id, else source_url, else a hash
of the text), its validation, its errors and its summary. Each article is
written in one transaction: a failing article leaves nothing behind, not even
image files, and the others of the run still import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone

from .. import body, images, pagecache, text
from ..models import (
    SLUG_MAX,
    Article,
    ArticleAuthor,
    Author,
    Category,
    PendingRelation,
    Photo,
    Tag,
)
from ..services import adopt_stored_image, store_photo_file
from .base import ArticleDraft, DraftError

PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif")


@dataclass
class Summary:
    """What a run did, for the closing report."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    new_authors: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def fail(self, source: str, line: int | None, reason: str) -> None:
        where = (
            f"{source}:{line}" if line and not source.endswith(f":{line}") else source
        )
        self.failures.append(f"{where}: {reason}")


class _Index:
    """What the loader looks up for every article, read once per run.

    Identity (external_id, source_url, content hash), titles for "Xem thêm"
    and slugs per section live in memory, so that importing an article costs
    the queries that write it and not one lookup per field: at 100,000
    articles this is a few tens of megabytes.
    """

    def __init__(self) -> None:
        self.by_external_id: dict[str, int] = {}
        self.by_source_url: dict[str, int] = {}
        self.by_hash: dict[str, int] = {}
        self.by_title: dict[str, int] = {}
        self.hash_of: dict[int, str] = {}
        rows = Article.objects.order_by("published_at", "pk").values_list(
            "pk", "external_id", "source_url", "content_hash", "search_title"
        )
        for pk, external_id, source_url, content_hash, search_title in rows:
            if external_id:
                self.by_external_id[external_id] = pk
            if source_url:
                self.by_source_url.setdefault(source_url, pk)
            if content_hash:
                self.by_hash.setdefault(content_hash, pk)
            self.by_title[search_title] = pk  # the newest wins
            self.hash_of[pk] = content_hash
        self.pending_titles = set(
            PendingRelation.objects.values_list("title_folded", flat=True)
        )
        self._slugs: dict[int, set[str]] = {}

    def slugs(self, category_id: int) -> set[str]:
        if category_id not in self._slugs:
            self._slugs[category_id] = set(
                Article.objects.filter(category_id=category_id).values_list(
                    "slug", flat=True
                )
            )
        return self._slugs[category_id]

    def add(self, article: Article, pending: list[str]) -> None:
        """Record an article that was just written."""
        if article.external_id:
            self.by_external_id[article.external_id] = article.pk
        if article.source_url:
            self.by_source_url.setdefault(article.source_url, article.pk)
        self.by_hash.setdefault(article.content_hash, article.pk)
        self.by_title[article.search_title] = article.pk
        self.hash_of[article.pk] = article.content_hash
        self.slugs(article.category_id).add(article.slug)
        self.pending_titles.update(text.fold(t) for t in pending)


@dataclass
class _Unchanged:
    """A match that will be skipped: no need to read the row."""

    pk: int
    content_hash: str


def _identity(draft: ArticleDraft) -> tuple[str, str]:
    """Return what a draft is matched by: its external_id, URL or text hash."""
    if draft.external_id:
        return ("external_id", draft.external_id)
    if draft.source_url:
        return ("source_url", draft.source_url)
    return ("hash", draft.content_hash)


def _key(name: str) -> str:
    """Names match after NFC and case folding, marks kept ("Ban" is not "Bàn")."""
    return text.clean_line(name).casefold()


class Loader:
    """Write drafts to the database; each article all or nothing.

    New articles are written in batches of :attr:`batch_size`: one
    transaction and a handful of bulk inserts for the whole batch. When a
    batch fails, it is rolled back and its articles are written again one
    transaction each, so that one bad article costs only itself. Updates are
    always written one by one. Call :meth:`finish` after the last draft.
    """

    batch_size = 200

    def __init__(
        self,
        *,
        status: str | None = None,
        published_at: dt.datetime | None = None,
        update: bool = False,
        dry_run: bool = False,
    ) -> None:
        self.status = status
        self.published_at = published_at
        self.update = update
        self.dry_run = dry_run
        self.summary = Summary()
        self.categories: dict[str, Category] = {}
        self.authors: dict[str, Author] = {}
        self.tags: dict[str, Tag] = {}
        self._load_names()
        self._pending_titles: dict[int, list[str]] = {}
        self._index: _Index | None = None
        self._queue: list[tuple[ArticleDraft, list[Path]]] = []
        self._queued_keys: set[tuple[str, str]] = set()

    @property
    def index(self) -> _Index:
        if self._index is None:
            self._index = _Index()
        return self._index

    # --- public -------------------------------------------------------------

    def load(self, draft: ArticleDraft, photo_files: list[Path] | None = None) -> str:
        """Take one draft: "created" (or queued to be), "updated", "skipped", "failed"."""
        files = photo_files or []
        try:
            self._validate(draft, files)
            if _identity(draft) in self._queued_keys:
                self.flush()  # the same article twice in a batch: write the first
            existing = self._match(draft)
        except DraftError as exc:
            self.summary.fail(draft.source, exc.line or draft.line, exc.reason)
            return "failed"
        if existing is not None and (
            not self.update or existing.content_hash == draft.content_hash
        ):
            self.summary.skipped += 1
            return "skipped"
        if self.dry_run:
            self._would_create_names(draft)
            outcome = "updated" if existing else "created"
            setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
            return outcome
        if existing is not None:
            return self._load_one(draft, files, existing)
        self._queue.append((draft, files))
        self._queued_keys.add(_identity(draft))
        if len(self._queue) >= self.batch_size:
            self.flush()
        return "created"

    def flush(self) -> None:
        """Write the queued new articles."""
        batch, self._queue, self._queued_keys = self._queue, [], set()
        if not batch:
            return
        stored: list[str] = []
        names = (len(self.summary.new_categories), len(self.summary.new_authors))
        try:
            with transaction.atomic():
                articles = self._create_many(batch, stored)
        except (DraftError, DatabaseError, OSError):
            # Find the culprit the slow way: one transaction per article.
            self._roll_back(stored, names)
            for draft, files in batch:
                self._load_one(draft, files, self._match(draft))
            return
        except BaseException:
            self._roll_back(stored, names)
            raise
        for article in articles:
            self.index.add(article, self._pending_titles.get(article.pk, []))
        self.summary.created += len(articles)
        pagecache.bump()  # bulk inserts send no signals: drop cached pages here

    def finish(self) -> Summary:
        """Write what is queued; list the related titles still unresolved."""
        self.flush()
        if self._pending_titles:
            still = set(
                PendingRelation.objects.filter(
                    article_id__in=list(self._pending_titles)
                ).values_list("title", flat=True)
            )
            seen: set[str] = set()
            for titles in self._pending_titles.values():
                for title in titles:
                    if title in still and title not in seen:
                        seen.add(title)
                        self.summary.unresolved.append(title)
        return self.summary

    # --- one article --------------------------------------------------------

    def _load_one(
        self, draft: ArticleDraft, files: list[Path], existing: Article | None
    ) -> str:
        """Write one article in its own transaction."""
        if existing is not None and (
            not self.update or existing.content_hash == draft.content_hash
        ):
            self.summary.skipped += 1
            return "skipped"
        stored: list[str] = []
        names = (len(self.summary.new_categories), len(self.summary.new_authors))
        try:
            with transaction.atomic():
                outcome, article = self._write(draft, existing, files, stored)
        except (DraftError, DatabaseError, OSError) as exc:
            self._roll_back(stored, names)
            if isinstance(exc, DraftError):
                reason, line = exc.reason, exc.line
            elif isinstance(exc, OSError):
                reason, line = f"không ghi được tệp ({exc})", None
            else:
                reason, line = f"xung đột dữ liệu ({exc})", None
            self.summary.fail(draft.source, line or draft.line, reason)
            return "failed"
        except BaseException:
            self._roll_back(stored, names)
            raise
        # Only once the transaction has committed.
        self.index.add(article, self._pending_titles.get(article.pk, []))
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
        return outcome

    # --- many new articles --------------------------------------------------

    def _create_many(
        self, batch: list[tuple[ArticleDraft, list[Path]]], stored: list[str]
    ) -> list[Article]:
        """Insert new articles with bulk queries; the caller holds the transaction."""
        photo_rows: list[list[Photo]] = []
        for draft, files in batch:
            photo_rows.append(self._photos(draft, [], files, stored, save=False))
        Photo.objects.bulk_create([p for rows in photo_rows for p in rows])

        articles: list[Article] = []
        for (draft, _), photos in zip(batch, photo_rows, strict=True):
            category = self._category(draft.category, draft.category_parent)
            article = Article(category=category)
            self._fill(article, draft, photos)
            base = draft.slug or text.slugify_vi(article.title, SLUG_MAX) or "bai-viet"
            taken = self.index.slugs(category.pk)
            article.slug = text.unique_slug(base, taken, SLUG_MAX)
            taken.add(article.slug)  # the index is rebuilt if the batch fails
            article.prepare()
            articles.append(article)
        Article.objects.bulk_create(articles)

        authors, tags, links = [], [], []
        Tags, Photos = Article.tags.through, Article.photos.through
        for (draft, _), article, photos in zip(
            batch, articles, photo_rows, strict=True
        ):
            authors += self._byline_rows(article, draft)
            tags += [Tags(article=article, tag=t) for t in self._tag_rows(draft)]
            links += [
                Photos(article=article, photo=p, order=i) for i, p in enumerate(photos)
            ]
        ArticleAuthor.objects.bulk_create(authors)
        Tags.objects.bulk_create(tags)
        Photos.objects.bulk_create(links)
        self._relate_many(
            [(a, d.related) for (d, _), a in zip(batch, articles, strict=True)]
        )
        return articles

    def _relate_many(self, pairs: list[tuple[Article, list[str]]]) -> None:
        """Link "Xem thêm" titles of many articles; keep the missing ones."""
        Related = Article.related.through
        arrived = {a.search_title: a.pk for a, _ in pairs}
        known = self.index.by_title
        links, pending = [], []
        for article, wanted_titles in pairs:
            wanted = {f: t for t in wanted_titles if (f := text.fold(t))}
            wanted.pop(article.search_title, None)
            found = {
                f: arrived.get(f) or known[f]
                for f in wanted
                if f in arrived or f in known
            }
            links += [
                Related(from_article_id=article.pk, to_article_id=pk)
                for pk in dict.fromkeys(found.values())
            ]
            missing = [t for f, t in wanted.items() if f not in found]
            pending += [
                PendingRelation(article=article, title=t, title_folded=f)
                for f, t in wanted.items()
                if f not in found
            ]
            if missing:
                self._pending_titles[article.pk] = missing
        Related.objects.bulk_create(links)
        PendingRelation.objects.bulk_create(pending)
        self._resolve_waiting(arrived, skip={a.pk for a, _ in pairs})

    def _resolve_waiting(self, arrived: dict[str, int], skip: set[int]) -> None:
        """Link earlier articles whose "Xem thêm" named one that just arrived."""
        folded = [t for t in arrived if t in self.index.pending_titles]
        if not folded:
            return
        Related = Article.related.through
        waiting = list(
            PendingRelation.objects.filter(title_folded__in=folded).exclude(
                article_id__in=skip
            )
        )
        if waiting:
            Related.objects.bulk_create(
                [
                    Related(
                        from_article_id=p.article_id,
                        to_article_id=arrived[p.title_folded],
                    )
                    for p in waiting
                ],
                ignore_conflicts=True,
            )
            PendingRelation.objects.filter(pk__in=[p.pk for p in waiting]).delete()

    def _validate(self, draft: ArticleDraft, photo_files: list[Path]) -> None:
        if not draft.title:
            raise DraftError("thiếu tiêu đề")
        limits = [
            ("tiêu đề", [draft.title], 500),
            ("chuyên mục", [draft.category, draft.category_parent or ""], 200),
            ("địa danh", [draft.location], 200),
            ("nguồn tin", [draft.agency], 200),
            ("external_id", [draft.external_id or ""], 200),
            ("source_url", [draft.source_url], 1000),
            ("tên tác giả", draft.authors, 200),
            ("chủ đề", draft.tags, 100),
            ("nguồn ảnh", [p.credit for p in draft.photos], 300),
        ]
        for label, values, limit in limits:
            for value in values:
                if len(value) > limit:
                    raise DraftError(
                        f"{label} dài {len(value)} ký tự, tối đa {limit}: {value[:40]}…"
                    )
        if not draft.category:
            raise DraftError(
                "thiếu chuyên mục: thêm dòng chuyên mục hoặc dùng --category"
            )
        for path in photo_files:
            try:
                with path.open("rb") as fh:
                    images.inspect_image(fh)
            except images.ImageRejected as exc:
                raise DraftError(f"ảnh {path.name}: {exc}") from None
            except OSError as exc:
                raise DraftError(
                    f"ảnh {path.name}: không đọc được ({exc.strerror})"
                ) from None
        for photo in draft.photos:
            if photo.image and not default_storage.exists(photo.image):
                raise DraftError(
                    f"không có tệp ảnh {photo.image!r} trong thư mục media"
                )

    def _match(self, draft: ArticleDraft) -> Article | None:
        """Find the article a draft is: by external_id, else source_url, else hash.

        Without ``--update``, or when the text has not changed, the match is
        decided from the index alone; the row is read only to be rewritten.
        """
        if draft.external_id:
            pk = self.index.by_external_id.get(draft.external_id)
        elif draft.source_url:
            pk = self.index.by_source_url.get(draft.source_url)
        else:
            pk = self.index.by_hash.get(draft.content_hash)
        if pk is None:
            return None
        if not self.update or self.index.hash_of.get(pk) == draft.content_hash:
            return _Unchanged(pk, draft.content_hash)
        return Article.objects.filter(pk=pk).first()

    def _write(
        self,
        draft: ArticleDraft,
        existing: Article | None,
        photo_files: list[Path],
        stored: list[str],
    ) -> tuple[str, Article]:
        """Write or rewrite one article; the caller holds the transaction."""
        category = self._category(draft.category, draft.category_parent)
        article = existing or Article()
        old_photos: list[Photo] = []
        if existing is not None:
            # Reuse the story's photo rows by position: an image an editor
            # attached since the last import is kept.
            ids = body.photo_ids(existing.body)
            by_id = Photo.objects.in_bulk(ids)
            old_photos = [by_id[i] for i in ids if i in by_id]
        photos = self._photos(draft, old_photos, photo_files, stored)

        moved = existing is not None and existing.category_id != category.pk
        if existing is None or moved or (draft.slug and draft.slug != existing.slug):
            # Unique in the section, from the index: no query per candidate.
            base = draft.slug or text.slugify_vi(draft.title, SLUG_MAX) or "bai-viet"
            article.slug = text.unique_slug(
                base, self.index.slugs(category.pk), SLUG_MAX
            )
        article.category = category
        self._fill(article, draft, photos)
        if existing is not None:
            article.version += 1
        article.save()

        if existing is not None:
            ArticleAuthor.objects.filter(article=article).delete()
            article.tags.clear()
            article.photos.clear()
            article.related.clear()
            article.pending_relations.all().delete()
        ArticleAuthor.objects.bulk_create(self._byline_rows(article, draft))
        Tags = Article.tags.through
        Tags.objects.bulk_create(
            Tags(article=article, tag=t) for t in self._tag_rows(draft)
        )
        Photos = Article.photos.through
        Photos.objects.bulk_create(
            Photos(article=article, photo=p, order=i) for i, p in enumerate(photos)
        )
        self._relate_many([(article, draft.related)])
        return ("updated" if existing else "created"), article

    def _fill(self, article: Article, draft: ArticleDraft, photos: list[Photo]) -> None:
        """Copy a draft's fields onto an article (photos already have ids)."""
        article.title = draft.title
        article.lead = draft.lead
        article.location = draft.location
        article.agency = draft.agency
        article.body = body.from_blocks(draft.blocks, [p.pk for p in photos])
        article.featured_photo = photos[0] if photos else None
        article.status = self.status or draft.status or Article.Status.DRAFT
        article.published_at = self.published_at or draft.published_at
        if article.status == Article.Status.PUBLISHED and article.published_at is None:
            article.published_at = timezone.now()
        article.external_id = draft.external_id
        article.source_url = draft.source_url
        article.content_hash = draft.content_hash

    def _byline_rows(
        self, article: Article, draft: ArticleDraft
    ) -> list[ArticleAuthor]:
        return [
            ArticleAuthor(article=article, author=self._author(name), order=i)
            for i, name in enumerate(dict.fromkeys(draft.authors))
        ]

    def _tag_rows(self, draft: ArticleDraft) -> list[Tag]:
        return list({self._tag(n).pk: self._tag(n) for n in draft.tags}.values())

    def _photos(
        self,
        draft: ArticleDraft,
        old: list[Photo],
        files: list[Path],
        stored: list[str],
        save: bool = True,
    ) -> list[Photo]:
        """Return a Photo row for each photo block; reuse rows on update.

        With ``save=False`` new rows are returned unsaved, for one bulk insert.
        """
        result: list[Photo] = []
        new: list[Photo] = []
        for index, slot in enumerate(draft.photos):
            photo = old[index] if index < len(old) else Photo()
            photo.caption = text.clean_line(slot.caption)
            photo.credit = text.clean_line(slot.credit)
            if slot.image and slot.image != photo.image.name:
                photo.image = slot.image  # the descriptor reads width and height
                stored.extend(adopt_stored_image(photo))
            if index < len(files):
                path = files[index]
                with path.open("rb") as fh:
                    try:
                        stored.extend(store_photo_file(photo, fh, path.name))
                    except images.ImageRejected as exc:
                        raise DraftError(f"ảnh {path.name}: {exc}") from None
            if photo.pk is None:
                new.append(photo)
            else:
                photo.save()
            result.append(photo)
        if new and save:
            Photo.objects.bulk_create(new)  # captions were cleaned above
        return result

    # --- names --------------------------------------------------------------

    def _category(self, name: str, parent_name: str | None) -> Category:
        key = _key(name)
        if key in self.categories:
            return self.categories[key]
        parent = self._category(parent_name, None) if parent_name else None
        category = Category.objects.create(name=name, parent=parent)
        self.categories[key] = category
        self.summary.new_categories.append(category.name)
        return category

    def _author(self, name: str) -> Author:
        key = _key(name)
        if key not in self.authors:
            self.authors[key] = Author.objects.create(name=name)
            self.summary.new_authors.append(self.authors[key].name)
        return self.authors[key]

    def _tag(self, name: str) -> Tag:
        key = _key(name)
        if key not in self.tags:
            self.tags[key] = Tag.objects.create(name=name)
        return self.tags[key]

    def _would_create_names(self, draft: ArticleDraft) -> None:
        for name in filter(None, [draft.category_parent, draft.category]):
            if _key(name) not in self.categories:
                self.categories[_key(name)] = Category(name=text.clean_line(name))
                self.summary.new_categories.append(text.clean_line(name))
        for name in draft.authors:
            if _key(name) not in self.authors:
                self.authors[_key(name)] = Author(name=text.clean_line(name))
                self.summary.new_authors.append(text.clean_line(name))

    # --- failure ------------------------------------------------------------

    def _roll_back(self, stored: list[str], names: tuple[int, int]) -> None:
        """Forget what a rolled-back article wrote: image files, new names."""
        for name in stored:
            default_storage.delete(name)
        del self.summary.new_categories[names[0] :]
        del self.summary.new_authors[names[1] :]
        self._index = None  # rebuilt from the database on next use
        if not self.dry_run:
            # Cached rows may have been created inside the rolled-back transaction.
            self._load_names()

    def _load_names(self) -> None:
        self.categories = {_key(c.name): c for c in Category.objects.all()}
        self.authors = {_key(a.name): a for a in Author.objects.all()}
        self.tags = {_key(t.name): t for t in Tag.objects.all()}
