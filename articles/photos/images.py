"""The one way in for images: every upload and import is checked here.

An image is accepted only when Pillow decodes it as JPEG, PNG, WebP or GIF,
within the size and pixel limits of the settings. The extension and the
content type a browser sends are never trusted. Refusals are
:class:`ImageRejected` with a one-line Vietnamese reason.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


class ImageRejected(ValueError):
    """An image refused, with the reason in the user's language."""


@dataclass(frozen=True)
class ImageInfo:
    """What a valid image is: its real format, extension and size."""

    format: str
    extension: str
    width: int
    height: int


def max_bytes() -> int:
    return getattr(settings, "NEWSROOM_IMAGE_MAX_BYTES", 20 * 1024 * 1024)


def max_pixels() -> int:
    return getattr(settings, "NEWSROOM_IMAGE_MAX_PIXELS", 50_000_000)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")


def inspect_image(file: IO[bytes], size: int | None = None) -> ImageInfo:
    """Return what ``file`` is, or raise :class:`ImageRejected` saying why.

    The header is read first, so that a decompression bomb is refused by its
    declared size before its pixels are decoded; then the whole image is
    decoded once to catch truncated or corrupt files.
    """
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    file.seek(0)
    if size == 0:
        raise ImageRejected("tệp rỗng, không phải ảnh")
    if size > max_bytes():
        raise ImageRejected(f"ảnh quá lớn ({_mb(size)}; tối đa {_mb(max_bytes())})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as img:
                fmt = img.format
                width, height = img.size
                if fmt not in ALLOWED_FORMATS:
                    raise ImageRejected(
                        f"định dạng {fmt} không được nhận (chỉ JPEG, PNG, WebP, GIF)"
                    )
                if width * height > max_pixels():
                    raise ImageRejected(
                        f"ảnh quá nhiều điểm ảnh ({width}×{height}; "
                        f"tối đa {max_pixels():,} điểm ảnh)".replace(",", ".")
                    )
                img.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("ảnh quá nhiều điểm ảnh (nghi là bom giải nén)") from None
    except UnidentifiedImageError:
        raise ImageRejected(
            "không phải tệp ảnh đọc được (JPEG, PNG, WebP, GIF)"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected(f"ảnh hỏng hoặc bị cắt cụt ({exc})") from None
    finally:
        file.seek(0)
    return ImageInfo(fmt, ALLOWED_FORMATS[fmt], width, height)


@dataclass(frozen=True)
class Intake:
    """An accepted image, ready to store: clean bytes and what it said about itself."""

    content: bytes
    info: ImageInfo
    content_hash: str
    caption: str = ""
    credit: str = ""
    byline: str = ""


_XMP_FIELDS = {
    "caption": r"<dc:description>.*?<rdf:li[^>]*>(.*?)</rdf:li>",
    "credit": r"photoshop:Credit(?:=\"|>)(.*?)(?:\"|</photoshop:Credit>)",
    "byline": r"<dc:creator>.*?<rdf:li[^>]*>(.*?)</rdf:li>",
}


def intake(file: IO[bytes], size: int | None = None) -> Intake:
    """Check an image (:func:`inspect_image`) and return it cleaned for storing.

    The EXIF orientation is applied, so the stored image is upright, and the
    file is written again without EXIF, GPS, XMP or IPTC: nothing personal
    reaches readers. IPTC/XMP caption, credit and byline that photographers
    embed are returned, to fill a Photo's empty fields. Every image is
    encoded again from its pixels, animated GIFs frame by frame, so nothing
    hidden after or between the image data reaches readers.
    """
    import hashlib
    import re

    from PIL import ImageOps, IptcImagePlugin

    info = inspect_image(file, size)
    raw = file.read()
    file.seek(0)
    with Image.open(io.BytesIO(raw)) as img:
        meta = _iptc(IptcImagePlugin.getiptcinfo(img) or {})
        xmp = img.info.get("xmp") or img.info.get("XML:com.adobe.xmp") or b""
        if isinstance(xmp, bytes):
            xmp = xmp.decode("utf-8", "replace")
        for key, pattern in _XMP_FIELDS.items():
            if not meta.get(key) and xmp:
                found = re.search(pattern, xmp, re.S)
                if found:
                    meta[key] = found.group(1).strip()
        if info.format == "GIF" and getattr(img, "is_animated", False):
            content = _reencode_animation(img)
            width, height = img.size
        else:
            upright = ImageOps.exif_transpose(img)
            buf = io.BytesIO()
            options: dict = {}
            if info.format == "JPEG":
                upright = (
                    upright.convert("RGB")
                    if upright.mode not in ("RGB", "L")
                    else upright
                )
                options = {"quality": 90, "optimize": True}
            elif info.format == "WEBP":
                options = {"quality": 90}
            if img.info.get("icc_profile"):
                options["icc_profile"] = img.info["icc_profile"]
            upright.save(buf, info.format, **options)
            content = buf.getvalue()
            width, height = upright.size
    clean = ImageInfo(info.format, info.extension, width, height)
    digest = hashlib.sha256(content).hexdigest()[:20]
    return Intake(content, clean, digest, **{k: v[:300] for k, v in meta.items()})


def _reencode_animation(img) -> bytes:
    """Return an animated GIF written again from its frames (timing kept)."""
    from PIL import ImageSequence

    frames = getattr(img, "n_frames", 1)
    if frames * img.size[0] * img.size[1] > settings.NEWSROOM_IMAGE_MAX_PIXELS:
        raise ImageRejected(
            f"ảnh động {frames} khung hình, quá {settings.NEWSROOM_IMAGE_MAX_PIXELS:,} "
            "điểm ảnh cho cả ảnh".replace(",", ".")
        )
    images, durations = [], []
    for frame in ImageSequence.Iterator(img):
        durations.append(frame.info.get("duration", 100))
        images.append(frame.convert("RGBA"))
    buf = io.BytesIO()
    images[0].save(
        buf,
        "GIF",
        save_all=True,
        append_images=images[1:],
        duration=durations,
        loop=img.info.get("loop", 0),
        disposal=2,
    )
    return buf.getvalue()


def _iptc(data: dict) -> dict:
    """Caption (2:120), credit (2:110) and byline (2:80) from IPTC records."""
    out = {}
    for key, record in (
        ("caption", (2, 120)),
        ("credit", (2, 110)),
        ("byline", (2, 80)),
    ):
        value = data.get(record)
        if isinstance(value, list):
            value = value[0] if value else b""
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if value:
            out[key] = str(value).strip()
    return out
