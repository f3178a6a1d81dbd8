"""Template context shared by every public page."""

from django.conf import settings

from newsroom import brand, pagecache
from newsroom.site import site_url

from . import sections


def site(request) -> dict:
    """Give templates the site name, its absolute base and the menu sections.

    No query: the section tree is cached.
    """
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "share_image": brand.share_image(request),
        "favicon_url": brand.favicon_url(),
        "site_base": site_url(request, ""),
        "menu_categories": sections.tree().menu(),
        # The menu is kept as a fragment under the content generation ({% cache %}).
        "content_generation": pagecache.generation() or "none",
        "fragment_seconds": settings.NEWSROOM_FRAGMENT_SECONDS,
    }
