"""Keep derived caches in step with the content."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .context_processors import MENU_CACHE_KEY
from .models import Category


@receiver([post_save, post_delete], sender=Category)
def forget_menu(**kwargs) -> None:
    """Drop the cached menu when a section changes."""
    cache.delete(MENU_CACHE_KEY)
