"""A save that meets an expired session or a refused token loses nothing.

An expired session: :class:`RescueMiddleware` keeps the posted article form
in the new (anonymous) session before the admin sends the user to log in;
it does so for a browser that still sends its old session cookie or the
desk's own cookie (set for staff in the admin, it outlives the session:
a browser drops the session cookie when the session ends, and Django
deletes it on the first request after, such as the lock's heartbeat);
Django's login keeps the session's data, and when the user comes back to the
form :func:`pick_up` turns it into their working copy, offered at the top.

A refused CSRF token (the user logged in again in another tab):
:func:`csrf_failure` is the admin's own page in Vietnamese. When the request
came from this site's own page (its Origin or Referer is this host) the
posted form becomes the user's working copy; the page links back to it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import desk, workflow
from ..models import Article

SESSION_KEY = "toa_soan_ban_cuu"
_ADMIN = "/" + settings.NEWSROOM_ADMIN_PATH
_FORM_PATH = re.compile(
    r"^/"
    + re.escape(settings.NEWSROOM_ADMIN_PATH)
    + r"articles/article/(?:(\d+)/change|add)/$"
)
# "This browser is someone's desk": set for staff on admin pages, sent only
# to them, carrying nothing else; it lets a save after the session's end be kept.
DESK_COOKIE = "toa_soan_ban"
DESK_COOKIE_SECONDS = 180 * 24 * 3600
# A session holds at most this much of a rescued form (a long story's body is
# a tenth of it).
MAX_BYTES = 1024 * 1024


def _article_id(path: str) -> tuple[bool, int | None]:
    match = _FORM_PATH.match(path)
    if match is None:
        return False, None
    return True, int(match.group(1)) if match.group(1) else None


def _form_data(request: HttpRequest) -> dict:
    return {k: v for k, v in request.POST.lists() if k not in ("csrfmiddlewaretoken",)}


class RescueMiddleware:
    """Keep an article form posted by someone whose session has expired."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if DESK_COOKIE not in request.COOKIES and request.path.startswith(_ADMIN):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.is_staff:
                response.set_cookie(
                    DESK_COOKIE,
                    "1",
                    max_age=DESK_COOKIE_SECONDS,
                    path=_ADMIN,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        return response

    def process_view(self, request, view, args, kwargs):
        if request.method != "POST" or request.user.is_authenticated:
            return None
        is_form, pk = _article_id(request.path)
        # Only a browser that had a session (now expired) gets one kept.
        had_session = (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or DESK_COOKIE in request.COOKIES
        )
        if not is_form or not had_session or "title" not in request.POST:
            return None
        data = _form_data(request)
        if sum(len(str(v)) for v in data.values()) > MAX_BYTES:
            return None
        request.session[SESSION_KEY] = {
            "path": request.path,
            "article": pk,
            "data": data,
            "at": timezone.now().isoformat(),
        }
        messages.warning(
            request,
            _(
                "Phiên đăng nhập đã hết hạn nên bài chưa được lưu. Phần bạn viết "
                "được giữ lại: đăng nhập lại để tiếp tục."
            ),
        )
        return None


def pick_up(request: HttpRequest) -> None:
    """Turn a form kept at login into the user's working copy of that story."""
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("path") != request.path:
        return
    del request.session[SESSION_KEY]
    pk = kept.get("article")
    article = Article.objects.filter(pk=pk).first() if pk is not None else None
    if (pk is not None and article is None) or not workflow.can_edit(
        request.user, article
    ):
        return
    desk.keep_form(
        user=request.user,
        article=article,
        post=desk.form_data(kept["data"]),
        reason="session",
    )


def _same_origin(request: HttpRequest) -> bool:
    origin = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER", "")
    if not origin:
        return False
    return urlsplit(origin).netloc == request.get_host()


def csrf_failure(request: HttpRequest, reason: str = "") -> TemplateResponse:
    """The admin's page for a refused form token, in the site's language."""
    is_form, pk = _article_id(request.path)
    back = None
    if is_form and request.user.is_authenticated:
        article = Article.objects.filter(pk=pk).first() if pk else None
        allowed = (article is not None or pk is None) and workflow.can_edit(
            request.user, article
        )
        if allowed:
            if _same_origin(request) and "title" in request.POST:
                desk.keep_form(
                    user=request.user, article=article, post=request.POST, reason="csrf"
                )
            back = f"{request.path}?ban-tu-luu=1"
    elif is_form:
        back = request.path
    from django.contrib import admin

    context = {
        **admin.site.each_context(request),
        "title": _("Biểu mẫu đã cũ"),
        "back": back,
        "is_form": is_form,
    }
    return TemplateResponse(request, "admin/csrf_failure.html", context, status=403)
