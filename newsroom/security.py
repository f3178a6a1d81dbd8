"""Who is asking, and what passwords the newsroom refuses.

Login throttling is django-axes (settings); this module gives it the
client's address behind a proxy, and holds the password rule for
Vietnamese newsrooms: the common passwords of the language ("matkhau123",
"hanoi2026", "Toasoan2026"), besides Django's own list.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from articles import text

WORDS_FILE = Path(__file__).with_name("common_passwords_vi.txt")


def client_ip(request) -> str | None:
    """The reader's address: the proxy's last hop when behind one, else the socket's.

    With ``DJANGO_BEHIND_PROXY`` the TLS proxy in front appends the address it
    saw to ``X-Forwarded-For``; the right-most entry is the one it vouches
    for (earlier ones are whatever the client sent).
    """
    if settings.NEWSROOM_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def _weak_words() -> frozenset[str]:
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        text.fold(line).replace(" ", "")
        for line in lines
        if line.strip() and not line.startswith("#")
    )


class VietnameseCommonPasswordValidator:
    """Refuse passwords made of a common Vietnamese word and digits or marks.

    The password is folded (no marks, lower case) and stripped of digits
    and punctuation; what remains must not be a word of the shipped list
    (``matkhau``, ``toasoan``, place names…) nor nothing at all.
    """

    def __init__(self) -> None:
        self.words = _weak_words()

    def validate(self, password: str, user=None) -> None:
        core = re.sub(r"[^a-z]", "", text.fold(password))
        if not core or core in self.words:
            raise ValidationError(
                _(
                    "Mật khẩu này quá dễ đoán: một từ thông dụng (như “matkhau”, "
                    "tên tòa soạn hay địa danh) thêm số hay dấu. Hãy dùng một câu "
                    "dài hoặc vài từ không liên quan."
                ),
                code="password_too_common_vi",
            )

    def get_help_text(self) -> str:
        return _(
            "Mật khẩu không được là một từ thông dụng (matkhau, tên tòa soạn, "
            "địa danh…) thêm số."
        )


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets: when to try again, in the user's language."""
    from django.shortcuts import render
    from django.utils import timezone

    cooloff = settings.AXES_COOLOFF_TIME
    retry_at = timezone.localtime(timezone.now() + cooloff)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(cooloff.total_seconds() // 60),
        "retry_at": retry_at.strftime("%H:%M"),
        "title": _("Tạm khóa đăng nhập"),
    }
    # Rendered here: a response from the middleware is not rendered later.
    response = render(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(int(cooloff.total_seconds()))
    return response
