"""Admin views of our own: the editor's image upload, preview, revisions."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from reversion.models import Version

from .. import body, images, text, workflow
from ..models import Article, ArticleAuthor, Photo
from ..services import store_photo_file, sync_photos
from ..views import render_article, with_page_parts


@require_POST
def photo_upload(request: HttpRequest) -> JsonResponse:
    """Take an image from the editor; it becomes a Photo row in the library.

    Staff with the right to add photos only; CSRF-checked by the middleware;
    the file is decoded by Pillow and refused, with nothing stored, unless it
    is a JPEG, PNG, WebP or GIF within the size and pixel limits.
    """
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("articles.add_photo")):
        return _upload_error(_("Bạn không có quyền tải ảnh lên."), 403)
    upload = request.FILES.get("upload")
    if upload is None:
        return _upload_error(_("Không nhận được tệp ảnh."), 400)
    photo = Photo()
    try:
        store_photo_file(photo, upload, upload.name)
    except images.ImageRejected as exc:
        return _upload_error(f"{upload.name}: {exc}", 400)
    photo.save()
    return JsonResponse({"url": body.editor_src(photo), "id": photo.pk})


def _upload_error(message: str, status: int) -> JsonResponse:
    # The shape CKEditor 5's upload adapter shows to the user.
    return JsonResponse({"error": {"message": message}}, status=status)


@never_cache
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Show any article exactly as its public page would, to staff only."""
    article = get_object_or_404(with_page_parts(Article.objects.all()), pk=pk)
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    return render_article(request, article, preview=True)


def _versions(article: Article):
    return (
        Version.objects.get_for_object(article)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created")
    )


def history(request: HttpRequest, pk: int, admin_site) -> HttpResponse:
    """List an article's revisions: who saved it, when; compare or restore."""
    article = get_object_or_404(Article, pk=pk)
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    context = {
        **admin_site.each_context(request),
        "title": _("Các phiên bản của “%(title)s”") % {"title": article.title},
        "article": article,
        "opts": Article._meta,
        "versions": _versions(article),
        "can_restore": workflow.can_edit(request.user, article),
    }
    return TemplateResponse(request, "admin/articles/article/versions.html", context)


COMPARED = (
    "title",
    "slug",
    "lead",
    "body",
    "location",
    "agency",
    "status",
    "published_at",
)


def compare(request: HttpRequest, pk: int, admin_site) -> HttpResponse:
    """Show what changed between two revisions, field by field."""
    article = get_object_or_404(Article, pk=pk)
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    versions = _versions(article)
    old = get_object_or_404(versions, pk=request.GET.get("a", "0"))
    new = get_object_or_404(versions, pk=request.GET.get("b", "0"))
    if old.revision.date_created > new.revision.date_created:
        old, new = new, old
    rows = []
    for name in COMPARED:
        before = _as_text(old.field_dict.get(name), name)
        after = _as_text(new.field_dict.get(name), name)
        if before != after:
            rows.append(
                {
                    "label": Article._meta.get_field(name).verbose_name,
                    "diff": _diff(before, after),
                }
            )
    context = {
        **admin_site.each_context(request),
        "title": _("So sánh hai phiên bản"),
        "article": article,
        "opts": Article._meta,
        "old": old,
        "new": new,
        "rows": rows,
    }
    return TemplateResponse(request, "admin/articles/article/compare.html", context)


def _as_text(value, name: str) -> str:
    if value is None:
        return ""
    if name == "body":
        # One line per block so that the diff reads paragraph by paragraph.
        return "\n".join(
            text.html_to_text(b.get("html", "")) or f"[{b.get('caption', '')}]"
            for b in body.to_blocks(value)
        )
    if name == "published_at":
        return text.format_datetime_vi(value)
    return str(value)


def _diff(before: str, after: str) -> str:
    """Return an HTML diff: removed words struck out, added words underlined."""
    a, b = before.split(" "), after.split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out).replace("\n", "<br>"))


@require_POST
def restore(request: HttpRequest, pk: int, version_id: int) -> HttpResponse:
    """Bring back the text of an earlier revision; status and schedule stay."""
    import reversion

    article = get_object_or_404(Article, pk=pk)
    if not workflow.can_edit(request.user, article):
        raise PermissionDenied
    version = get_object_or_404(_versions(article), pk=version_id)
    data = version.field_dict
    with transaction.atomic(), reversion.create_revision():
        article = Article.objects.select_for_update().get(pk=pk)
        for name in ("title", "slug", "lead", "body", "location", "agency"):
            setattr(article, name, data.get(name) or "")
        article.category_id = data.get("category", article.category_id)
        article.featured_photo_id = data.get("featured_photo")
        article.version += 1
        article.save()
        article.tags.set(data.get("tags", []))
        article.related.set(data.get("related", []))
        byline = [
            v.field_dict
            for v in version.revision.version_set.all()
            if v.content_type.model_class() is ArticleAuthor
        ]
        if byline:
            ArticleAuthor.objects.filter(article=article).delete()
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=article, author_id=b["author"], order=b["order"])
                for b in sorted(byline, key=lambda b: b["order"])
            )
        sync_photos(article)
        reversion.set_user(request.user)
        reversion.set_comment(
            _("Khôi phục phiên bản lưu lúc %(when)s")
            % {"when": text.format_datetime_vi(version.revision.date_created)}
        )
    messages.success(request, _("Đã khôi phục phiên bản cũ."))
    return redirect(reverse("admin:articles_article_change", args=[pk]))
