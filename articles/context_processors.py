"""Template context shared by every public page."""

from django.conf import settings

from . import sections


def site(request) -> dict:
    """Give templates the site name and the menu sections (no query: cached tree)."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "menu_categories": sections.tree().menu(),
    }
