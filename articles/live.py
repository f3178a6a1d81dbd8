"""Live coverage ("Tường thuật trực tiếp"): a story's entries, for readers.

A live story (``Article.live_started_at`` set) lists its entries newest
first on its page. The page asks ``/truc-tiep/<id>.json`` every few seconds
(``static/js/live.js``) and puts the entries it has not shown yet on top:
no reload, no websocket. That answer is an ordinary public page, so the
page cache serves it to every reader, and a new entry (a row like any
other) drops it with the rest after the commit.

The structured data of a live story is a ``LiveBlogPosting`` with
``coverageStartTime``, ``coverageEndTime`` and each entry a ``BlogPosting``
in ``liveBlogUpdate``.
"""

from __future__ import annotations

import html
from datetime import timedelta
from urllib.parse import urlsplit

from . import text
from .models import Article, LiveEntry
from .photos import renditions

SHOWN = 200  # the newest entries a page and its answer carry


def entries(article: Article) -> list[LiveEntry]:
    """The story's newest entries, newest first (one query)."""
    return list(
        LiveEntry.objects.filter(article=article)
        .select_related("photo")
        .order_by("-created_at", "-id")[:SHOWN]
    )


def entry_html(entry: LiveEntry) -> str:
    """One entry as readers see it: its time, then its text, photo, quote or post."""
    esc = html.escape
    when = (
        f'<time datetime="{esc(text.iso_datetime(entry.created_at))}">'
        f"{esc(text.format_time_vi(entry.created_at))}</time>"
    )
    if entry.kind == LiveEntry.Kind.QUOTE:
        by = f"<footer>— {esc(entry.quote_by)}</footer>" if entry.quote_by else ""
        content = f"<blockquote><p>{esc(entry.text)}</p>{by}</blockquote>"
    elif entry.kind == LiveEntry.Kind.PHOTO and entry.photo and entry.photo.image:
        photo = entry.photo
        caption = esc(entry.text or photo.caption)
        credit = (
            f' <span class="credit">{esc(text.credit_line(photo.credit))}</span>'
            if photo.credit
            else ""
        )
        content = (
            f"<figure>{renditions.picture_html(photo, entry.text or photo.caption)}"
            f"<figcaption>{caption}{credit}</figcaption></figure>"
        )
    elif entry.kind == LiveEntry.Kind.EMBED:
        # A link card, not the network's script: the page loads nothing from
        # other sites (the Content-Security-Policy forbids it).
        host = urlsplit(entry.url).hostname or entry.url
        note = f"<p>{esc(entry.text)}</p>" if entry.text else ""
        content = (
            f'{note}<a class="link-card" href="{esc(entry.url)}" rel="nofollow noopener">'
            f'<span class="link-host">{esc(host)}</span>'
            f'<span class="link-url">{esc(entry.url)}</span></a>'
        )
    else:
        content = "".join(
            f"<p>{esc(p.strip())}</p>" for p in entry.text.split("\n") if p.strip()
        )
    return (
        f'<article class="live-entry live-{entry.kind}" id="dien-bien-{entry.pk}" '
        f'data-id="{entry.pk}">{when}{content}</article>'
    )


def live_blog_posting(data: dict, article: Article, canonical: str, found) -> dict:
    """The NewsArticle ``data`` of a live story, as a LiveBlogPosting."""
    start = article.live_started_at
    # Google asks for an end: the one set, else a day after the start.
    end = article.live_ended_at or start + timedelta(days=1)
    updates = []
    for entry in found:
        body = entry.text or (entry.photo.caption if entry.photo else "") or entry.url
        updates.append(
            {
                "@type": "BlogPosting",
                "headline": (body or entry.get_kind_display())[:110],
                "articleBody": body,
                "datePublished": text.iso_datetime(entry.created_at),
                "url": f"{canonical}#dien-bien-{entry.pk}",
            }
        )
    return data | {
        "@type": "LiveBlogPosting",
        "coverageStartTime": text.iso_datetime(start),
        "coverageEndTime": text.iso_datetime(end),
        "liveBlogUpdate": updates,
    }


def is_on(article: Article, now) -> bool:
    """Whether the coverage is going on (started, not ended)."""
    start, end = article.live_started_at, article.live_ended_at
    return start is not None and start <= now and (end is None or end > now)
