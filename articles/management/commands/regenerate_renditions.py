"""``regenerate_renditions``: remake every photo's renditions; remove orphans."""

from __future__ import annotations

import sys

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Photo
from articles.photos import renditions
from articles.photos.intake import adopt_stored_image, show_renditions
from newsroom import edge, pagecache


class Command(BaseCommand):
    help = (
        "Tạo lại ảnh phái sinh (các cỡ WebP/JPEG) của mọi ảnh, rồi xóa các tệp "
        "phái sinh không còn ảnh nào dùng. Chạy sau khi đổi NEWSROOM_RENDITION_WIDTHS."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="làm lại cả những tệp đã có"
        )
        parser.add_argument(
            "--keep-orphans", action="store_true", help="không xóa tệp thừa"
        )

    def handle(self, *args, force: bool, keep_orphans: bool, **options) -> None:
        photos = Photo.objects.exclude(image="").order_by("pk")
        total = photos.count()
        failed = 0
        wanted: set[str] = set()
        # One per image and focal point, not per photo.
        jobs: dict[tuple, tuple[str, int | None, int | None]] = {}
        hashless: dict[str, list[int]] = {}  # photos given their hash once made
        for photo in photos.iterator(chunk_size=500):
            try:
                if not photo.image_hash:
                    adopt_stored_image(photo, make_renditions=False)
                    hashless.setdefault(photo.image_hash, []).append(photo.pk)
            except (OSError, ValueError) as exc:
                failed += 1
                self.stderr.write(f"ảnh #{photo.pk} {photo.image.name}: {exc}")
                continue
            focal = (photo.focal_x, photo.focal_y)
            jobs.setdefault(
                (photo.image_hash, focal), (photo.image.name, photo.width, photo.height)
            )
            wanted.update(renditions.names_for(photo))
        bar = tqdm(
            total=len(jobs),
            disable=not sys.stderr.isatty(),
            unit="ảnh",
            file=sys.stderr,
        )
        written = 0
        stored = {h: name for (h, _), (name, _, _) in jobs.items()}
        work = [
            (name, h, width, height, focal)
            for (h, focal), (name, width, height) in jobs.items()
        ]
        for content_hash, names, error in renditions.make_many(work, force=force):
            bar.update(1)
            if error:
                failed += 1
                self.stderr.write(f"{stored[content_hash]}: {error}")
                continue
            written += len(names)
            show_renditions(content_hash, hashless.get(content_hash, []))
        bar.close()
        if hashless:
            pagecache.content_changed()  # updates send no signals
            edge.purge_after_commit({edge.ALL})
        removed = 0 if keep_orphans else self._remove_orphans(wanted)
        self.stdout.write(
            f"Ảnh: {total} · tệp phái sinh đã tạo: {written} · tệp thừa đã xóa: "
            f"{removed} · lỗi: {failed}"
        )

    def _remove_orphans(self, wanted: set[str]) -> int:
        removed = 0
        for name in _walk(renditions.PREFIX):
            if name not in wanted:
                default_storage.delete(name)
                removed += 1
        return removed


def _walk(folder: str):
    try:
        dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in dirs:
        yield from _walk(f"{folder}/{sub}")
