"""The site's own background jobs (the articles app has its own)."""

from . import edge
from .jobs import job


@job
def purge(tags=(), stories=()):
    """Drop these tags, and the pages of these stories and the lists they
    are on, from every edge cache."""
    edge.purge_now(set(tags) | edge.story_tags(stories))
