"""The site's own images: logo, share image, favicon (settings NEWSROOM_*)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static

from .site import site_url


@dataclass(frozen=True)
class Image:
    url: str
    width: int
    height: int


def _size(value: str) -> tuple[int, int]:
    width, _, height = value.lower().partition("x")
    return int(width), int(height)


def _url(path: str) -> str:
    """A setting's address: kept when absolute, else the static file's."""
    return path if urlsplit(path).scheme else static(path)


def logo(request) -> Image:
    """The logo search engines show for the publisher."""
    url = site_url(request, _url(settings.NEWSROOM_LOGO))
    return Image(url, *_size(settings.NEWSROOM_LOGO_SIZE))


def share_image(request) -> Image:
    """The image a shared page shows when it has no photo of its own."""
    url = site_url(request, _url(settings.NEWSROOM_SHARE_IMAGE))
    return Image(url, *_size(settings.NEWSROOM_SHARE_IMAGE_SIZE))


def favicon_url() -> str:
    return _url(settings.NEWSROOM_FAVICON)
