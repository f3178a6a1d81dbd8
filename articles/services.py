"""Write paths shared by the admin, the commands and the tests."""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from . import body, images, renditions, text
from .models import Article, ArticlePhoto, Photo


def sync_photos(article: Article) -> None:
    """Make the article's photo list the photos of its body and its featured photo.

    A fixed number of queries whatever the number of photos.
    """
    wanted = list(dict.fromkeys(body.photo_ids(article.body)))
    if article.featured_photo_id and article.featured_photo_id not in wanted:
        wanted.append(article.featured_photo_id)
    existing = set(Photo.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    order = {pid: i for i, pid in enumerate(p for p in wanted if p in existing)}
    ArticlePhoto.objects.filter(article=article).exclude(photo_id__in=order).delete()
    links = list(ArticlePhoto.objects.filter(article=article))
    moved = [link for link in links if link.order != order[link.photo_id]]
    for link in moved:
        link.order = order[link.photo_id]
    ArticlePhoto.objects.bulk_update(moved, ["order"])
    have = {link.photo_id for link in links}
    ArticlePhoto.objects.bulk_create(
        ArticlePhoto(article=article, photo_id=pid, order=i)
        for pid, i in order.items()
        if pid not in have
    )


def fill_photo_blanks(found: list[dict]) -> None:
    """Fill photos' empty caption, credit and alt text from what an editor typed.

    ``found`` is what :func:`body.from_editor` read under each image; a value
    already in the library is never overwritten.
    """
    photos = Photo.objects.in_bulk([f["id"] for f in found])
    changed = {}
    for item in found:
        photo = photos.get(item["id"])
        if photo is None:
            continue
        for field, key in (
            ("caption", "caption"),
            ("credit", "credit"),
            ("alt_text", "alt"),
        ):
            if item[key] and not getattr(photo, field):
                setattr(photo, field, item[key])
                changed[photo.pk] = photo
    Photo.objects.bulk_update(changed.values(), ["caption", "credit", "alt_text"])


def refresh_statistics() -> None:
    """Let the database planner know the tables' sizes after a bulk write.

    SQLite has no autovacuum to gather statistics; without them its planner
    may walk a large index where a small one would do (measured: a related-
    stories query went from 9 ms to 0.2 ms). PostgreSQL analyses by itself.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def store_photo_file(photo: Photo, file, filename: str) -> list[str]:
    """Store an image as a photo's file: the one way in for every image.

    The image is checked and cleaned (:func:`images.intake`: upright, no
    EXIF/GPS), saved under a name from ``filename`` with its real extension
    (a PNG named .jpg is stored as .png), its renditions are made, and the
    photo's empty caption, credit and photographer are filled from IPTC/XMP.
    The photo row itself is not saved. Raises :class:`images.ImageRejected`.
    Returns the storage names written, for a caller that must undo them.
    The files of a replaced image are removed once the transaction commits.
    """
    result = images.intake(file, getattr(file, "size", None))
    old = (photo.image_hash, photo.width, photo.image.name if photo.image else "")
    stem = text.slugify_vi(Path(filename).stem, 80) or "anh"
    photo.image.save(
        f"{stem}.{result.info.extension}", ContentFile(result.content), save=False
    )
    photo.image_hash = result.content_hash
    photo.width, photo.height = result.info.width, result.info.height
    if result.caption and not photo.caption:
        photo.caption = result.caption
    if result.credit and not photo.credit:
        photo.credit = result.credit
    if result.byline and not photo.photographer:
        photo.photographer = result.byline
    written = [photo.image.name, *renditions.generate(photo)]
    if old[0] and old[0] != photo.image_hash:
        transaction.on_commit(lambda: _remove_replaced(*old))
    return written


def adopt_stored_image(photo: Photo) -> list[str]:
    """Give a photo whose file is already in storage its hash and renditions."""
    import hashlib

    with photo.image.open("rb") as fh:
        photo.image_hash = hashlib.sha256(fh.read()).hexdigest()[:20]
    return renditions.generate(photo)


def _remove_replaced(content_hash: str, width: int | None, name: str) -> None:
    renditions.delete_for(content_hash, width)
    if name and default_storage.exists(name):
        default_storage.delete(name)
