"""The one way in for every image: checked, cleaned, stored, its renditions made.

The admin's photo form, the editor's upload, the article's photo rows and
``import_articles --photos`` all call :func:`store_photo_file`.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from ..models import Photo
from . import images, renditions


def store_photo_file(
    photo: Photo, file, filename: str, make_renditions: bool = True
) -> list[str]:
    """Store an image as a photo's file: the one way in for every image.

    The image is checked and cleaned (:func:`images.intake`: upright, no
    EXIF/GPS), saved under its content hash with its real extension (a PNG
    named .jpg is stored as .png; ``filename`` only names it in errors),
    its renditions are made (an import passes ``make_renditions=False`` and
    makes them after its rows), and the photo's empty caption, credit and
    photographer are filled from IPTC/XMP.
    The photo row itself is not saved. Raises :class:`images.ImageRejected`.
    Returns the storage names written, for a caller that must undo them.
    The files of a replaced image are removed once the transaction commits.
    """
    result = images.intake(file, getattr(file, "size", None))
    old = (photo.image_hash, photo.width, photo.image.name if photo.image else "")
    # Named by its content, not by the uploaded file's name: the address of a
    # photo cannot be guessed before a published story shows it.
    photo.image.save(
        f"{result.content_hash}.{result.info.extension}",
        ContentFile(result.content),
        save=False,
    )
    photo.image_hash = result.content_hash
    photo.file_size = len(result.content)
    photo.width, photo.height = result.info.width, result.info.height
    if result.caption and not photo.caption:
        photo.caption = result.caption
    if result.credit and not photo.credit:
        photo.credit = result.credit
    if result.byline and not photo.photographer:
        photo.photographer = result.byline
    written = [photo.image.name]
    if old[0] and old[0] != photo.image_hash:
        transaction.on_commit(lambda: _remove_replaced(*old))
    if make_renditions and settings.NEWSROOM_TASKS != "immediate":
        # A worker makes them after the commit (an upload answers at once);
        # until then the photo has no hash and pages show its stored file.
        later = (photo.image.name, photo.image_hash, photo.width, photo.height)
        photo.image_hash = ""
        transaction.on_commit(lambda: _renditions_later(photo, *later))
    elif make_renditions:
        written += renditions.generate(photo)
    return written


def _renditions_later(photo: Photo, name, content_hash, width, height) -> None:
    from newsroom import jobs

    from ..tasks import make_renditions

    if photo.pk:
        jobs.enqueue(make_renditions, (name, content_hash, width, height, [photo.pk]))


def adopt_stored_image(photo: Photo, make_renditions: bool = True) -> list[str]:
    """Give a photo whose file is already in storage its hash, size and renditions."""
    with photo.image.open("rb") as fh:
        content = fh.read()
    photo.image_hash = hashlib.sha256(content).hexdigest()[:20]
    photo.file_size = len(content)
    return renditions.generate(photo) if make_renditions else []


def show_renditions(content_hash: str, photo_ids: list[int]) -> None:
    """Give photos the hash of their image once its renditions exist.

    Until then a photo has no hash and pages show its stored file. Updates
    send no signals: the caller drops the cached pages when it is done.
    """
    for start in range(0, len(photo_ids), 500):
        Photo.objects.filter(pk__in=photo_ids[start : start + 500]).update(
            image_hash=content_hash
        )


def forget_files(photo: Photo) -> None:
    """Remove a deleted photo's files once the deletion commits: its original
    unless another photo has the same file, its renditions unless another
    photo has the same image (on the disk or on object storage alike)."""
    name = photo.image.name if photo.image else ""
    content_hash, width = photo.image_hash, photo.width

    def remove() -> None:
        if name and not Photo.objects.filter(image=name).exists():
            if default_storage.exists(name):
                default_storage.delete(name)
        if content_hash and not Photo.objects.filter(image_hash=content_hash).exists():
            renditions.delete_for(content_hash, width)

    transaction.on_commit(remove)


def _remove_replaced(content_hash: str, width: int | None, name: str) -> None:
    renditions.delete_for(content_hash, width)
    if name and default_storage.exists(name):
        default_storage.delete(name)


def refocus(photo: Photo) -> list[str]:
    """Make the crops of a photo's new focal point; drop the old ones after the commit.

    The new crops have new names (the focal point is in them), so pages that
    still show the old ones keep working until the commit drops them.
    Crops another photo of the same image uses are kept.
    """
    if not photo.image or not photo.image_hash:
        return []  # an import or upload still making them uses the new point
    written = renditions.generate(photo)
    content_hash = photo.image_hash
    keep = {
        name
        for other in Photo.objects.filter(image_hash=content_hash)
        for name in renditions.names_for(other)
    } | set(renditions.names_for(photo))
    transaction.on_commit(lambda: renditions.delete_crops(content_hash, keep=keep))
    return written
