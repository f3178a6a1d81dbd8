"""Absolute URLs of the site: the one function that builds them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import HttpRequest
from django.utils.encoding import filepath_to_uri


def site_url(
    request: HttpRequest | None, path: str = "/", base: str | None = None
) -> str:
    """Return the absolute URL of ``path`` on this site.

    ``NEWSROOM_SITE_URL`` when it is set, so that canonical links, JSON-LD,
    feeds, enclosures, sitemaps and robots.txt say the same whatever ``Host``
    a request came with; else the request's own scheme and host. A ``path``
    that is already absolute (media on object storage or a CDN) is kept.
    ``base`` stands for the setting where there is no request (an export).
    """
    base = (base or settings.NEWSROOM_SITE_URL).rstrip("/")
    if not base:
        base = f"{request.scheme}://{request.get_host()}"
    if path.startswith("//"):
        return f"{base.split('//', 1)[0]}{path}"
    if path.startswith("/"):  # no scheme before it: the common case, unparsed
        return f"{base}{path}"
    if urlsplit(path).scheme:
        return path
    return f"{base}{path}"


# What ``filepath_to_uri`` leaves as it is: quote()'s unreserved characters
# and its safe ones.
_AS_URI = re.compile(r"[A-Za-z0-9_.~/!*()'-]*")


def media_url(name: str) -> str:
    """The address of a stored file: what ``default_storage.url(name)`` says.

    The file system's storage joins its base URL and the quoted name with
    ``urljoin``, 17 µs a call where a sitemap page asks 15,000 times and an
    article page's ``srcset``s forty. Where joining is concatenating (no
    ``.`` or ``..`` segment, no empty one) this concatenates; any other
    storage (object storage signs or rewrites its URLs) is asked itself.
    """
    storage = storages["default"]  # the instance default_storage stands for
    if type(storage).url is FileSystemStorage.url and storage.base_url is not None:
        # A name of characters quoting keeps (content-hash names) is its own URI.
        url = (name if _AS_URI.fullmatch(name) else filepath_to_uri(name)).lstrip("/")
        if "/." not in f"/{url}" and "//" not in url:
            return f"{storage.base_url}{url}"
    return storage.url(name)
