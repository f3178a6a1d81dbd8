"""Every write of an article, and nothing else writes one.

The admin's form and bulk actions, restoring a revision, the importer,
management commands and tests all call these keyword-only functions. Each
checks the user's right inside (``user=None`` is the system itself: an
import, a command), runs in one transaction and keeps a revision saying who
did what and why. Caches move once the transaction has committed
(:mod:`articles.signals`).

Only here is a status, a publication time or a byline set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import reversion
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom import edge, pagecache

from . import body, bulk, desk, sanitize, text, workflow
from .choices import Status
from .models import (
    Article,
    ArticleAuthor,
    ArticlePhoto,
    Author,
    Category,
    Correction,
    DeskNote,
    FrontPin,
    LiveEntry,
    Photo,
    PlannedItem,
    Tag,
)

# Revisions hold the article with its ordered byline, and its version number:
# a refused concurrent save finds there the version its form was opened at.
reversion.register(Article, follow=["articleauthor_set"])
reversion.register(ArticleAuthor)
reversion.register(FrontPin)


class ServiceError(Exception):
    """A write that was refused, with the reason in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionRefused(ServiceError):
    """The user may not make this change."""


class StaleEdit(ServiceError):
    """Someone else saved the article since the form was opened."""

    def __init__(self, current: int) -> None:
        super().__init__(
            _(
                "Bài này vừa được người khác lưu (phiên bản %(current)s) trong lúc "
                "bạn sửa."
            )
            % {"current": current}
        )
        self.current = current


# --- rules ------------------------------------------------------------------


def publication_time(status: str, published_at):
    """Return when a story is published: a published story without a time is now."""
    if status == Status.PUBLISHED and published_at is None:
        return timezone.now()
    return published_at


def _check(user, stored: Article | None, status: str) -> None:
    """Refuse what ``user`` may not do to the stored article (``None``: a new one)."""
    if user is None:
        return
    if stored is None:
        if not user.has_perm("articles.add_article"):
            raise PermissionRefused(_("Bạn không có quyền viết bài."))
    elif not workflow.can_edit(user, stored):
        raise PermissionRefused(_("Bạn không có quyền sửa bài này."))
    reason = workflow.check_status_change(user, stored, status)
    if reason:
        raise PermissionRefused(reason)


def _check_embargo(article: Article) -> None:
    """Refuse a publication time before the story's embargo, whoever asks."""
    refusal = workflow.embargo_refusal(
        article.status, article.published_at, article.embargo_until
    )
    if refusal:
        raise ServiceError(refusal)


def _require_publisher(user) -> None:
    if user is not None and not workflow.can_publish(user):
        raise PermissionRefused(
            _("Bạn không có quyền xuất bản, hẹn giờ hay lưu trữ bài.")
        )


@contextmanager
def _revision(user, comment: str):
    """One transaction and one revision: who, when, why."""
    with transaction.atomic(), reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(str(comment))
        yield


def _record(article: Article) -> None:
    """Put the article as it now stands in the revision, byline included.

    django-reversion serializes an object when it is saved; the byline and
    links written after that save would otherwise be missing.
    """
    reversion.add_to_revision(article)


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


# --- create and update --------------------------------------------------------


def save_article(
    *,
    article: Article,
    user=None,
    tags: Iterable[Tag] | None = None,
    related: Iterable[Article] | None = None,
    byline: Sequence[Author] | None = None,
    expected_version: int | None = None,
    photos_added: Sequence[Photo] = (),
    photos_removed: Iterable[int] = (),
    editor_photos: Sequence[dict] = (),
    comment: str | None = None,
) -> Article:
    """Create or update an article from validated data.

    ``article`` carries the new field values (a bound form's instance, or a
    new ``Article``). ``tags``, ``related`` and ``byline`` replace what the
    article had when given. ``expected_version`` is the version the editor
    opened: a save over someone else's newer one raises :class:`StaleEdit`.
    Photos added in the photo list go at the end of the body, removed ones
    leave it; ``editor_photos`` (what :func:`body.from_editor` read) fill the
    library's empty captions.
    """
    adding = article.pk is None
    default = _("Tạo bài") if adding else _("Sửa bài")
    with _revision(user, comment or default):
        if adding:
            _check(user, None, article.status)
            if user is not None and article.created_by_id is None:
                article.created_by = user
        else:
            stored = _locked(article)
            _check(user, stored, article.status)
            if expected_version is not None and expected_version != stored.version:
                raise StaleEdit(stored.version)
            article.version = stored.version + 1
            _note_revision(_read_text(stored), article)
        article.published_at = publication_time(article.status, article.published_at)
        _check_embargo(article)
        article.body = _edit_body_photos(article.body, photos_added, photos_removed)
        article.save()
        if tags is not None:
            article.tags.set(tags)
        if related is not None:
            article.related.set([r for r in related if r.pk != article.pk])
        if byline is not None:
            _set_byline(article, byline)
        if tags is not None or byline is not None:
            _index_names(article)
        fill_photo_blanks(editor_photos)
        sync_photos(article)
        _record(article)
        # Saved: the user's unsaved copy of this story has served its turn.
        desk.discard_working_copy(user, article)
        if adding:
            desk.discard_working_copy(user, None)
    return article


# What readers read: a change to one of these after publication is an update.
READ_TEXT = ("title", "lead", "body")


def _read_text(source) -> list[str]:
    values = [text.clean_line(getattr(source, f) or "") for f in READ_TEXT[:2]]
    return [*values, sanitize.clean_html(text.nfc(source.body or ""))]


def _note_revision(before: list[str], article: Article) -> None:
    """Date a change of the text of a story readers can already read.

    ``before`` is :func:`_read_text` of the stored story; whether readers
    see it is ``published()``'s to say (asked before the write).
    """
    if before != _read_text(article) and (
        Article.objects.published().filter(pk=article.pk).exists()
    ):
        article.revised_at = timezone.now()


def attach_photos(*, article: Article, photos: Sequence[Photo], user=None) -> Article:
    """Put library photos into a story, at the end of its body with their captions."""
    current = Article.objects.get(pk=article.pk)
    return save_article(
        article=current, user=user, photos_added=photos, comment=_("Thêm ảnh")
    )


def detach_photo(*, article: Article, photo: Photo, user=None) -> Article:
    """Take a photo out of a story: its figure leaves the body, and it is no
    longer the featured photo."""
    current = Article.objects.get(pk=article.pk)
    if current.featured_photo_id == photo.pk:
        current.featured_photo = None
    return save_article(
        article=current, user=user, photos_removed=[photo.pk], comment=_("Bỏ ảnh")
    )


def _index_names(article: Article) -> None:
    """Let search find the story by its tags' and authors' names (as stored)."""
    authors = Author.objects.filter(articleauthor__article=article).order_by(
        "articleauthor__order"
    )
    before = article.search_names
    article.set_search_names(article.tags.all(), authors)
    if article.search_names != before:
        article.search_text = article.folded_text()
        Article.objects.filter(pk=article.pk).update(
            search_names=article.search_names, search_text=article.search_text
        )


def _set_byline(article: Article, authors: Sequence[Author]) -> None:
    ArticleAuthor.objects.filter(article=article).delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=a, order=i)
        for i, a in enumerate(dict.fromkeys(authors))
    )


def _edit_body_photos(
    markup: str, added: Sequence[Photo], removed: Iterable[int]
) -> str:
    for photo_id in removed:
        markup = body.remove_photo(markup, photo_id)
    in_body = set(body.photo_ids(markup))
    # A photo may come with the caption this story gives it (``use_caption``).
    return markup + "".join(
        body.photo_figure(
            p.pk,
            getattr(p, "use_caption", None) or p.caption,
            getattr(p, "use_credit", None) or p.credit,
        )
        for p in added
        if p.pk not in in_body
    )


def move_to_section(*, article: Article, user=None, category: Category) -> Article:
    """Move a story to another section; its slug stays unless taken there."""
    with _revision(user, _("Chuyển sang “%(name)s”") % {"name": category.name}):
        stored = _locked(article)
        _check(user, stored, stored.status)
        stored.category = category
        if (
            Article.objects.filter(category=category, slug=stored.slug)
            .exclude(pk=stored.pk)
            .exists()
        ):
            stored.slug = stored.make_slug()
        stored.version += 1
        stored.save()
    return stored


# --- the workflow -------------------------------------------------------------


def _transition(
    article, user, status, step, note="", *, published_at=None, comment=None
) -> Article:
    """Move a story to ``status``; the note goes into the revision and the thread."""
    note = text.clean_line(note)
    label = comment or DeskNote.Step(step).label
    with _revision(user, f"{label}: {note}" if note else label):
        stored = _locked(article)
        _check(user, stored, status)
        stored.status = status
        if published_at is not None:
            stored.published_at = published_at
        stored.published_at = publication_time(status, stored.published_at)
        until = stored.embargo_until
        now = timezone.now()
        if (
            step == DeskNote.Step.PUBLISH
            and until
            and stored.published_at < until <= now
        ):
            # Published once its embargo is over: it went out now, not at a
            # time from before the embargo (the agency's, say).
            stored.published_at = now
        _check_embargo(stored)
        stored.version += 1
        stored.save()
        DeskNote.objects.create(article=stored, user=user, step=step, text=note)
        _tell(stored, user, step, note)
    return stored


def _tell(article: Article, user, step: str, note: str) -> None:
    """E-mail whom a step concerns: the desk for a submission, else the reporter."""
    name = desk.display_name(user)
    subjects = {
        DeskNote.Step.SUBMIT: _("%(name)s gửi duyệt bài “%(title)s”"),
        DeskNote.Step.RETURN: _("%(name)s trả lại bài “%(title)s”"),
        DeskNote.Step.PUBLISH: _("%(name)s đã xuất bản bài “%(title)s”"),
        DeskNote.Step.SCHEDULE: _("%(name)s đã hẹn giờ bài “%(title)s”"),
        DeskNote.Step.UNPUBLISH: _("%(name)s đã gỡ bài “%(title)s”"),
    }
    if step not in subjects:
        return
    if step == DeskNote.Step.SUBMIT:
        to = [article.assigned_to] if article.assigned_to else list(desk.publishers())
    else:
        to = [article.created_by]
    to = [u for u in to if u is not None and (user is None or u.pk != user.pk)]
    subject = subjects[step] % {"name": name, "title": article.title}
    desk.notify(to, subject, article, note)


def submit_for_review(*, article: Article, user=None, note: str = "") -> Article:
    """Send a story to the desk for review, with a note to the desk."""
    return _transition(article, user, Status.REVIEW, DeskNote.Step.SUBMIT, note)


def return_to_reporter(*, article: Article, user=None, note: str = "") -> Article:
    """Send a story in review back to its reporter as a draft, saying why."""
    _require_publisher(user)
    return _transition(article, user, Status.DRAFT, DeskNote.Step.RETURN, note)


def publish(*, article: Article, user=None, note: str = "") -> Article:
    """Publish a story: at its set time if it has one, else now."""
    _require_publisher(user)
    return _transition(article, user, Status.PUBLISHED, DeskNote.Step.PUBLISH, note)


def schedule(*, article: Article, user=None, at, note: str = "") -> Article:
    """Publish a story at a future time; it appears by itself then."""
    _require_publisher(user)
    if at <= timezone.now():
        raise ServiceError(
            _("Thời điểm hẹn giờ %(when)s đã qua.")
            % {"when": text.format_datetime_vi(at)}
        )
    comment = _("Hẹn giờ xuất bản lúc %(when)s") % {"when": text.format_datetime_vi(at)}
    return _transition(
        article,
        user,
        Status.PUBLISHED,
        DeskNote.Step.SCHEDULE,
        note,
        published_at=at,
        comment=comment,
    )


def unpublish(*, article: Article, user=None, note: str = "") -> Article:
    """Take a story off the site, back to a draft."""
    _require_publisher(user)
    return _transition(
        article,
        user,
        Status.DRAFT,
        DeskNote.Step.UNPUBLISH,
        note,
        comment=_("Gỡ bài, trả về bản nháp"),
    )


def archive(*, article: Article, user=None, note: str = "") -> Article:
    """Take a story off the site and keep it in the archive."""
    _require_publisher(user)
    return _transition(article, user, Status.ARCHIVED, DeskNote.Step.ARCHIVE, note)


def add_correction(*, article: Article, user=None, kind: str, note: str) -> Correction:
    """Add a dated "Đính chính" or "Cập nhật" to a story readers can read.

    The story's text stays as it is: readers see the note with its time, and
    the story's modification time (``dateModified``) is the note's. The
    revision history records it, with who wrote it.
    """
    _require_publisher(user)
    note = text.clean_line(note)
    if kind not in Correction.Kind.values:
        raise ServiceError(_("Loại ghi chú không hợp lệ."))
    if not note:
        raise ServiceError(_("Hãy viết nội dung đính chính hoặc cập nhật."))
    label = Correction.Kind(kind).label
    with _revision(user, f"{label}: {note}"):
        stored = _locked(article)
        if not Article.objects.published().filter(pk=stored.pk).exists():
            raise ServiceError(
                _("Chỉ thêm đính chính hay cập nhật cho bài bạn đọc đang đọc được.")
            )
        correction = Correction.objects.create(
            article=stored, kind=kind, text=note, created_by=user
        )
        stored.revised_at = correction.created_at
        stored.version += 1
        stored.save()
        DeskNote.objects.create(
            article=stored, user=user, step=DeskNote.Step.NOTE, text=f"{label}: {note}"
        )
        _record(stored)
    return correction


# --- the planning board ("Lịch biên tập") ----------------------------------------


def start_from_plan(*, item: PlannedItem, user=None) -> Article:
    """Turn a planned item into a draft when its reporter starts writing.

    The draft is the assigned reporter's own (they edit it as theirs), in the
    item's section, titled with its slug line, the notes in its desk thread.
    Nothing is published: planned is not scheduled.
    """
    if item.article_id is not None:
        raise ServiceError(_("Đề tài này đã có bài."))
    if item.category_id is None:
        raise ServiceError(_("Hãy chọn chuyên mục cho đề tài trước khi viết."))
    if user is not None and not (
        workflow.can_publish(user) or item.assignee_id in (None, user.pk)
    ):
        raise PermissionRefused(_("Đề tài này đã giao cho người khác."))
    with transaction.atomic():
        item = PlannedItem.objects.select_for_update().get(pk=item.pk)
        if item.article_id is not None:
            raise ServiceError(_("Đề tài này đã có bài."))
        writer = item.assignee or user
        article = Article(
            title=item.slugline, category=item.category, status=Status.DRAFT
        )
        article.created_by = writer
        save_article(
            article=article,
            user=user,
            comment=_("Bắt đầu viết từ lịch biên tập: %(slug)s")
            % {"slug": item.slugline},
        )
        if item.assignee_id and item.assignee_id != getattr(user, "pk", None):
            Article.objects.filter(pk=article.pk).update(assigned_to=item.assignee)
        if item.notes:
            DeskNote.objects.create(
                article=article, user=user, text=text.clean_line(item.notes)
            )
        item.article = article
        item.save(update_fields=["article"])
    return article


# --- live coverage ("Tường thuật trực tiếp") -----------------------------------


def add_live_entry(
    *,
    article: Article,
    user=None,
    kind: str,
    text_value: str = "",
    quote_by: str = "",
    photo: Photo | None = None,
    url: str = "",
) -> LiveEntry:
    """Add a timestamped entry to a live story; readers' pages show it by themselves.

    Editors, and the story's own reporter, add entries at once, side by side:
    each entry is a row of its own, so no one holds the story.
    """
    if user is not None and not (
        workflow.can_publish(user) or article.created_by_id == user.pk
    ):
        raise PermissionRefused(
            _("Chỉ biên tập viên và phóng viên của bài thêm được diễn biến.")
        )
    if article.live_started_at is None:
        raise ServiceError(_("Bài này không phải tường thuật trực tiếp."))
    if kind not in LiveEntry.Kind.values:
        raise ServiceError(_("Loại diễn biến không hợp lệ."))
    text_value = text.nfc(text_value or "").strip()
    url = (url or "").strip()
    if kind in (LiveEntry.Kind.TEXT, LiveEntry.Kind.QUOTE) and not text_value:
        raise ServiceError(_("Hãy viết nội dung diễn biến."))
    if kind == LiveEntry.Kind.PHOTO and (photo is None or not photo.image):
        raise ServiceError(_("Hãy chọn một ảnh đã có tệp trong thư viện."))
    if kind == LiveEntry.Kind.EMBED and not url.startswith(("https://", "http://")):
        raise ServiceError(_("Hãy dán địa chỉ http(s) của bài đăng."))
    with transaction.atomic():
        entry = LiveEntry.objects.create(
            article=article,
            kind=kind,
            text=text_value,
            quote_by=text.clean_line(quote_by),
            photo=photo if kind == LiveEntry.Kind.PHOTO else None,
            url=url[:1000] if kind == LiveEntry.Kind.EMBED else "",
            created_by=user,
        )
    return entry


# --- the front page ("Sắp xếp trang chủ") ---------------------------------------


def _pin_label(pin: FrontPin) -> str:
    where = pin.get_place_display()
    if pin.category_id:
        where = f"{where} {pin.category.name}"
    return _("Sắp xếp trang chủ: %(where)s – %(title)s") % {
        "where": where,
        "title": pin.article.title,
    }


def save_pin(*, pin: FrontPin, user=None) -> FrontPin:
    """Put a story in a place of the front page: a revision of its own.

    It shows on the next page built (the arrangement moves with the content
    generation, after the commit).
    """
    _require_publisher(user)
    if (pin.place == FrontPin.Place.SECTION) != (pin.category_id is not None):
        raise ServiceError(
            _("Chỉ vị trí “Tin đầu chuyên mục” có chuyên mục, và nó cần một.")
        )
    with _revision(user, _pin_label(pin)):
        pin.save()
    return pin


def remove_pin(*, pin: FrontPin, user=None) -> None:
    """Take a story out of its place: the place falls back to the newest."""
    _require_publisher(user)
    label = _("Bỏ ghim: %(what)s") % {"what": _pin_label(pin)}
    with _revision(user, label):
        pin.delete()


def add_note(*, article: Article, user, note: str) -> DeskNote:
    """Write a line in the story's desk thread (no change to the story)."""
    note = text.clean_line(note)
    if not note:
        raise ServiceError(_("Ghi chú trống."))
    if user is not None and not workflow.can_see(user, article):
        raise PermissionRefused(_("Bạn không có quyền xem bài này."))
    return DeskNote.objects.create(article=article, user=user, text=note)


def assign(*, article: Article, user, assignee, note: str = "") -> Article:
    """Give the story to someone on the desk (``None``: nobody), and tell them."""
    _require_publisher(user)
    note = text.clean_line(note)
    if assignee is not None and not workflow.can_edit(assignee, article):
        raise ServiceError(
            _("%(name)s không có quyền sửa bài này.")
            % {"name": desk.display_name(assignee)}
        )
    who = desk.display_name(assignee) if assignee else _("không ai")
    label = _("Giao bài cho %(name)s") % {"name": who}
    with _revision(user, f"{label}: {note}" if note else label):
        stored = _locked(article)
        stored.assigned_to = assignee
        stored.version += 1
        stored.save()
        DeskNote.objects.create(
            article=stored,
            user=user,
            step=DeskNote.Step.ASSIGN,
            text=label if not note else f"{label}: {note}",
        )
        if assignee is not None and (user is None or assignee.pk != user.pk):
            desk.notify(
                [assignee],
                _("%(name)s giao cho bạn bài “%(title)s”")
                % {"name": desk.display_name(user), "title": stored.title},
                stored,
                note,
            )
    return stored


# --- revisions ----------------------------------------------------------------

RESTORED_FIELDS = ("title", "lead", "body", "location", "agency")


def restore_revision(*, article: Article, version, user=None) -> Article:
    """Bring back an earlier revision of a story; its status and schedule stay.

    Title, slug, lead, body, section, location, agency, byline in order,
    tags, related stories, photos (from the body) and featured photo come
    back as they were; what has been deleted since (a section, an author,
    a photo) is left out rather than invented.
    """
    data = version.field_dict
    saved_at = text.format_datetime_vi(version.revision.date_created)
    comment = _("Khôi phục phiên bản lưu lúc %(when)s") % {"when": saved_at}
    byline_ids = [
        v.field_dict
        for v in version.revision.version_set.all()
        if v.content_type.model_class() is ArticleAuthor
    ]
    byline_ids = [b["author_id"] for b in sorted(byline_ids, key=lambda b: b["order"])]
    with _revision(user, comment):
        stored = _locked(article)
        _check(user, stored, stored.status)
        before = _read_text(stored)
        for name in RESTORED_FIELDS:
            setattr(stored, name, data.get(name) or "")
        if Category.objects.filter(pk=data.get("category_id")).exists():
            stored.category_id = data["category_id"]
        photo_ids = [*body.photo_ids(stored.body), data.get("featured_photo_id")]
        present = set(
            Photo.objects.filter(pk__in=photo_ids).values_list("pk", flat=True)
        )
        for gone in set(body.photo_ids(stored.body)) - present:
            stored.body = body.remove_photo(stored.body, gone)
        featured = data.get("featured_photo_id")
        stored.featured_photo_id = featured if featured in present else None
        slug = data.get("slug") or ""
        clash = (
            Article.objects.filter(category_id=stored.category_id, slug=slug)
            .exclude(pk=stored.pk)
            .exists()
        )
        stored.slug = "" if clash or not slug else slug
        _note_revision(before, stored)
        stored.version += 1
        stored.save()
        stored.tags.set(Tag.objects.filter(pk__in=data.get("tags", [])))
        stored.related.set(
            Article.objects.filter(pk__in=data.get("related", [])).exclude(pk=stored.pk)
        )
        authors = Author.objects.in_bulk(byline_ids)
        _set_byline(stored, [authors[i] for i in byline_ids if i in authors])
        _index_names(stored)
        sync_photos(stored)
        _record(stored)
    return stored


# --- imports ------------------------------------------------------------------


@dataclass
class Imported:
    """An article as an importer resolved it: the row and what hangs on it.

    ``article`` has its text fields filled (a new row, or the matched one
    with the new values); the names are already rows of the database.
    Without a status an import is a draft: wire copy is reviewed before it
    goes out.
    """

    article: Article
    status: str | None = None
    published_at: dt.datetime | None = None
    # The source's own "updated" time, when it says the text changed later.
    revised_at: dt.datetime | None = None
    authors: list[Author] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)


def save_imported(items: Sequence[Imported]) -> list[Article]:
    """Write imported articles, new or replacing, with a fixed number of queries.

    One function for one article and for a batch: new rows are inserted in
    bulk, matched rows are rewritten one by one (their byline, tags and
    photo list replaced). The caller holds the transaction; slugs are set
    by the caller, who knows the slugs taken in the batch.
    """
    new, old = [], []
    for item in items:
        article = item.article
        article.status = item.status or Status.DRAFT
        article.published_at = publication_time(article.status, item.published_at)
        embargo = article.embargo_until
        if embargo and article.status == Status.PUBLISHED:
            # Wire copy under embargo goes out at its embargo time, not before.
            article.published_at = max(article.published_at, embargo)
        revised = item.revised_at
        article.revised_at = (
            revised
            if revised and article.published_at and revised > article.published_at
            else None
        )
        article.featured_photo = item.photos[0] if item.photos else None
        article.set_search_names(item.tags, item.authors)
        (old if article.pk else new).append(article)
    for article in new:
        article.prepare()
    bulk.insert(Article, new)
    for article in old:
        article.version += 1
        article.save()
    if old:
        ids = [a.pk for a in old]
        ArticleAuthor.objects.filter(article_id__in=ids).delete()
        Article.tags.through.objects.filter(article_id__in=ids).delete()
        ArticlePhoto.objects.filter(article_id__in=ids).delete()
    bylines, tags, photos = [], [], []
    for item in items:
        pk = item.article.pk
        bylines += [(pk, a.pk, i) for i, a in enumerate(dict.fromkeys(item.authors))]
        tags += [(pk, t.pk) for t in dict.fromkeys(item.tags)]
        photos += [(pk, p.pk, i) for i, p in enumerate(item.photos)]
    bulk.insert_rows(ArticleAuthor, ["article", "author", "order"], bylines)
    bulk.insert_rows(Article.tags.through, ["article", "tag"], tags)
    bulk.insert_rows(ArticlePhoto, ["article", "photo", "order"], photos)
    pagecache.content_changed()  # bulk inserts send no signals
    edge.purge_after_commit((), [item.article.pk for item in items])
    return [item.article for item in items]


def link_related(*, links: Iterable[tuple[int, int]], replacing: Sequence[int] = ()):
    """Write "Xem thêm" links (from, to) an import found; ``replacing`` lose theirs.

    The caller holds the transaction; a link already there is left as it is.
    """
    Related = Article.related.through
    if replacing:
        Related.objects.filter(from_article_id__in=replacing).delete()
    Related.objects.bulk_create(
        [Related(from_article_id=a, to_article_id=b) for a, b in links],
        ignore_conflicts=True,
    )
    pagecache.content_changed()  # bulk writes send no signals
    edge.purge_after_commit((), {a for a, _ in links} | set(replacing))


# --- photos of a story ----------------------------------------------------------


def sync_photos(article: Article) -> None:
    """Make the article's photo list the photos of its body and its featured photo.

    A fixed number of queries whatever the number of photos.
    """
    wanted = list(dict.fromkeys(body.photo_ids(article.body)))
    if article.featured_photo_id and article.featured_photo_id not in wanted:
        wanted.append(article.featured_photo_id)
    existing = set(Photo.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    order = {pid: i for i, pid in enumerate(p for p in wanted if p in existing)}
    ArticlePhoto.objects.filter(article=article).exclude(photo_id__in=order).delete()
    links = list(ArticlePhoto.objects.filter(article=article))
    moved = [link for link in links if link.order != order[link.photo_id]]
    for link in moved:
        link.order = order[link.photo_id]
    ArticlePhoto.objects.bulk_update(moved, ["order"])
    have = {link.photo_id for link in links}
    ArticlePhoto.objects.bulk_create(
        ArticlePhoto(article=article, photo_id=pid, order=i)
        for pid, i in order.items()
        if pid not in have
    )


def fill_photo_blanks(found: Sequence[dict]) -> None:
    """Fill photos' empty caption, credit and alt text from what an editor typed.

    ``found`` is what :func:`body.from_editor` read under each image; a value
    already in the library is never overwritten.
    """
    if not found:
        return
    photos = Photo.objects.in_bulk([f["id"] for f in found])
    changed = {}
    for item in found:
        photo = photos.get(item["id"])
        if photo is None:
            continue
        for name, key in (
            ("caption", "caption"),
            ("credit", "credit"),
            ("alt_text", "alt"),
        ):
            if item[key] and not getattr(photo, name):
                setattr(photo, name, item[key])
                changed[photo.pk] = photo
    for photo in changed.values():
        photo.prepare()  # bulk updates skip save(): keep the folded search text
    Photo.objects.bulk_update(
        changed.values(), ["caption", "credit", "alt_text", "search_text"]
    )


def refresh_statistics() -> None:
    """Let the database planner know what a bulk write brought.

    SQLite has no autovacuum to gather statistics; without them its planner
    may walk a large index where a small one would do (measured: a related-
    stories query went from 9 ms to 0.2 ms). PostgreSQL's autovacuum comes
    by only after its nap, a minute or more; until then a fresh archive's
    broad search ("cải cách" on 10,000 stories) was planned as a rare one:
    59-118 ms of SQL instead of 16-21. So the tables of this app are
    analysed here, on either database.
    """
    from django.apps import apps

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = sorted(
                {
                    model._meta.db_table
                    for model in apps.get_app_config("articles").get_models(
                        include_auto_created=True
                    )
                    if model._meta.managed and not model._meta.proxy
                }
            )
            qn = connection.ops.quote_name
            cursor.execute("ANALYZE " + ", ".join(qn(t) for t in tables))
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
