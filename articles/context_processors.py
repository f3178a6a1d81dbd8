"""Template context shared by every public page."""

from django.conf import settings
from django.core.cache import cache

from .models import Category

MENU_CACHE_KEY = "articles:menu"


def site(request) -> dict:
    """Give templates the site name and the menu sections (cached)."""
    menu = cache.get(MENU_CACHE_KEY)
    if menu is None:
        menu = [
            {"name": c.name, "url": c.get_absolute_url()}
            for c in Category.objects.filter(show_in_menu=True, parent=None)
        ]
        cache.set(MENU_CACHE_KEY, menu, 300)
    return {"site_name": settings.NEWSROOM_SITE_NAME, "menu_categories": menu}
