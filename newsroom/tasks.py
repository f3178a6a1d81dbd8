"""The site's own background jobs (the articles app has its own)."""

from . import edge, pagecache, replica
from .jobs import job


@job
def purge(tags=(), stories=(), position=None):
    """Drop these tags, and the pages of these stories and the lists they
    are on, from every edge cache.

    With a read replica, first wait until it has replayed the commit
    (``position``), then drop the app's own cached pages again: a reader's
    page built from the replica before then is not kept.
    """
    if position:
        replica.wait_for(position)
        pagecache.bump()
    if edge.backends():
        edge.purge_now(set(tags) | edge.story_tags(stories))
