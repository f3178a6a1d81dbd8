"""Time the pages that grow with the archive, on a database already filled.

Usage: DATABASE_URL=… .venv/bin/python bench/scale.py [ROUNDS]

Meant for a large archive (a million stories imported by
``bench/import_bench.py 1000000 --jsonl --rows-only`` into the same
database). For the biggest section's first and last page, a broad and a
narrow search, the sitemap index, the newest and a middle block's sitemap, the news
sitemap and the admin's article list (first page, a search), it prints the
median of ROUNDS (default 5) in-process requests with Django's test
client, production settings, the page cache off: "cold" with the cache
emptied before each request (nothing remembered: the count and the ids
are read), "warm" as they come. The time is the whole response, so at
least the time to its first byte. Not a test: quote the figures in the
README.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "scale-bench-" + "k3Vb8Qw1Zr6Tn0Lp" * 4)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402
from django.core.management import call_command  # noqa: E402

django.setup()
call_command("collectstatic", "--noinput", verbosity=0)  # the pages' manifest

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles import sitemaps  # noqa: E402
from articles.lists import PAGE_SIZE  # noqa: E402
from articles.models import Article  # noqa: E402

settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


def timed(client: Client, url: str, rounds: int, cold: bool) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(rounds):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times) * 1000, queries


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    published = Article.objects.published()
    total = published.count()
    biggest = (
        published.values("category_id", "category__path")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    last_page = -(-biggest["n"] // PAGE_SIZE)
    top = published.order_by("-pk").values_list("pk", flat=True).first()
    newest_block = (top - 1) // sitemaps.BLOCK + 1
    middle_block = newest_block // 2 + 1
    section = f"/{biggest['category__path']}/"
    user = User.objects.filter(username="scale-admin").first()
    if user is None:
        user = User.objects.create_superuser("scale-admin", password="scale-admin-x9")
    reader, editor = Client(), Client()
    editor.force_login(user)
    print(
        f"{total:,} published stories; section {section} holds {biggest['n']:,} "
        f"({last_page:,} pages); {newest_block:,} sitemap blocks"
    )
    pages = [
        ("section, page 1", reader, section),
        (
            f"section, page {last_page:,} (the last)",
            reader,
            f"{section}?trang={last_page}",
        ),
        ("search 'cải cách' (broad)", reader, "/tim-kiem/?q=c%E1%BA%A3i+c%C3%A1ch"),
        ("search 'bến tre'", reader, "/tim-kiem/?q=b%E1%BA%BFn+tre"),
        ("sitemap index", reader, "/sitemap.xml"),
        (
            "sitemap of the newest block",
            reader,
            f"/sitemap-bai-viet-{newest_block}.xml",
        ),
        ("sitemap of a middle block", reader, f"/sitemap-bai-viet-{middle_block}.xml"),
        ("news sitemap (last two days)", reader, "/sitemap-news.xml"),
        ("admin list, first page", editor, "/admin/articles/article/"),
        ("admin list, search 'ben tre'", editor, "/admin/articles/article/?q=ben+tre"),
    ]
    print(f"{'page':44s} {'cold ms':>8s} {'warm ms':>8s} {'queries':>8s}")
    for label, client, url in pages:
        client.get(url)  # the process's first use of this view
        cold, _ = timed(client, url, rounds, cold=True)
        warm, queries = timed(client, url, rounds, cold=False)
        print(f"{label:44s} {cold:8.0f} {warm:8.0f} {queries:8d}")


if __name__ == "__main__":
    main()
