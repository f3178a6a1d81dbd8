"""The desk around a story: working copies, edit locks, the inbox, e-mails.

None of this writes an article (that is :mod:`articles.services`): a working
copy is a user's unsaved form, a lock says who has the story open, the inbox
reads what waits for whom, and notifications go out once a step committed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom import jobs
from newsroom.site import site_url

from . import text, workflow
from .choices import Status
from .models import Article, DeskNote, EditLock, WorkingCopy


# Never kept in a working copy: the token, and the buttons (``_…``), so a
# restored form never takes a step by itself.
def _kept(name: str) -> bool:
    return name != "csrfmiddlewaretoken" and not name.startswith("_")


def display_name(user) -> str:
    """Return the name the desk knows a user by: the full name, else the login."""
    if user is None:
        return _("hệ thống")
    return user.get_full_name().strip() or user.get_username()


# --- working copies -----------------------------------------------------------


def keep_form(*, user, article: Article | None, post, reason: str = "auto"):
    """Keep what ``user`` has in the article form (a POST's QueryDict) as their
    working copy of ``article`` (``None``: a story not saved yet)."""
    data = {k: v for k, v in post.lists() if _kept(k)}
    version = data.get("version", [""])[0]
    values = {
        "data": data,
        "version": int(version) if str(version).isdigit() else None,
        "reason": reason,
        "saved_at": timezone.now(),
    }
    for _attempt in range(2):  # two tabs autosaving at once: the second updates
        try:
            with transaction.atomic():
                copy, _created = WorkingCopy.objects.update_or_create(
                    user=user, article=article, defaults=values
                )
            return copy
        except IntegrityError:
            continue
    return None


def form_data(data: dict):
    """A working copy's ``{name: [values]}`` as the form data it came from."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, values in data.items():
        query.setlist(name, values)
    return query


def working_copy(user, article: Article | None) -> WorkingCopy | None:
    """Return the user's working copy of a story if it is newer than the story."""
    expire_working_copies()
    copy = WorkingCopy.objects.filter(user=user, article=article).first()
    if copy is None:
        return None
    if article is not None and copy.saved_at <= article.updated_at:
        return None
    return copy


def discard_working_copy(user, article: Article | None) -> None:
    if user is not None and user.is_authenticated:
        WorkingCopy.objects.filter(user=user, article=article).delete()


def expire_working_copies() -> None:
    """Remove working copies older than ``NEWSROOM_WORKING_COPY_DAYS``."""
    days = settings.NEWSROOM_WORKING_COPY_DAYS
    WorkingCopy.objects.filter(
        saved_at__lt=timezone.now() - dt.timedelta(days=days)
    ).delete()


# --- edit locks ---------------------------------------------------------------


@dataclass
class LockState:
    """What the editor page is told about a story's lock."""

    mine: bool
    holder: str = ""
    since: dt.datetime | None = None
    taken_by_other: bool = False  # someone took it from this user
    note: str = ""

    def as_json(self) -> dict:
        return {
            "mine": self.mine,
            "holder": self.holder,
            "since": text.format_time_vi(self.since) if self.since else "",
            "taken": self.taken_by_other,
            "note": self.note,
            "message": self.message(),
        }

    def message(self) -> str:
        if self.taken_by_other:
            line = _(
                "%(name)s đã giành quyền sửa bài này lúc %(when)s. Phần bạn viết "
                "đã được giữ trong bản tự lưu của bạn."
            ) % {"name": self.holder, "when": text.format_time_vi(self.since)}
            return f"{line} {_('Ghi chú')}: {self.note}" if self.note else line
        if not self.mine:
            return _("%(name)s đang sửa bài này (từ %(when)s).") % {
                "name": self.holder,
                "when": text.format_time_vi(self.since),
            }
        return ""


def _live(lock: EditLock) -> bool:
    ttl = dt.timedelta(seconds=settings.NEWSROOM_LOCK_SECONDS)
    return lock.seen_at >= timezone.now() - ttl


def hold(user, article: Article, page: str = "", opened: bool = False) -> LockState:
    """Open or keep the story in ``user``'s hands if nobody else holds it.

    Called when the editor opens (``opened``) and on every heartbeat, with
    the token of the page asking. A lock whose heartbeat stopped has lapsed
    and passes to whoever comes next. The page opened last is the one that
    holds the story: only it can let it go (:func:`release`).
    """
    now = timezone.now()
    with transaction.atomic():
        lock = EditLock.objects.select_for_update().filter(article=article).first()
        if lock is None:
            try:
                with transaction.atomic():
                    EditLock.objects.create(
                        article=article, user=user, since=now, seen_at=now, page=page
                    )
            except IntegrityError:  # opened in the same instant elsewhere
                return hold(user, article, page, opened)
            return LockState(mine=True, since=now)
        if lock.user_id == user.pk:
            lock.seen_at = now
            fields = ["seen_at"]
            if page and (opened or not lock.page):
                lock.page = page
                fields.append("page")
            lock.save(update_fields=fields)
            return LockState(mine=True, since=lock.since)
        if lock.taken_from_id == user.pk:
            return LockState(
                mine=False,
                holder=display_name(lock.user),
                since=lock.since,
                taken_by_other=True,
                note=lock.note,
            )
        if not _live(lock):
            EditLock.objects.filter(pk=lock.pk).update(
                user=user, since=now, seen_at=now, taken_from=None, note="", page=page
            )
            return LockState(mine=True, since=now)
        return LockState(mine=False, holder=display_name(lock.user), since=lock.since)


def release(user, article: Article, page: str | None = None) -> None:
    """Let the story go: the user left the form (``page=None``: every page of
    theirs), or the editor page ``page`` was closed — a page that no longer
    holds the story (left behind by a take-over, a second tab) frees nothing."""
    locks = EditLock.objects.filter(article=article, user=user)
    if page is not None:
        if not page:
            return
        locks = locks.filter(page=page)
    locks.delete()


def take_over(*, user, article: Article, note: str = "") -> EditLock:
    """Take the story from whoever holds it; they are told on their next heartbeat."""
    now = timezone.now()
    note = text.clean_line(note)
    with transaction.atomic():
        lock = EditLock.objects.select_for_update().filter(article=article).first()
        previous = lock.user if lock and lock.user_id != user.pk else None
        lock, _created = EditLock.objects.update_or_create(
            article=article,
            defaults={
                "user": user,
                "since": now,
                "seen_at": now,
                "taken_from": previous,
                "note": note,
                "page": "",  # the page it is taken from is not the one that holds it
            },
        )
        DeskNote.objects.create(
            article=article, user=user, step=DeskNote.Step.TAKEOVER, text=note
        )
        if previous is not None:
            notify(
                [previous],
                _("%(name)s đã giành quyền sửa bài “%(title)s”")
                % {"name": display_name(user), "title": article.title},
                article,
                note,
            )
    return lock


def holder_other_than(user, article: Article):
    """Return who else holds a live lock on the story, or ``None``."""
    lock = EditLock.objects.select_related("user").filter(article=article).first()
    if lock is None or lock.user_id == user.pk or not _live(lock):
        return None
    return lock.user


# --- the inbox ------------------------------------------------------------------


def inbox_ids(user) -> set[int]:
    """The ids of the stories waiting for ``user``: to review, returned, assigned.

    One query, a UNION of three small indexed ones (assignee, status,
    creator), rather than an OR across joins that reads the whole table:
    this runs on every admin page, for the count in the header.
    """
    open_ = Article.objects.exclude(status__in=[Status.PUBLISHED, Status.ARCHIVED])
    parts = [open_.filter(assigned_to=user).values_list("pk", flat=True)]
    if workflow.can_publish(user):
        parts.append(
            Article.objects.filter(status=Status.REVIEW)
            .filter(Q(assigned_to=None) | Q(assigned_to=user))
            .values_list("pk", flat=True)
        )
    returned = DeskNote.objects.filter(step=DeskNote.Step.RETURN).values("article_id")
    parts.append(
        Article.objects.filter(
            created_by=user, status=Status.DRAFT, pk__in=returned
        ).values_list("pk", flat=True)
    )
    first, *rest = (part.order_by() for part in parts)  # SQLite: no ORDER BY inside
    return set(first.union(*rest))


def inbox(user):
    """Return the stories waiting for ``user``, the latest changed first."""
    return (
        Article.objects.filter(pk__in=inbox_ids(user))
        .select_related("category", "assigned_to")
        .order_by("-updated_at")
    )


def inbox_count(user) -> int:
    return len(inbox_ids(user))


# --- e-mail ---------------------------------------------------------------------


def notify(users, subject: str, article: Article, note: str = "") -> None:
    """E-mail ``users`` about a story once the transaction has committed."""
    recipients = sorted({u.email for u in users if u is not None and u.email})
    if not recipients:
        return
    link = reverse("admin:articles_article_change", args=[article.pk])
    if settings.NEWSROOM_SITE_URL:
        link = site_url(None, link)
    lines = [subject, "", article.title]
    if note:
        lines += ["", f"{_('Ghi chú')}: {note}"]
    lines += ["", link]
    message = "\n".join(lines)
    from .tasks import send_notice

    jobs.after_commit(send_notice, subject, message, recipients)


def publishers():
    """Return the active accounts that may publish (who reviews submissions)."""
    User = get_user_model()
    perm = Q(user_permissions__codename="publish_article") | Q(
        groups__permissions__codename="publish_article"
    )
    return User.objects.filter(is_active=True).filter(perm | Q(is_superuser=True))
