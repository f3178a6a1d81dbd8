"""The newsroom's background jobs (:mod:`newsroom.jobs`): renditions, the
desk's e-mails, feed polling. Each is enqueued after the commit of what it
acts on and tried again when it fails."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.core.mail import send_mail

from newsroom import edge, pagecache
from newsroom.jobs import job

logger = logging.getLogger(__name__)


@job
def make_renditions(image_name, content_hash, width, height, photo_ids):
    """Make one image's renditions (an upload's, an import's), then show
    them on its photos' pages (until then they show the stored file)."""
    from .models import ArticlePhoto, Photo
    from .photos import renditions
    from .photos.intake import show_renditions

    # An image replaced or deleted while the job waited has nothing to make.
    still = Photo.objects.filter(pk__in=photo_ids)
    photo_ids = list(still.values_list("pk", flat=True))
    if not photo_ids or not default_storage.exists(image_name):
        return "gone"
    # The editors' focal point, if one was set while the job waited.
    point = still.values_list("focal_x", "focal_y").first()
    renditions.make(
        image_name, content_hash, width, height=height,
        focal=point if point and None not in point else None,
    )  # fmt: skip
    show_renditions(content_hash, photo_ids)
    pagecache.bump()
    stories = ArticlePhoto.objects.filter(photo_id__in=photo_ids)
    edge.purge_after_commit((), set(stories.values_list("article_id", flat=True)))


@job
def send_notice(subject, message, recipients):
    """E-mail the desk (a story submitted, returned, assigned, taken over)."""
    send_mail(subject, message, None, recipients)


@job
def poll_feeds():
    """Read every active partner feed and import what is new (``poll_feeds``).

    A feed or a story that fails is reported by the command and tried at the
    next poll, not by retrying the whole run."""
    import io

    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("poll_feeds", stdout=out, stderr=err)
    except CommandError as error:
        logger.warning("poll_feeds: %s\n%s", error, err.getvalue())
    return out.getvalue()
