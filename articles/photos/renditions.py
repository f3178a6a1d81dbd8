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

Crops (``NEWSROOM_CROPS``: 16:9 cards, 1:1 thumbnails, 4:3) are renditions
too, named with the crop and the focal point they keep in frame
(``…-the-640-0550.webp``: 5% from the left, 50% from the top; ``c`` for
the centre), so a new focal point is a new name, never a stale file.
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

from newsroom.site import media_url

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


def focal_tag(focal) -> str:
    """The focal point in a crop's name: "0550" (x 5%, y 50%), "c" for none."""
    if not focal or focal[0] is None or focal[1] is None:
        return "c"
    x, y = (min(99, max(0, round(v * 100))) for v in focal)
    return f"{x:02d}{y:02d}"


def crop_name(content_hash: str, crop: str, width: int, ext: str, focal) -> str:
    tag = focal_tag(focal)
    return f"{PREFIX}/{content_hash[:2]}/{content_hash}-{crop}-{width}-{tag}.{ext}"


def crop_box(width: int, height: int, ratio: tuple[int, int], focal) -> tuple:
    """The largest box of ``ratio`` in the image, centred on the focal point
    as far as the image's edges allow (the centre without one)."""
    rw, rh = ratio
    box_w = min(width, round(height * rw / rh))
    box_h = min(height, round(box_w * rh / rw))
    fx, fy = focal if focal and None not in focal else (0.5, 0.5)
    left = min(max(0, round(fx * width - box_w / 2)), width - box_w)
    top = min(max(0, round(fy * height - box_h / 2)), height - box_h)
    return left, top, left + box_w, top + box_h


def crop_widths(crop: str, width: int | None, height: int | None) -> list[int]:
    """The widths made of one crop: the configured ones the crop can fill."""
    spec = settings.NEWSROOM_CROPS.get(crop)
    if spec is None or not width or not height:
        return []
    box_w = crop_box(width, height, spec["ratio"], None)[2]
    return [w for w in sorted(spec["widths"]) if w <= box_w] or [box_w]


def _crop_jobs(width, height, focal) -> list[tuple[str, int, str, str]]:
    return [
        (crop, w, ext, fmt)
        for crop in settings.NEWSROOM_CROPS
        for w in crop_widths(crop, width, height)
        for ext, fmt, _ in FORMATS
    ]


def names_for(photo) -> list[str]:
    """Every rendition file a photo should have (no query, no storage call)."""
    if not photo.image_hash:
        return []
    focal = (photo.focal_x, photo.focal_y)
    return [
        name(photo.image_hash, w, ext)
        for w in widths_for(photo.width)
        for ext, _, _ in FORMATS
    ] + [
        crop_name(photo.image_hash, crop, w, ext, focal)
        for crop, w, ext, _ in _crop_jobs(photo.width, photo.height, focal)
    ]


def generate(photo, force: bool = False) -> list[str]:
    """Make the photo's missing renditions; return the names written."""
    if not photo.image or not photo.image_hash:
        return []
    return make(
        photo.image.name,
        photo.image_hash,
        photo.width,
        force,
        height=photo.height,
        focal=(photo.focal_x, photo.focal_y),
    )


def make(
    image_name: str,
    content_hash: str,
    width: int | None,
    force: bool = False,
    height: int | None = None,
    focal=None,
) -> list[str]:
    """Make the missing renditions of one stored image; return the names written.

    The widths of the whole image, then each crop around ``focal`` (x, y
    from 0 to 1; the centre when ``None``). Takes names, not a Photo, so
    that :func:`make_many` can hand it to another process.
    """
    wanted = [
        (None, w, ext, fmt, name(content_hash, w, ext))
        for w in widths_for(width)
        for ext, fmt, _ in FORMATS
    ] + [
        (crop, w, ext, fmt, crop_name(content_hash, crop, w, ext, focal))
        for crop, w, ext, fmt in _crop_jobs(width, height, focal)
    ]
    wanted = [job for job in wanted if force or not default_storage.exists(job[-1])]
    if not wanted:
        return []
    with default_storage.open(image_name, "rb") as fh, Image.open(fh) as source:
        source = ImageOps.exif_transpose(source)
        base = source.convert("RGBA" if _has_alpha(source) else "RGB")
    written = []
    for crop, width, _ext, fmt, target in wanted:
        whole = base
        if crop is not None:
            ratio = settings.NEWSROOM_CROPS[crop]["ratio"]
            whole = base.crop(crop_box(base.width, base.height, ratio, focal))
        height = max(1, round(whole.height * width / whole.width))
        img = (
            whole
            if width == whole.width
            else whole.resize((width, height), Image.LANCZOS)
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
        if default_storage.exists(target):
            default_storage.delete(target)
        written.append(default_storage.save(target, ContentFile(buf.getvalue())))
    return written


def _make_one(job: tuple, force: bool = False) -> tuple[str, list[str], str]:
    """One job: (name, hash, width[, height, (focal x, focal y)])."""
    image_name, content_hash, width, *more = job
    height, focal = (more + [None, None])[:2]
    try:
        made = make(image_name, content_hash, width, force, height, focal)
        return content_hash, made, ""
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
    """Remove the renditions of an image that has been replaced, crops included."""
    for w in widths_for(width):
        for ext, _, _ in FORMATS:
            target = name(content_hash, w, ext)
            if default_storage.exists(target):
                default_storage.delete(target)
    delete_crops(content_hash)


def delete_crops(content_hash: str, keep=()) -> None:
    """Remove an image's crops (those of an earlier focal point), but ``keep``."""
    folder = f"{PREFIX}/{content_hash[:2]}"
    try:
        _, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for file in files:
        target = f"{folder}/{file}"
        rest = file.removeprefix(f"{content_hash}-")
        if rest != file and not rest.split("-")[0].isdigit() and target not in keep:
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
    return media_url(name(photo.image_hash, width, "jpg"))


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA") or (
        img.mode == "P" and "transparency" in img.info
    )


DEFAULT_SIZES = "(min-width: 48rem) 46rem, 100vw"


def picture_html(
    photo, alt: str, sizes: str = DEFAULT_SIZES, lazy: bool = True, crop: str = ""
) -> str:
    """Return ``<picture>`` for a photo: WebP and JPEG ``srcset``s, size, alt text.

    With ``crop`` (a name of ``NEWSROOM_CROPS``), the crop's renditions,
    which keep the photo's focal point in frame. A photo whose renditions
    do not exist yet (no hash) falls back to its stored file.
    """
    if crop and photo.image_hash and crop_widths(crop, photo.width, photo.height):
        return _crop_picture(photo, alt, sizes, lazy, crop)
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
            f"{media_url(name(photo.image_hash, w, ext))} {w}w" for w in widths
        )

    fallback = media_url(
        name(photo.image_hash, min(widths, key=lambda w: abs(w - 960)), "jpg")
    )
    return (
        f'<picture><source type="image/webp" srcset="{esc(srcset("webp"))}" '
        f'sizes="{esc(sizes)}">'
        f'<img src="{esc(fallback)}" srcset="{esc(srcset("jpg"))}" sizes="{esc(sizes)}" '
        f'alt="{esc(alt)}"{size}{loading} decoding="async"></picture>'
    )


def _crop_picture(photo, alt: str, sizes: str, lazy: bool, crop: str) -> str:
    esc = html.escape
    focal = (getattr(photo, "focal_x", None), getattr(photo, "focal_y", None))
    widths = crop_widths(crop, photo.width, photo.height)
    rw, rh = settings.NEWSROOM_CROPS[crop]["ratio"]
    largest = max(widths)
    size = f' width="{largest}" height="{round(largest * rh / rw)}"'
    loading = ' loading="lazy"' if lazy else ' fetchpriority="high"'

    def srcset(ext: str) -> str:
        return ", ".join(
            f"{media_url(crop_name(photo.image_hash, crop, w, ext, focal))} {w}w"
            for w in widths
        )

    fallback = media_url(
        crop_name(
            photo.image_hash,
            crop,
            min(widths, key=lambda w: abs(w - 640)),
            "jpg",
            focal,
        )
    )
    return (
        f'<picture><source type="image/webp" srcset="{esc(srcset("webp"))}" '
        f'sizes="{esc(sizes)}">'
        f'<img src="{esc(fallback)}" srcset="{esc(srcset("jpg"))}" sizes="{esc(sizes)}" '
        f'alt="{esc(alt)}"{size}{loading} decoding="async"></picture>'
    )
