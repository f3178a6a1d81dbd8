"""Admin views of our own: preview, revisions (list, compare, restore)."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from reversion.models import Version

from .. import body, services, text, workflow
from ..models import Article, ArticleAuthor, Author, LiveEntry, Photo
from ..views import render_article, with_page_parts


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
    "category",
    "location",
    "agency",
    "tags",
    "related",
    "featured_photo",
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
    context = {
        **admin_site.each_context(request),
        "title": _("So sánh hai phiên bản"),
        "article": article,
        "opts": Article._meta,
        "old": old,
        "new": new,
        "rows": _changes(_snapshot(old), _snapshot(new)),
    }
    return TemplateResponse(request, "admin/articles/article/compare.html", context)


def _snapshot(version) -> dict[str, str]:
    """A revision as text, field by field, the byline and links included."""
    data = version.field_dict
    attname = {name: Article._meta.get_field(name).attname for name in COMPARED}
    shown = {name: _as_text(data.get(attname[name]), name) for name in COMPARED}
    byline = sorted(
        (
            v.field_dict
            for v in version.revision.version_set.all()
            if v.content_type.model_class() is ArticleAuthor
        ),
        key=lambda b: b["order"],
    )
    names = Author.objects.in_bulk([b["author_id"] for b in byline])
    shown["authors"] = ", ".join(
        names[b["author_id"]].name for b in byline if b["author_id"] in names
    )
    return shown


def _current(article: Article) -> dict[str, str]:
    """The article as it is now, in the shape of :func:`_snapshot`."""
    shown = {name: _as_text(getattr(article, name), name) for name in COMPARED}
    shown["authors"] = ", ".join(a.name for a in article.byline)
    return shown


def _changes(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    rows = []
    for name in (*COMPARED, "authors"):
        if before[name] != after[name]:
            label = Article._meta.get_field(name).verbose_name
            rows.append({"label": label, "diff": _diff(before[name], after[name])})
    return rows


def _as_text(value, name: str) -> str:
    """Return a field's value as the comparison shows it."""
    value = _named(value, name)
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


def _named(value, name: str):
    """Give ids their names: a section, a photo, tags and related stories."""
    from ..models import Category, Photo, Tag

    model = {
        "category": Category,
        "featured_photo": Photo,
        "tags": Tag,
        "related": Article,
    }.get(name)
    if model is None or value is None:
        return value
    if hasattr(value, "all"):  # a related manager: the article as it is now
        return ", ".join(sorted(str(o) for o in value.all()))
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, list):
        return ", ".join(sorted(str(o) for o in model.objects.filter(pk__in=value)))
    found = model.objects.filter(pk=value).first()
    return str(found) if found else ""


def _diff(before: str, after: str) -> str:
    """Return an HTML diff: removed words struck out, added words underlined."""
    # A line break is a word of its own, so a new paragraph shows as added.
    a = before.replace("\n", " \n ").split(" ")
    b = after.replace("\n", " \n ").split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out).replace(" \n ", "<br>").replace("\n", "<br>"))


def restore(request: HttpRequest, pk: int, version_id: int, admin_site) -> HttpResponse:
    """Ask, then bring back an earlier revision; status and schedule stay."""
    article = get_object_or_404(Article.objects.with_byline(), pk=pk)
    if not workflow.can_edit(request.user, article):
        raise PermissionDenied
    version = get_object_or_404(_versions(article), pk=version_id)
    if request.method == "POST":
        try:
            services.restore_revision(
                article=article, version=version, user=request.user
            )
        except services.PermissionRefused:
            raise PermissionDenied from None
        messages.success(request, _("Đã khôi phục phiên bản cũ."))
        return redirect(reverse("admin:articles_article_change", args=[pk]))
    saved_at = text.format_datetime_vi(version.revision.date_created)
    context = {
        **admin_site.each_context(request),
        "title": _("Khôi phục phiên bản lưu lúc %(when)s?") % {"when": saved_at},
        "article": article,
        "opts": Article._meta,
        "version": version,
        "rows": _changes(_current(article), _snapshot(version)),
    }
    return TemplateResponse(request, "admin/articles/article/restore.html", context)


def live(request: HttpRequest, pk: int, admin_site) -> HttpResponse:
    """Add entries to a live story and list them; several editors at once.

    No edit lock and no form of the whole story: each entry is its own row
    (:func:`articles.services.add_live_entry`).
    """
    article = get_object_or_404(Article, pk=pk)
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    error = ""
    form = {
        "kind": LiveEntry.Kind.TEXT,
        "text": "",
        "quote_by": "",
        "photo": "",
        "url": "",
    }
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        photo = None
        if form["photo"].isdigit():
            photo = Photo.objects.filter(pk=int(form["photo"])).first()
        try:
            services.add_live_entry(
                article=article,
                user=request.user,
                kind=form["kind"],
                text_value=form["text"],
                quote_by=form["quote_by"],
                photo=photo,
                url=form["url"],
            )
        except services.PermissionRefused as exc:
            raise PermissionDenied(exc.message) from exc
        except services.ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã thêm diễn biến: bạn đọc thấy ngay."))
            return redirect(reverse("admin:articles_article_live", args=[pk]))
    context = {
        **admin_site.each_context(request),
        "title": _("Tường thuật trực tiếp: “%(title)s”") % {"title": article.title},
        "article": article,
        "opts": Article._meta,
        "kinds": LiveEntry.Kind.choices,
        "form": form,
        "error": error,
        "entries": list(
            article.live_entries.select_related("created_by").order_by(
                "-created_at", "-id"
            )[:200]
        ),
    }
    return TemplateResponse(request, "admin/articles/article/live.html", context)
