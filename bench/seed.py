"""Seed N published articles quickly (bulk inserts), for benchmarks.

Usage: .venv/bin/python bench/seed.py [N]   (default 10,000; uses DATABASE_URL)

Each article has a lead, 10 paragraphs, 3 photos with captions and credits,
2 authors, 3 tags and 3 related stories, spread over 6 sections (one of
them a sub-section) and published over the last three years. The text
passes through Article.prepare(), like every save, so slugs, sanitized HTML
and folded search fields are real.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles import body  # noqa: E402
from articles.models import (  # noqa: E402
    Article,
    ArticleAuthor,
    ArticlePhoto,
    Author,
    Category,
    Photo,
    Tag,
)

WORDS = (
    "cải cách hành chính tỉnh đoàn kiểm tra chính phủ thủ tục người dân doanh "
    "nghiệp chuyển đổi số kết quả nhiệm vụ triển khai đánh giá nâng cao hiệu quả "
    "công tác Bến Tre Hà Nội Đà Nẵng kinh tế xã hội đầu tư hạ tầng giáo dục y tế"
).split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def seed(n: int) -> None:
    rng = random.Random(7)
    top = Category.objects.get_or_create(name="Chính phủ hành động")[0]
    sections = [top] + [
        Category.objects.get_or_create(name=name)[0]
        for name in ("Thời sự", "Kinh tế", "Xã hội", "Quốc tế")
    ]
    sections.append(Category.objects.get_or_create(name="Địa phương", parent=top)[0])
    authors = [
        Author.objects.get_or_create(name=f"Phóng viên {i}")[0] for i in range(40)
    ]
    tags = [Tag.objects.get_or_create(name=f"Chủ đề {i}")[0] for i in range(60)]
    now = timezone.now()
    start = Article.objects.count()
    batch = 1000
    for offset in range(0, n, batch):
        size = min(batch, n - offset)
        with transaction.atomic():
            photos = Photo.objects.bulk_create(
                Photo(caption=sentence(rng, 10), credit="Công trí/TTXVN")
                for _ in range(size * 3)
            )
            articles = []
            for i in range(size):
                mine = photos[i * 3 : i * 3 + 3]
                parts = []
                for p in range(10):
                    if p in (0, 4, 8):
                        photo = mine[p // 4]
                        parts.append(
                            body.photo_figure(photo.pk, photo.caption, photo.credit)
                        )
                    parts.append(f"<p>{sentence(rng, 45)}</p>")
                a = Article(
                    title=f"{sentence(rng, 10)[:-1]} {start + offset + i}",
                    lead=sentence(rng, 30),
                    body="".join(parts),
                    category=rng.choice(sections),
                    location="Bến Tre",
                    agency="TTXVN",
                    featured_photo=mine[0],
                    status="published",
                    published_at=now
                    - timedelta(minutes=rng.randint(1, 3 * 365 * 24 * 60)),
                )
                a.slug = f"bai-{start + offset + i}"
                a.prepare()
                articles.append(a)
            Article.objects.bulk_create(articles)
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=a, author=au, order=k)
                for a in articles
                for k, au in enumerate(rng.sample(authors, 2))
            )
            ArticlePhoto.objects.bulk_create(
                ArticlePhoto(article=a, photo=photos[j * 3 + k], order=k)
                for j, a in enumerate(articles)
                for k in range(3)
            )
            Tags = Article.tags.through
            Tags.objects.bulk_create(
                Tags(article=a, tag=t) for a in articles for t in rng.sample(tags, 3)
            )
            Related = Article.related.through
            Related.objects.bulk_create(
                Related(from_article=a, to_article=b)
                for a in articles
                for b in rng.sample(articles, 3)
                if a is not b
            )


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    t0 = time.perf_counter()
    seed(count)
    from articles.services import refresh_statistics

    refresh_statistics()
    print(f"seeded {count} articles in {time.perf_counter() - t0:.1f} s")
