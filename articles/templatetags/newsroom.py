"""Template filters for reader pages."""

import json

from django import template
from django.utils.safestring import mark_safe

from .. import text

register = template.Library()


@register.filter
def vn_datetime(value) -> str:
    """Render a datetime as "Thứ Sáu, 10/11/2023 17:30" (in English: "Friday, …")."""
    from django.utils.translation import get_language

    return text.format_datetime(value, get_language() or "vi")


@register.filter
def iso(value) -> str:
    """Render a datetime for ``<time datetime>`` and meta tags: Hà Nội time,
    to the second ("2023-11-10T17:30:00+07:00"; HTML allows no microseconds)."""
    return text.iso_datetime(value) or ""


@register.filter
def credit_line(credit) -> str:
    """A photo credit as printed: "(Ảnh: TTXVN)", or "(Ảnh minh họa)" as it is."""
    from django.utils.translation import gettext

    return text.credit_line(str(credit or ""), gettext("Ảnh"))


@register.filter
def vn_date(value) -> str:
    """Render a date as "Thứ Sáu, 10/11/2023"."""
    return text.format_date_vi(value)


@register.filter
def highlight(value, words) -> str:
    """Mark the searched words in ``value`` (escaped, safe to print)."""
    return mark_safe(text.highlight(str(value or ""), words or []))


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """Serialize structured data for a ``<script type="application/ld+json">``."""
    return mark_safe(json.dumps(value, ensure_ascii=False).translate(_JSON_ESCAPES))


@register.filter
def picture(photo, sizes: str = "") -> str:
    """Write a photo as ``<picture>`` with its renditions (``sizes`` optional)."""
    from ..photos.renditions import DEFAULT_SIZES, picture_html

    if photo is None or not photo.image:
        return ""
    return mark_safe(
        picture_html(photo, photo.alt_text or photo.caption, sizes or DEFAULT_SIZES)
    )


@register.simple_tag
def picture_crop(photo, sizes: str, crop: str) -> str:
    """A photo's crop ``crop`` as ``<picture>``, its focal point in frame."""
    from ..photos.renditions import picture_html

    if photo is None or not photo.image:
        return ""
    return mark_safe(
        picture_html(photo, photo.alt_text or photo.caption, sizes, crop=crop)
    )


@register.filter
def picture_eager(photo, sizes: str = "") -> str:
    """Like ``picture`` for the first image of a page: loaded at once."""
    from ..photos.renditions import DEFAULT_SIZES, picture_html

    if photo is None or not photo.image:
        return ""
    return mark_safe(
        picture_html(
            photo, photo.alt_text or photo.caption, sizes or DEFAULT_SIZES, lazy=False
        )
    )


@register.simple_tag(takes_context=True)
def desk_inbox_count(context) -> int:
    """The number of stories in the signed-in user's inbox (the admin header)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return 0
    from .. import desk

    return desk.inbox_count(user)


@register.filter
def grouped(value) -> str:
    """A whole number with its thousands marked the reader's way: "1.000"."""
    from django.utils.formats import number_format

    return number_format(value, force_grouping=True)


@register.filter
def vn_time(value) -> str:
    """Render a time of the working day: "10:05" (today) or "10:05 ngày 30/11"."""
    return text.format_time_vi(value)


_FIXED_URLS: dict[tuple, str] = {}


@register.simple_tag
def fixed_url(name: str, *args) -> str:
    """``{% url name %}`` for the links every page repeats, worked out once.

    Django's ``{% url %}`` finds the route again each time: the eight links
    of the page's frame (home, search, feeds, the language switch) were 6 %
    of an article page. Their addresses change only with the script prefix
    and the URL configuration, both in the key.
    """
    from django.conf import settings
    from django.urls import get_script_prefix, get_urlconf, reverse

    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name, args)
    found = _FIXED_URLS.get(key)
    if found is None:
        found = _FIXED_URLS[key] = reverse(name, args=args)
    return found


@register.simple_tag
def story_links(stories, dated=False) -> str:
    """The side column's links, ``<li><a href="…">title<time>…</time></a></li>``.

    Written here rather than by a loop of template tags, which cost 2 % of
    an article page for its ten links and dates.
    """
    from django.utils.html import conditional_escape

    parts = []
    for story in stories:
        when = ""
        if dated:
            at = story["published_at"]
            when = (
                f'<time class="meta" datetime="{iso(at)}">'
                f"{conditional_escape(vn_datetime(at))}</time>"
            )
        parts.append(
            f'<li><a href="{conditional_escape(story["url"])}">'
            f"{conditional_escape(story['title'])}{when}</a></li>"
        )
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def pagination(context, page) -> str:
    """A list's page links ("← Trang trước 1 … 4 5 [6] 7 8 … 120 Trang sau →").

    Written here rather than by a loop of template tags: a deep page has
    more links than the first, and should cost what the first costs.
    """
    from django.utils.html import escape
    from django.utils.translation import gettext

    if not page.has_other_pages():
        return ""
    query = context.get("page_query") or ""
    prefix = f"?{escape(query)}&amp;trang=" if query else "?trang="
    total = page.paginator.num_pages
    parts = [
        f'<nav class="pagination" aria-label="{escape(gettext("Phân trang"))}">\n  '
    ]
    if page.has_previous():
        parts.append(
            f'<a rel="prev" href="{prefix}{page.previous_page_number()}">'
            f"← {escape(gettext('Trang trước'))}</a>"
        )
    hidden = gettext("Trang %(n)s/%(total)s") % {"n": page.number, "total": total}
    parts.append(f'\n  <span class="visually-hidden">{escape(hidden)}</span>\n  ')
    ellipsis = page.paginator.ELLIPSIS
    for number in page.elided:
        if number == page.number:
            parts.append(f'<span aria-current="page" class="current">{number}</span>')
        elif number == ellipsis:
            parts.append('<span class="ellipsis">…</span>')
        else:
            parts.append(f'<a href="{prefix}{number}">{number}</a>')
    parts.append("\n  ")
    if page.has_next():
        parts.append(
            f'<a rel="next" href="{prefix}{page.next_page_number()}">'
            f"{escape(gettext('Trang sau'))} →</a>"
        )
    parts.append("\n</nav>")
    return mark_safe("".join(parts))
