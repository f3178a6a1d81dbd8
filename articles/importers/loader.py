"""The one loader: article drafts of any format into the newsroom.

Every importer shares its matching (external_id, else source_url, else a hash
of the text), its checks, its errors and its summary. It resolves what a
draft names (sections, authors, tags, photos, slugs) and writes through
:func:`articles.services.save_imported`: one function for one article and for
a batch. Each article is all or nothing: a failing article leaves nothing
behind, not even image files, and the others of the run still import.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction

from newsroom import edge, pagecache

from .. import body, bulk, text
from ..models import (
    SLUG_MAX,
    Article,
    ArticlePhoto,
    PendingRelation,
    Photo,
    slug_base,
)
from ..photos import images, renditions
from ..photos.intake import adopt_stored_image, show_renditions, store_photo_file
from ..services import Imported, save_imported
from . import relations
from .base import ArticleDraft, DraftError
from .checks import check
from .index import PRELOAD_FROM, Index
from .names import Names

PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif")

logger = logging.getLogger(__name__)


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
    # Imported, with something left out (an image a feed named but did not give).
    warnings: list[str] = field(default_factory=list)
    # Images whose renditions the run made (after its rows).
    renditions: int = 0

    @property
    def failed(self) -> int:
        return len(self.failures)

    def fail(self, source: str, line: int | None, reason: str) -> None:
        where = (
            f"{source}:{line}" if line and not source.endswith(f":{line}") else source
        )
        self.failures.append(f"{where}: {reason}")

    def warn(self, source: str, reason: str) -> None:
        self.warnings.append(f"{source}: {reason}")

    def count(self, outcome: str, n: int = 1) -> None:
        setattr(self, outcome, getattr(self, outcome) + n)


@dataclass
class _Match:
    """An article a draft matched: its id and the hash of what was imported."""

    pk: int
    content_hash: str


def _reason(exc: Exception) -> tuple[str, int | None]:
    """The one-line reason a failed article gets, and its line when known."""
    if isinstance(exc, DraftError):
        return exc.reason, exc.line
    if isinstance(exc, OSError):
        return f"không ghi được tệp ({exc})", None
    if isinstance(exc, DatabaseError):
        return f"xung đột dữ liệu ({exc})", None
    # Not foreseen: say what it was in one line, keep the traceback in the log.
    logger.exception("import failed on an unforeseen error")
    return f"lỗi không lường trước ({type(exc).__name__}: {exc})", None


def _slug_base(draft: ArticleDraft) -> str:
    """The slug a draft's story gets before any "-2" suffix."""
    if draft.ready is not None:
        return draft.ready.slug_base
    return slug_base(text.clean_line(draft.title), draft.slug)


def _identity(draft: ArticleDraft) -> tuple[str, str]:
    """Return what a draft is matched by: its external_id, URL or text hash."""
    if draft.external_id:
        return ("external_id", draft.external_id)
    if draft.source_url:
        return ("source_url", draft.source_url)
    return ("hash", draft.content_hash)


_Queued = tuple[ArticleDraft, list[Path], _Match | None]


class Loader:
    """Write drafts to the database; each article all or nothing.

    New articles are written in batches of :attr:`batch_size`: one
    transaction and a handful of bulk inserts for the whole batch. When a
    batch fails, it is rolled back and its articles are written again one
    transaction each, so that one bad article costs only itself. Updates are
    written one by one. Call :meth:`finish` after the last draft.
    """

    batch_size = 200

    def __init__(
        self,
        *,
        status: str | None = None,
        published_at: dt.datetime | None = None,
        update: bool = False,
        dry_run: bool = False,
        expected: int = 0,
        renditions: bool = True,
    ) -> None:
        self.status = status
        self.make_renditions = renditions
        self.published_at = published_at
        self.update = update
        self.dry_run = dry_run
        self.preload = expected > PRELOAD_FROM
        self.summary = Summary()
        self.names = Names(dry_run=dry_run)
        self._index: Index | None = None
        self._windowed = False
        self._pending_titles: dict[int, list[str]] = {}
        self._queue: list[_Queued] = []
        self._queued_keys: set[tuple[str, str]] = set()
        # Images already read this run: name → (hash, bytes, width, height).
        self._adopted: dict[str, tuple[str, int, int | None, int | None]] = {}
        # Photos written without renditions: of the transaction under way,
        # and committed ones by image (hash → name, width, photo ids).
        self._unmade: list[tuple[Photo, str]] = []
        # hash → (stored name, width, height, the photos waiting for it)
        self._to_make: dict[str, tuple[str, int | None, int | None, list[int]]] = {}

    @property
    def index(self) -> Index:
        if self._index is None:
            self._index = Index(preload=self.preload, windowed=self._windowed)
        return self._index

    def window(self, drafts: list[ArticleDraft]) -> None:
        """Before the next drafts of a long stream: write what is queued, then
        know of the stored stories only those these drafts may be (memory
        stays flat over a million of them; see :meth:`Index.window`)."""
        self.flush()
        self._windowed = True
        self.index.window(
            [_identity(d) for d in drafts],
            {_slug_base(d) for d in drafts},
        )

    # --- public -------------------------------------------------------------

    def load(self, draft: ArticleDraft, photo_files: list[Path] | None = None) -> str:
        """Take one draft: "created" (or queued to be), "updated", "skipped", "failed"."""
        files = photo_files or []
        try:
            check(draft, files, self._adopted)
            if _identity(draft) in self._queued_keys:
                self.flush()  # the same article twice in a batch: write the first
            match = self._match(draft)
        except DraftError as exc:
            self.summary.fail(draft.source, exc.line or draft.line, exc.reason)
            return "failed"
        if self._skips(match, draft):
            self.summary.skipped += 1
            return "skipped"
        outcome = "updated" if match else "created"
        if self.dry_run:
            return self._dry_run(draft, outcome)
        if match is not None:
            return self._load_one(draft, files, match)
        self._queue.append((draft, files, None))
        self._queued_keys.add(_identity(draft))
        if len(self._queue) >= self.batch_size:
            self.flush()
        return "created"

    def would_skip(self, draft: ArticleDraft) -> bool:
        """Whether :meth:`load` would skip ``draft`` (known, nothing to update).

        A feed asks first, so it fetches no image for an item it has.
        """
        return _identity(draft) in self._queued_keys or self._skips(
            self._match(draft), draft
        )

    def flush(self) -> None:
        """Write the queued new articles."""
        batch, self._queue, self._queued_keys = self._queue, [], set()
        if not batch:
            return
        stored: list[str] = []
        mark = self.names.mark()
        self._unmade = []
        try:
            with transaction.atomic():
                _commit_without_waiting()
                articles = self._write(batch, stored)
        except Exception:
            # Find the culprit the slow way: one transaction per article.
            self._roll_back(stored, mark)
            for draft, files, _ in batch:
                self._load_one(draft, files, self._match(draft))
            return
        except BaseException:
            self._roll_back(stored, mark)
            raise
        self._committed(articles)
        self.summary.created += len(articles)

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
        self.summary.new_categories = list(self.names.new_sections)
        self.summary.new_authors = list(self.names.new_authors)
        if self.make_renditions == "background":
            self.enqueue_waiting_renditions()
        elif self.make_renditions:
            self.make_waiting_renditions()
        return self.summary

    def enqueue_waiting_renditions(self) -> None:
        """Leave each image's renditions to a background job, enqueued after
        the commit (``import_articles --renditions-background``)."""
        from newsroom import jobs

        from ..tasks import make_renditions

        waiting, self._to_make = self._to_make, {}
        for content_hash, (name, width, height, ids) in waiting.items():
            jobs.after_commit(make_renditions, name, content_hash, width, height, ids)

    def make_waiting_renditions(self) -> None:
        """Make the renditions of the images this run stored, then show them.

        After the rows, not with them: encoding an image's WebP and JPEG
        sizes costs a hundred times what writing its story does. Each image
        is made once however many photos show it, spread over the machine's
        cores. Until its renditions exist a photo has no hash, and pages
        show its stored file instead; once they do, the hash is written and
        the cached pages are dropped.
        """
        waiting, self._to_make = self._to_make, {}
        # Imported photos have no focal point yet: their crops keep the centre.
        jobs = [
            (name, h, w, height, None) for h, (name, w, height, _) in waiting.items()
        ]
        shown, shown_ids = 0, []
        for content_hash, _, error in renditions.make_many(jobs):
            name, _, _, ids = waiting[content_hash]
            if error:
                self.summary.warn(name, f"không tạo được ảnh phái sinh ({error})")
                continue
            show_renditions(content_hash, ids)
            shown += 1
            shown_ids += ids
        self.summary.renditions += shown
        if shown:
            pagecache.content_changed()  # updates send no signals
            with_them = ArticlePhoto.objects.filter(photo_id__in=shown_ids)
            edge.purge_after_commit(
                (), set(with_them.values_list("article_id", flat=True))
            )

    # --- matching -------------------------------------------------------------

    def _match(self, draft: ArticleDraft) -> _Match | None:
        """Find the article a draft is: by external_id, else source_url, else hash."""
        pk = self.index.find(*_identity(draft))
        if pk is None:
            return None
        return _Match(pk, self.index.hash_of.get(pk, ""))

    def _skips(self, match: _Match | None, draft: ArticleDraft) -> bool:
        """A match is skipped unless ``--update`` is given and its text changed."""
        return match is not None and (
            not self.update or match.content_hash == draft.content_hash
        )

    def _dry_run(self, draft: ArticleDraft, outcome: str) -> str:
        try:
            self.names.section(draft.category, draft.category_parent)
        except DraftError as exc:
            self.summary.fail(draft.source, exc.line or draft.line, exc.reason)
            return "failed"
        for name in draft.authors:
            self.names.author(name)
        self.summary.count(outcome)
        return outcome

    # --- writing --------------------------------------------------------------

    def _load_one(self, draft: ArticleDraft, files: list[Path], match) -> str:
        """Write one article in its own transaction."""
        if self._skips(match, draft):
            self.summary.skipped += 1
            return "skipped"
        stored: list[str] = []
        mark = self.names.mark()
        self._unmade = []
        try:
            with transaction.atomic():
                (article,) = self._write([(draft, files, match)], stored)
        except Exception as exc:  # one bad article never stops the others
            self._roll_back(stored, mark)
            reason, line = _reason(exc)
            self.summary.fail(draft.source, line or draft.line, reason)
            return "failed"
        except BaseException:
            self._roll_back(stored, mark)
            raise
        self._committed([article])
        outcome = "updated" if match else "created"
        self.summary.count(outcome)
        return outcome

    def _write(self, batch: list[_Queued], stored: list[str]) -> list[Article]:
        """Write new and matched articles; the caller holds the transaction."""
        existing = Article.objects.in_bulk([m.pk for _, _, m in batch if m])
        photos_of, new_photos = [], []
        for draft, files, match in batch:
            old = existing[match.pk] if match else None
            photos, new = self._photos(draft, self._old_photos(old), files, stored)
            photos_of.append(photos)
            new_photos += new
        for photo in new_photos:
            photo.prepare()  # bulk inserts skip save()
        bulk.insert(Photo, new_photos)

        items = []
        for (draft, _, match), photos in zip(batch, photos_of, strict=True):
            category = self.names.section(draft.category, draft.category_parent)
            article = existing[match.pk] if match else bulk.new(Article)
            self._fill(article, draft, category, photos)
            items.append(
                Imported(
                    article=article,
                    status=self.status or draft.status,
                    published_at=self.published_at or draft.published_at,
                    revised_at=draft.revised_at,
                    authors=[self.names.author(n) for n in draft.authors],
                    tags=[self.names.tag(n) for n in draft.tags],
                    photos=photos,
                )
            )
        articles = save_imported(items)
        missing = relations.relate(
            self.index,
            [(a, d.related) for a, (d, _, _) in zip(articles, batch, strict=True)],
            replaced={m.pk for _, _, m in batch if m},
        )
        self._pending_titles.update(missing)
        return articles

    def _fill(self, article: Article, draft: ArticleDraft, category, photos) -> None:
        """Copy a draft's fields onto an article (photos already have ids)."""
        moved = article.pk is not None and article.category_id != category.pk
        renamed = bool(draft.slug) and draft.slug != article.slug
        ready = draft.ready
        article.category = category
        article.title = ready.title if ready else text.clean_line(draft.title)
        if article.pk is None or moved or renamed:
            # Unique in the section, from the run's index: no query per candidate.
            base = _slug_base(draft)
            taken = self.index.slugs(category.pk, base)
            article.slug = text.unique_slug(base, taken, SLUG_MAX)
            taken.add(article.slug)
        article.agency = draft.agency
        ids = [p.pk for p in photos]
        if ready:
            article.lead, article.location = ready.lead, ready.location
            article.body = ready.body_with(ids)
            article._ready = (article.body, ready)  # for Article.prepare()
        else:
            article.lead, article.location = draft.lead, draft.location
            article.body = body.from_blocks(draft.blocks, ids)
        article.external_id = draft.external_id
        article.source_url = draft.source_url
        article.content_hash = draft.content_hash
        article.embargo_until = draft.embargo_until

    @staticmethod
    def _old_photos(article: Article | None) -> list[Photo]:
        """A matched story's photo rows in body order (reused by position)."""
        if article is None:
            return []
        ids = body.photo_ids(article.body)
        by_id = Photo.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def _photos(
        self,
        draft: ArticleDraft,
        old: list[Photo],
        files: list[Path],
        stored: list[str],
    ) -> tuple[list[Photo], list[Photo]]:
        """Return a Photo row for each photo block, and those still to insert.

        Rows of a matched story are reused by position, so an image an editor
        attached since the last import is kept.
        """
        result: list[Photo] = []
        new: list[Photo] = []
        for index, slot in enumerate(draft.photos):
            photo = old[index] if index < len(old) else bulk.new(Photo)
            photo.caption = text.clean_line(slot.caption)
            photo.credit = text.clean_line(slot.credit)
            if slot.url:
                photo.source_url = slot.url[:1000]
            stored_now = False  # an image given to the photo by this draft
            if slot.image and slot.image != photo.image.name:
                self._adopt(photo, slot.image, draft.source)
                stored_now = bool(photo.image)
            path = files[index] if index < len(files) else slot.source_file
            if path is not None:
                stored_now = True
                with path.open("rb") as fh:
                    try:
                        stored.extend(
                            store_photo_file(
                                photo, fh, path.name, make_renditions=False
                            )
                        )
                    except images.ImageRejected as exc:
                        raise DraftError(f"ảnh {path.name}: {exc}") from None
            if stored_now and photo.image_hash:
                # No renditions yet: the hash waits for them (see finish()).
                self._unmade.append((photo, photo.image_hash))
                photo.image_hash = ""
            if photo.pk is None:
                new.append(photo)
            else:
                photo.save()
            result.append(photo)
        return result, new

    def _adopt(self, photo: Photo, image_name: str, source: str) -> None:
        """Give a photo an image already in storage (read once per run).

        A file that is not an image the photo cannot show is left out with a
        warning: the story and the caption are imported, the photo waits for
        an editor to attach its image.
        """
        known = self._adopted.get(image_name)
        if known is None:
            photo.image = image_name  # the descriptor reads width and height
            adopt_stored_image(photo, make_renditions=False)
            known = self._adopted[image_name] = (
                photo.image_hash,
                photo.file_size,
                photo.width,
                photo.height,
            )
        if known[2] is None:  # Pillow found no image in it
            photo.image, photo.image_hash, photo.file_size = "", "", None
            photo.width = photo.height = None
            self.summary.warn(
                source, f"ảnh {image_name} không đọc được: bài vẫn nhập, ảnh để trống"
            )
            return
        photo.image_hash, photo.file_size, photo.width, photo.height = known
        # Past the descriptor: it opens the file to read width and height again
        # on every assignment after __init__; a name in __dict__ is read back as
        # the field's file object all the same.
        photo.__dict__["image"] = image_name

    # --- after the transaction ----------------------------------------------------

    def _committed(self, articles: list[Article]) -> None:
        for article in articles:
            self.index.add(article, self._pending_titles.get(article.pk, []))
        if self.make_renditions:  # else they wait for regenerate_renditions
            for photo, content_hash in self._unmade:
                waiting = (photo.image.name, photo.width, photo.height, [])
                self._to_make.setdefault(content_hash, waiting)[3].append(photo.pk)
        self._unmade = []

    def _roll_back(self, stored: list[str], mark: tuple[int, int]) -> None:
        """Forget what a rolled-back article wrote: image files, new names."""
        for name in stored:
            default_storage.delete(name)
        self.names.forget_since(mark)
        self._index = None  # rebuilt from the database on next use
        # Rows created inside the rolled-back transaction are gone.
        self.names.reload()


def _commit_without_waiting() -> None:
    """On PostgreSQL, let this transaction's commit return before its WAL
    reaches the disk (``synchronous_commit`` for this transaction only).

    A crash of the server may then lose the last batches an import said
    it wrote, never half of one, and the database stays whole; running the
    import again writes exactly what is missing (known stories are
    skipped). Each batch's commit stops waiting on the disk.

    Long text (a story's body) is compressed with LZ4 where the server has
    it, a fifth of the server's work on a story less than its default
    (pglz). The column's values read back the same; a server without LZ4
    keeps its default.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if _has_lz4(cursor):
                cursor.execute(
                    "SET LOCAL synchronous_commit TO OFF; "
                    "SET LOCAL default_toast_compression TO lz4"
                )
            else:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")


_LZ4: dict[str, bool] = {}


def _has_lz4(cursor) -> bool:
    """Whether the server was built with LZ4 (asked once per database)."""
    name = str(connection.settings_dict["NAME"])
    if name not in _LZ4:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
            "WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
        _LZ4[name] = bool(row and row[0])
    return _LZ4[name]
