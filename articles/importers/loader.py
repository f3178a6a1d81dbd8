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

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import body, images, text
from ..models import (
    Article,
    ArticleAuthor,
    Author,
    Category,
    PendingRelation,
    Photo,
    Tag,
)
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


def _key(name: str) -> str:
    """Names match after NFC and case folding, marks kept ("Ban" is not "Bàn")."""
    return text.clean_line(name).casefold()


class Loader:
    """Write drafts to the database, one transaction per article."""

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
        self.categories = {_key(c.name): c for c in Category.objects.all()}
        self.authors = {_key(a.name): a for a in Author.objects.all()}
        self.tags = {_key(t.name): t for t in Tag.objects.all()}
        self._pending_titles: dict[int, list[str]] = {}

    # --- public -------------------------------------------------------------

    def load(self, draft: ArticleDraft, photo_files: list[Path] | None = None) -> str:
        """Write one draft; return "created", "updated", "skipped" or "failed"."""
        stored: list[str] = []
        names = (len(self.summary.new_categories), len(self.summary.new_authors))
        try:
            self._validate(draft, photo_files or [])
            existing = self._match(draft)
            if existing is not None and (
                not self.update or existing.content_hash == draft.content_hash
            ):
                self.summary.skipped += 1
                return "skipped"
            if self.dry_run:
                self._would_create_names(draft)
                outcome = "updated" if existing else "created"
            else:
                with transaction.atomic():
                    outcome = self._write(draft, existing, photo_files or [], stored)
        except (DraftError, IntegrityError) as exc:
            self._roll_back(stored, names)
            reason = (
                exc.reason
                if isinstance(exc, DraftError)
                else f"xung đột dữ liệu ({exc})"
            )
            line = exc.line if isinstance(exc, DraftError) else None
            self.summary.fail(draft.source, line or draft.line, reason)
            return "failed"
        except BaseException:
            self._roll_back(stored, names)
            raise
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
        return outcome

    def finish(self) -> Summary:
        """Close the run: list the related titles that are still unresolved."""
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

    # --- steps --------------------------------------------------------------

    def _validate(self, draft: ArticleDraft, photo_files: list[Path]) -> None:
        if not draft.title:
            raise DraftError("thiếu tiêu đề")
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
        articles = Article.objects.all()
        if draft.external_id:
            return articles.filter(external_id=draft.external_id).first()
        if draft.source_url:
            return articles.filter(source_url=draft.source_url).order_by("pk").first()
        return articles.filter(content_hash=draft.content_hash).order_by("pk").first()

    def _write(
        self,
        draft: ArticleDraft,
        existing: Article | None,
        photo_files: list[Path],
        stored: list[str],
    ) -> str:
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

        article.title = draft.title
        if existing is None or (draft.slug and draft.slug != existing.slug):
            article.slug = draft.slug
        if existing is not None and existing.category_id != category.pk:
            article.slug = draft.slug
        article.category = category
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
        if existing is not None:
            article.version += 1
        article.save()

        if existing is not None:
            ArticleAuthor.objects.filter(article=article).delete()
            article.tags.clear()
            article.photos.clear()
            article.related.clear()
            article.pending_relations.all().delete()
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=article, author=self._author(name), order=i)
            for i, name in enumerate(dict.fromkeys(draft.authors))
        )
        Tags = Article.tags.through
        Tags.objects.bulk_create(
            Tags(article=article, tag=tag)
            for tag in {
                self._tag(name).pk: self._tag(name) for name in draft.tags
            }.values()
        )
        Photos = Article.photos.through
        Photos.objects.bulk_create(Photos(article=article, photo=p) for p in photos)
        self._relate(article, draft.related)
        return "updated" if existing else "created"

    def _photos(
        self,
        draft: ArticleDraft,
        old: list[Photo],
        files: list[Path],
        stored: list[str],
    ) -> list[Photo]:
        """Return a Photo row for each photo block; reuse rows on update."""
        result: list[Photo] = []
        new: list[Photo] = []
        for index, slot in enumerate(draft.photos):
            photo = old[index] if index < len(old) else Photo()
            photo.caption = text.clean_line(slot.caption)
            photo.credit = text.clean_line(slot.credit)
            if slot.image:
                photo.image = slot.image  # the descriptor reads width and height
            if index < len(files):
                path = files[index]
                with path.open("rb") as fh:
                    photo.image.save(path.name, File(fh), save=False)
                stored.append(photo.image.name)
            if photo.pk is None:
                new.append(photo)
            else:
                photo.save()
            result.append(photo)
        if new:
            Photo.objects.bulk_create(new)  # captions were cleaned above
        return result

    def _relate(self, article: Article, titles: list[str]) -> None:
        """Link "Xem thêm" titles; keep the missing ones for later imports."""
        wanted = {text.fold(t): t for t in titles if text.fold(t)}
        wanted.pop(article.search_title, None)
        if wanted:
            found: dict[str, int] = {}
            for pk, folded in (
                Article.objects.filter(search_title__in=list(wanted))
                .exclude(pk=article.pk)
                .order_by("-published_at", "-pk")
                .values_list("pk", "search_title")
            ):
                found.setdefault(folded, pk)
            Related = Article.related.through
            Related.objects.bulk_create(
                Related(from_article_id=article.pk, to_article_id=pk)
                for pk in found.values()
            )
            missing = [t for f, t in wanted.items() if f not in found]
            PendingRelation.objects.bulk_create(
                PendingRelation(article=article, title=t, title_folded=text.fold(t))
                for t in missing
            )
            if missing:
                self._pending_titles[article.pk] = missing
        # Earlier articles that were waiting for this one.
        waiting = list(
            PendingRelation.objects.filter(title_folded=article.search_title).exclude(
                article=article
            )
        )
        if waiting:
            Related = Article.related.through
            Related.objects.bulk_create(
                [
                    Related(from_article_id=p.article_id, to_article_id=article.pk)
                    for p in waiting
                ],
                ignore_conflicts=True,
            )
            PendingRelation.objects.filter(pk__in=[p.pk for p in waiting]).delete()

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
        if not self.dry_run:
            # Cached rows may have been created inside the rolled-back transaction.
            self.categories = {_key(c.name): c for c in Category.objects.all()}
            self.authors = {_key(a.name): a for a in Author.objects.all()}
            self.tags = {_key(t.name): t for t in Tag.objects.all()}
