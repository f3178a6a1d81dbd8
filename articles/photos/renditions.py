"""Photo renditions: a few widths, WebP with a JPEG fallback, deterministic names.

A rendition's name comes from the photo's content hash and the width
(``renditions/ab/ab12…-640.webp``), both stored on the Photo row, so a page
writes ``<picture>`` for any number of photos without a query and without
touching storage; the names change when the image changes, so a CDN may
cache them for a year. Renditions are made when a photo's file is stored
(:func:`generate`; an import makes them after its rows, :func:`make_many`),
never on a reader's request; ``manage.py
regenerate_renditions`` remakes them all after a change of sizes and removes
files no photo uses.

Why not sorl-thumbnail, easy-thumbnails or django-imagekit: each looks a
thumbnail up in a key-value store or the database (or checks storage) when
a page asks for it, which is a query or a round trip per image on the
reader's path; here the name alone is enough.
"""

from __future__ import annotations

import functools
import html
import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from PIL import Image, ImageOps

FORMATS = (("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg"))
PREFIX = "renditions"


def widths_for(original_width: int | None) -> list[int]:
    """The widths made for an image: the configured ones up to its own width."""
    if not original_width:
        return []
    sizes = sorted(settings.NEWSROOM_RENDITION_WIDTHS)
    chosen = [w for w in sizes if w <= original_width]
    if original_width < sizes[-1] and original_width not in chosen:
        chosen.append(original_width)  # the largest is the image at its own size
    return chosen


def name(content_hash: str, width: int, extension: str) -> str:
    return f"{PREFIX}/{content_hash[:2]}/{content_hash}-{width}.{extension}"


def names_for(photo) -> list[str]:
    """Every rendition file a photo should have (no query, no storage call)."""
    if not photo.image_hash:
        return []
    return [
        name(photo.image_hash, w, ext)
        for w in widths_for(photo.width)
        for ext, _, _ in FORMATS
    ]


def generate(photo, force: bool = False) -> list[str]:
    """Make the photo's missing renditions; return the names written."""
    if not photo.image or not photo.image_hash:
        return []
    return make(photo.image.name, photo.image_hash, photo.width, force)


def make(
    image_name: str, content_hash: str, width: int | None, force: bool = False
) -> list[str]:
    """Make the missing renditions of one stored image; return the names written.

    Takes names, not a Photo, so that :func:`make_many` can hand it to
    another process.
    """
    wanted = [
        (w, ext, fmt)
        for w in widths_for(width)
        for ext, fmt, _ in FORMATS
        if force or not default_storage.exists(name(content_hash, w, ext))
    ]
    if not wanted:
        return []
    with default_storage.open(image_name, "rb") as fh, Image.open(fh) as source:
        source = ImageOps.exif_transpose(source)
        base = source.convert("RGBA" if _has_alpha(source) else "RGB")
    written = []
    for width, ext, fmt in wanted:
        height = max(1, round(base.height * width / base.width))
        img = (
            base if width == base.width else base.resize((width, height), Image.LANCZOS)
        )
        if fmt == "JPEG" and img.mode == "RGBA":
            flat = Image.new("RGB", img.size, (255, 255, 255))
            flat.paste(img, mask=img.getchannel("A"))
            img = flat
        buf = io.BytesIO()
        options = {"quality": 80, "method": 4} if fmt == "WEBP" else {
            "quality": 82, "optimize": True, "progressive": True,
        }  # fmt: skip
        img.save(buf, fmt, **options)  # no EXIF, no GPS, nothing personal
        target = name(content_hash, width, ext)
        if default_storage.exists(target):
            default_storage.delete(target)
        written.append(default_storage.save(target, ContentFile(buf.getvalue())))
    return written


def _make_one(
    job: tuple[str, str, int | None], force: bool = False
) -> tuple[str, list[str], str]:
    image_name, content_hash, width = job
    try:
        return content_hash, make(image_name, content_hash, width, force), ""
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        return content_hash, [], str(exc)


def make_many(jobs, workers: int | None = None, force: bool = False):
    """Make the renditions of many images: ``jobs`` are (name, hash, width).

    Yields (hash, names written, error or "") as each image is done. On a
    local file storage the work is spread over ``workers`` processes (the
    machine's cores by default): encoding WebP and JPEG is CPU work that one
    Python process does on one core. The processes touch files only, never
    the database.
    """
    jobs = list(dict.fromkeys(jobs))
    workers = workers or os.cpu_count() or 1
    local = isinstance(default_storage, FileSystemStorage)
    one = functools.partial(_make_one, force=force)
    if workers < 2 or len(jobs) < 4 or not local:
        yield from map(one, jobs)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(one, jobs, chunksize=4)


def delete_for(content_hash: str, width: int | None) -> None:
    """Remove the renditions of an image that has been replaced."""
    for w in widths_for(width):
        for ext, _, _ in FORMATS:
            target = name(content_hash, w, ext)
            if default_storage.exists(target):
                default_storage.delete(target)


def smallest_url(photo, at_least: int) -> str:
    """The URL of the smallest rendition at least ``at_least`` wide (JPEG).

    For thumbnails: the admin lists fifty photos a page, and the camera
    originals would weigh hundreds of megabytes. A photo without
    renditions yet falls back to its stored file.
    """
    widths = widths_for(photo.width) if photo.image_hash else []
    if not widths:
        return photo.image.url
    width = min((w for w in widths if w >= at_least), default=max(widths))
    return default_storage.url(name(photo.image_hash, width, "jpg"))


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA") or (
        img.mode == "P" and "transparency" in img.info
    )


DEFAULT_SIZES = "(min-width: 48rem) 46rem, 100vw"


def picture_html(photo, alt: str, sizes: str = DEFAULT_SIZES, lazy: bool = True) -> str:
    """Return ``<picture>`` for a photo: WebP and JPEG ``srcset``s, size, alt text.

    A photo whose renditions do not exist yet (no hash) falls back to its
    stored file.
    """
    esc = html.escape
    loading = ' loading="lazy"' if lazy else ' fetchpriority="high"'
    size = f' width="{photo.width}" height="{photo.height}"' if photo.width else ""
    widths = widths_for(photo.width) if photo.image_hash else []
    if not widths:
        return (
            f'<img src="{esc(photo.image.url)}" alt="{esc(alt)}"{size}{loading} '
            'decoding="async">'
        )

    def srcset(ext: str) -> str:
        return ", ".join(
            f"{default_storage.url(name(photo.image_hash, w, ext))} {w}w"
            for w in widths
        )

    fallback = default_storage.url(
        name(photo.image_hash, min(widths, key=lambda w: abs(w - 960)), "jpg")
    )
    return (
        f'<picture><source type="image/webp" srcset="{esc(srcset("webp"))}" '
        f'sizes="{esc(sizes)}">'
        f'<img src="{esc(fallback)}" srcset="{esc(srcset("jpg"))}" sizes="{esc(sizes)}" '
        f'alt="{esc(alt)}"{size}{loading} decoding="async"></picture>'
    )
