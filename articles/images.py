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
