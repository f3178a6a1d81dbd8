"""Write paths shared by the admin, the commands and the tests."""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from . import body, images, renditions, text
from .models import Article, ArticlePhoto, Photo


def sync_photos(article: Article) -> None:
    """Make the article's photo list the photos of its body and its featured photo."""
    wanted = list(dict.fromkeys(body.photo_ids(article.body)))
    if article.featured_photo_id and article.featured_photo_id not in wanted:
        wanted.append(article.featured_photo_id)
    existing = Photo.objects.filter(pk__in=wanted).values_list("pk", flat=True)
    wanted = [i for i in wanted if i in set(existing)]
    ArticlePhoto.objects.filter(article=article).exclude(photo_id__in=wanted).delete()
    have = dict(
        ArticlePhoto.objects.filter(article=article).values_list("photo_id", "pk")
    )
    ArticlePhoto.objects.bulk_create(
        ArticlePhoto(article=article, photo_id=pid, order=i)
        for i, pid in enumerate(wanted)
        if pid not in have
    )
    for i, pid in enumerate(wanted):
        if pid in have:
            ArticlePhoto.objects.filter(pk=have[pid]).exclude(order=i).update(order=i)


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
