"""The desk in the admin: the panel of the change form, autosave, the edit
lock's heartbeat and take-over, the inbox, the photo picker's search."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import body, desk, services, text, workflow
from ..choices import Status
from ..models import Article, Correction, DeskNote, Photo
from ..photos.renditions import smallest_url
from ..search import words


def urls(wrap) -> list:
    return [
        path("tu-luu/", wrap(autosave), name="articles_article_autosave_new"),
        path("<int:pk>/tu-luu/", wrap(autosave), name="articles_article_autosave"),
        path("tu-luu/bo/", wrap(discard), name="articles_article_discard_new"),
        path("<int:pk>/tu-luu/bo/", wrap(discard), name="articles_article_discard"),
        path("<int:pk>/khoa/", wrap(heartbeat), name="articles_article_heartbeat"),
        path("<int:pk>/khoa/gianh/", wrap(take_over), name="articles_article_takeover"),
        path("<int:pk>/khoa/tha/", wrap(release), name="articles_article_release"),
        path("hop-thu/", wrap(inbox), name="articles_article_inbox"),
        path("anh/tim/", wrap(photo_search), name="articles_article_photo_search"),
    ]


def _article_for(request: HttpRequest, pk: int | None) -> Article | None:
    """The story being edited (``None``: a new one), if the user may edit it."""
    if pk is None:
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        return None
    article = get_object_or_404(Article, pk=pk)
    if not workflow.can_edit(request.user, article):
        raise PermissionDenied
    return article


# --- the change form's panel ----------------------------------------------------


def panel_context(request: HttpRequest, article: Article | None) -> dict:
    """What the change form shows around the fields: lock, working copy, desk."""
    user = request.user
    pk = article.pk if article is not None else None
    context = {
        "desk_steps": [
            (step, workflow.step_label(step)) for step in workflow.steps(user, article)
        ],
        "desk_notes": (
            list(article.desk_notes.select_related("user")) if article else []
        ),
        "desk_corrections": list(article.corrections.all()) if article else [],
        "desk_can_correct": bool(
            article
            and workflow.can_publish(user)
            and Article.objects.published().filter(pk=article.pk).exists()
        ),
        "correction_kinds": Correction.Kind.choices,
        "desk_autosave_url": reverse("admin:articles_article_autosave", args=[pk])
        if pk
        else reverse("admin:articles_article_autosave_new"),
        "desk_discard_url": reverse("admin:articles_article_discard", args=[pk])
        if pk
        else reverse("admin:articles_article_discard_new"),
        "desk_photo_search_url": reverse("admin:articles_article_photo_search"),
        "desk_autosave_seconds": settings.NEWSROOM_AUTOSAVE_SECONDS,
        "desk_restoring": "ban-tu-luu" in request.GET,
        "desk_local_key": f"toa-soan:{user.pk}:{pk or 'moi'}",
        "desk_updated": article.updated_at.isoformat() if article else "",
    }
    can_edit = workflow.can_edit(user, article)
    if article is not None and can_edit:
        page = secrets.token_hex(8)
        lock = desk.hold(user, article, page=page, opened=True)
        context.update(
            desk_lock=lock,
            desk_lock_page=page,
            desk_heartbeat_url=reverse("admin:articles_article_heartbeat", args=[pk]),
            desk_release_url=reverse("admin:articles_article_release", args=[pk]),
            desk_takeover_url=reverse("admin:articles_article_takeover", args=[pk]),
            desk_heartbeat_seconds=max(2, settings.NEWSROOM_LOCK_SECONDS // 4),
        )
    if can_edit and "ban-tu-luu" not in request.GET:
        copy = desk.working_copy(user, article)
        if copy is not None:
            context["desk_copy"] = copy
            context["desk_copy_at"] = text.format_time_vi(copy.saved_at)
    if article is not None and workflow.can_publish(user):
        context["desk_assignees"] = _assignees()
        context["desk_assigned"] = article.assigned_to_id
    return context


def _assignees():
    User = get_user_model()
    users = (
        User.objects.filter(is_active=True, is_staff=True)
        .order_by("first_name", "last_name", "username")
        .prefetch_related("groups")[:300]
    )
    return [(u.pk, desk.display_name(u)) for u in users]


def take_steps(request: HttpRequest, article: Article, step: str, note: str) -> None:
    """Take what the desk panel asked for with a save: the workflow step of the
    button pressed, a new assignee, and the note (with the step, else with the
    assignment, else on its own in the thread)."""
    user = request.user
    assignee = _new_assignee(request, article)
    if assignee is not False:
        services.assign(
            article=article, user=user, assignee=assignee, note="" if step else note
        )
    if step == "schedule":
        services.schedule(
            article=article, user=user, at=article.published_at, note=note
        )
        return
    if step == "correction":
        services.add_correction(
            article=article,
            user=user,
            kind=request.POST.get("dinh_chinh_loai", ""),
            note=request.POST.get("dinh_chinh", ""),
        )
        if note:
            services.add_note(article=article, user=user, note=note)
        return
    if step == workflow.SCHEDULE_AT_EMBARGO:
        services.schedule(
            article=article, user=user, at=article.embargo_until, note=note
        )
        return
    call = {
        "submit": services.submit_for_review,
        "return": services.return_to_reporter,
        "publish": services.publish,
        "unpublish": services.unpublish,
        "archive": services.archive,
    }.get(step)
    if call is not None:
        call(article=article, user=user, note=note)
    elif note and (step == "note" or assignee is False):
        services.add_note(article=article, user=user, note=note)


def _new_assignee(request: HttpRequest, article: Article):
    """The account the form assigns the story to (``None``: nobody), or
    ``False`` when the assignment does not change."""
    if "giao_cho" not in request.POST or not workflow.can_publish(request.user):
        return False
    value = request.POST.get("giao_cho") or ""
    wanted = int(value) if value.isdigit() else None
    if wanted == article.assigned_to_id:
        return False
    return get_user_model().objects.filter(pk=wanted).first() if wanted else None


# --- autosave -------------------------------------------------------------------


@require_POST
def autosave(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Keep the form as the user's working copy: not a save, not a revision."""
    article = _article_for(request, pk)
    copy = desk.keep_form(user=request.user, article=article, post=request.POST)
    if copy is None:
        return JsonResponse({"ok": False}, status=409)
    when = text.format_time_vi(copy.saved_at)
    return JsonResponse(
        {
            "ok": True,
            "at": when,
            "message": _("Đã tự lưu lúc %(when)s") % {"when": when},
        }
    )


@require_POST
def discard(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    article = _article_for(request, pk)
    desk.discard_working_copy(request.user, article)
    messages.info(request, _("Đã bỏ bản tự lưu."))
    if article is None:
        return redirect(reverse("admin:articles_article_add"))
    return redirect(reverse("admin:articles_article_change", args=[pk]))


# --- the edit lock ----------------------------------------------------------------


@require_POST
def heartbeat(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor page is still open: keep the lock, or learn who has the story."""
    article = _article_for(request, pk)
    page = request.POST.get("page", "")[:32]
    return JsonResponse(desk.hold(request.user, article, page=page).as_json())


@require_POST
def take_over(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_for(request, pk)
    desk.take_over(
        user=request.user,
        article=article,
        note=request.POST.get("ghi_chu_gianh") or request.POST.get("ghi_chu", ""),
    )
    messages.success(request, _("Bạn đã giành quyền sửa bài này."))
    return redirect(reverse("admin:articles_article_change", args=[pk]))


@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_for(request, pk)
    desk.release(request.user, article, page=request.POST.get("page", "")[:32])
    return JsonResponse({"ok": True})


# --- the inbox --------------------------------------------------------------------


def inbox(request: HttpRequest) -> HttpResponse:
    """Stories waiting for me, returned to me, assigned to me."""
    from django.contrib import admin

    user = request.user
    steps = (
        DeskNote.objects.exclude(step=DeskNote.Step.NOTE)
        .select_related("user")
        .order_by("-created_at", "-id")
    )
    stories = desk.inbox(user).prefetch_related(
        Prefetch("desk_notes", queryset=steps, to_attr="steps")
    )
    rows = []
    for article in stories[:200]:
        last = article.steps[0] if article.steps else None
        if article.assigned_to_id == user.pk:
            why = _("Giao cho tôi")
        elif article.status == Status.REVIEW:
            why = _("Chờ duyệt")
        else:
            why = _("Bị trả lại")
        rows.append({"article": article, "why": why, "last": last})
    context = {
        **admin.site.each_context(request),
        "title": _("Hộp thư của tôi"),
        "opts": Article._meta,
        "rows": rows,
    }
    return TemplateResponse(request, "admin/articles/article/inbox.html", context)


# --- the photo picker ---------------------------------------------------------------


def photo_search(request: HttpRequest) -> HttpResponse:
    """Library photos for the editor's picker, found with or without marks."""
    if not request.user.has_perm("articles.view_photo"):
        raise PermissionDenied
    photos = Photo.objects.exclude(image="").order_by("-created_at", "-pk")
    for word in words(request.GET.get("q", "")):
        photos = photos.filter(search_text__contains=word)
    found = [
        {
            "id": p.pk,
            "caption": p.caption,
            "credit": p.credit,
            # As the editor shows it: "Caption (Ảnh: credit)".
            "label": f"{p.caption} {text.credit_line(p.credit)}".strip(),
            "alt": p.alt_text,
            "thumb": smallest_url(p, 240),
            "src": body.editor_src(p),
            "size": f"{p.width}×{p.height}" if p.width else "",
        }
        for p in photos[:24]
    ]
    return JsonResponse({"photos": found})
