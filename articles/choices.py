"""The article's statuses: the one place their values are written."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a story is in the workflow: draft → review → published, or archived.

    A published story whose time is still ahead is *scheduled*: that is not a
    status of its own but ``ArticleQuerySet.scheduled()``.
    """

    DRAFT = "draft", _("Bản nháp")
    REVIEW = "review", _("Chờ duyệt")
    PUBLISHED = "published", _("Đã xuất bản")
    ARCHIVED = "archived", _("Lưu trữ")


# Statuses a user without the publish permission may give a story.
WRITER_STATUSES = (Status.DRAFT, Status.REVIEW)
