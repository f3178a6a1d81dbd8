"""Small builders for test data: the fewest fields a valid row needs."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Category, Photo, Tag

_seq = itertools.count(1)


def category(name: str | None = None, **kwargs) -> Category:
    return Category.objects.create(name=name or f"Chuyên mục {next(_seq)}", **kwargs)


def author(name: str | None = None, **kwargs) -> Author:
    return Author.objects.create(name=name or f"Tác giả {next(_seq)}", **kwargs)


def tag(name: str | None = None) -> Tag:
    return Tag.objects.create(name=name or f"Chủ đề {next(_seq)}")


def photo(**kwargs) -> Photo:
    kwargs.setdefault("caption", f"Chú thích ảnh {next(_seq)}")
    kwargs.setdefault("credit", "Công trí/TTXVN")
    return Photo.objects.create(**kwargs)


def image_bytes(
    fmt: str = "JPEG", size=(1200, 800), color=(200, 40, 40), **save
) -> bytes:
    """Return a real encoded image (one colour) in ``fmt``."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt, **save)
    return buf.getvalue()


def article(
    title: str | None = None,
    *,
    status: str = Article.Status.PUBLISHED,
    published_at=None,
    authors=(),
    **kwargs,
) -> Article:
    """Create an article; published an hour ago unless told otherwise."""
    if "category" not in kwargs:
        kwargs["category"] = category()
    if published_at is None and status == Article.Status.PUBLISHED:
        published_at = timezone.now() - timedelta(hours=1)
    obj = Article.objects.create(
        title=title or f"Bài viết số {next(_seq)}",
        status=status,
        published_at=published_at,
        **kwargs,
    )
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=obj, author=a, order=i) for i, a in enumerate(authors)
    )
    return obj


def member(role: str, username: str, **fields):
    """A staff account in one of the editorial groups ("Phóng viên", …)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(
        username, password="mat-khau-dai-2026", is_staff=True, **fields
    )
    user.groups.add(Group.objects.get(name=role))
    return user
