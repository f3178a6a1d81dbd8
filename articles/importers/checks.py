"""What a draft must be before anything of it is written."""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path

from django.core.files.storage import default_storage

from ..photos import images
from .base import ArticleDraft, DraftError


def check(
    draft: ArticleDraft, photo_files: list[Path], stored: Container[str] = ()
) -> None:
    """Raise :class:`DraftError` naming the first thing wrong with a draft.

    ``stored`` are images already read from storage in this run: not
    looked for again (an import of many stories shares a few hundred).
    """
    if not draft.title:
        raise DraftError("thiếu tiêu đề")
    limits = [
        ("tiêu đề", [draft.title], 500),
        ("chuyên mục", [draft.category, draft.category_parent or ""], 200),
        ("địa danh", [draft.location], 200),
        ("nguồn tin", [draft.agency], 200),
        ("external_id", [draft.external_id or ""], 200),
        ("source_url", [draft.source_url], 1000),
        ("tên tác giả", draft.authors, 200),
        ("chủ đề", draft.tags, 100),
        ("nguồn ảnh", [p.credit for p in draft.photos], 300),
    ]
    for label, values, limit in limits:
        for value in values:
            if len(value) > limit:
                raise DraftError(
                    f"{label} dài {len(value)} ký tự, tối đa {limit}: {value[:40]}…"
                )
    if not draft.category:
        raise DraftError("thiếu chuyên mục: thêm dòng chuyên mục hoặc dùng --category")
    fetched = [p.source_file for p in draft.photos if p.source_file is not None]
    for path in [*photo_files, *fetched]:
        try:
            with path.open("rb") as fh:
                images.inspect_image(fh)
        except images.ImageRejected as exc:
            raise DraftError(f"ảnh {path.name}: {exc}") from None
        except OSError as exc:
            raise DraftError(
                f"ảnh {path.name}: không đọc được ({exc.strerror})"
            ) from None
    for photo in draft.photos:
        if (
            photo.image
            and photo.image not in stored
            and not default_storage.exists(photo.image)
        ):
            raise DraftError(f"không có tệp ảnh {photo.image!r} trong thư mục media")
