"""Who may do what to an article: the editorial workflow, checked on the server.

Statuses go draft → review → published, and archived. Reporters (Phóng viên)
write and edit their own drafts and submit them for review; editors (Biên tập
viên) and chief editors (Tổng biên tập) hold ``articles.publish_article`` and
may publish, schedule, unpublish and archive. The admin's forms, actions and
views all ask this module, so a crafted request gets the same answer as the
form.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .choices import WRITER_STATUSES, Status

PUBLISH_PERMISSION = "articles.publish_article"

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"
CHIEF_EDITOR = "Tổng biên tập"


def can_publish(user) -> bool:
    """Return whether ``user`` may publish, schedule, unpublish and archive."""
    return user.has_perm(PUBLISH_PERMISSION)


def can_edit(user, article) -> bool:
    """Return whether ``user`` may change ``article`` (``None``: any article)."""
    if not user.has_perm("articles.change_article"):
        return False
    if can_publish(user) or article is None:
        return True
    # A reporter edits only their own drafts (and pulls back what is in review).
    return article.created_by_id == user.pk and article.status in WRITER_STATUSES


def can_see(user, article) -> bool:
    """Return whether ``user`` may read ``article`` in the admin and its thread."""
    return user.has_perm("articles.view_article") or can_edit(user, article)


def steps(user, article) -> list[str]:
    """Return the workflow steps (``DeskNote.Step`` values) ``user`` may take now.

    The change form shows a button for each; the services check again.
    """
    new = article is None or not article.pk
    status = Status.DRAFT if new else article.status
    if not can_edit(user, None if new else article):
        return []
    if not can_publish(user):
        return ["submit"] if status == Status.DRAFT else []
    found = {
        Status.DRAFT: ["submit", "publish", "schedule"],
        Status.REVIEW: ["return", "publish", "schedule"],
        Status.PUBLISHED: ["unpublish", "archive"],
        Status.ARCHIVED: ["publish", "unpublish"],
    }[status]
    if _embargoed(article) and status in (Status.DRAFT, Status.REVIEW):
        found = [*found, SCHEDULE_AT_EMBARGO]
    return found


# The one-click step of an embargoed story: schedule it for its embargo time.
SCHEDULE_AT_EMBARGO = "schedule_embargo"


def _embargoed(article) -> bool:
    from django.utils import timezone

    until = getattr(article, "embargo_until", None)
    return until is not None and until > timezone.now()


def why_not(user, article, step: str) -> str:
    """Say why ``user`` may not take ``step`` on ``article`` now, in a sentence."""
    label = step_label(step)
    if step != "submit" and not can_publish(user):
        return str(_("Bạn không có quyền xuất bản, hẹn giờ, gỡ hay trả bài."))
    if not can_edit(user, article if article is not None and article.pk else None):
        return str(_("Bạn không có quyền sửa bài này."))
    status = article.get_status_display() if article is not None and article.pk else ""
    return str(
        _("Bài đang ở trạng thái “%(status)s” nên không thể “%(step)s”.")
        % {"status": status, "step": label}
    )


def step_label(step: str) -> str:
    from .models import DeskNote

    if step == SCHEDULE_AT_EMBARGO:
        return str(_("Hẹn giờ lúc hết cấm đăng"))
    if step == "correction":
        return str(_("Thêm đính chính hoặc cập nhật"))
    return str(DeskNote.Step(step).label) if step in DeskNote.Step.values else step


def allowed_statuses(user) -> list[tuple[str, str]]:
    """Return the status choices ``user`` may pick."""
    if can_publish(user):
        return list(Status.choices)
    return [(v, label) for v, label in Status.choices if v in WRITER_STATUSES]


def embargo_refusal(status: str, published_at, embargo_until) -> str | None:
    """Say why a story may not go out at ``published_at``, or ``None``.

    The one rule of the embargo: a published story's time is never before
    its embargo ("cấm đăng trước"), whoever asks, the chief editor
    included. ``published_at`` ``None`` is now.
    """
    from django.utils import timezone

    from .text import format_datetime_vi

    if status != Status.PUBLISHED or embargo_until is None:
        return None
    if (published_at or timezone.now()) >= embargo_until:
        return None
    return str(
        _(
            "Bài cấm đăng trước %(when)s: không ai được xuất bản bài trước giờ đó. "
            "Hãy bấm “Hẹn giờ lúc hết cấm đăng”."
        )
        % {"when": format_datetime_vi(embargo_until)}
    )


def check_status_change(user, article, status: str) -> str | None:
    """Return why ``user`` may not give ``article`` this status, or ``None``."""
    if can_publish(user):
        return None
    if status not in WRITER_STATUSES:
        return str(_("Bạn không có quyền xuất bản, hẹn giờ hay lưu trữ bài."))
    if article is not None and article.pk and article.status not in WRITER_STATUSES:
        return str(_("Bài đã xuất bản hoặc lưu trữ; chỉ biên tập viên được sửa."))
    return None
