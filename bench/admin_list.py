"""Time the admin's article list on a seeded database.

Usage: DATABASE_URL=… .venv/bin/python bench/admin_list.py [N]
Seeds N articles (default 100,000) into the database when it has fewer,
then opens /admin/articles/article/ as a superuser ten times (first page,
a filtered page, a search) and prints the median time and the query count.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import seed  # noqa: E402  (sets Django up)
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
have = Article.objects.count()
if have < N:
    t0 = time.perf_counter()
    seed.seed(N - have)
    print(f"seeded {N - have} articles in {time.perf_counter() - t0:.0f} s")
user = User.objects.filter(
    username="bench-admin"
).first() or User.objects.create_superuser(
    "bench-admin", password="bench-admin-password"
)
client = Client()
client.force_login(user)
for label, query in [
    ("first page", ""),
    ("status + section filter", "?trang_thai=published&category__id__exact=1"),
    ("search 'ben tre'", "?q=ben+tre"),
    ("search 'hanh chinh'", "?q=hanh+chinh"),
    ("missing photos filter", "?thieu_anh=1"),
]:
    times = []
    for _ in range(10):
        reset_queries()  # the seeding filled Django's query log
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(f"/admin/articles/article/{query}")
            times.append(time.perf_counter() - t0)
        assert response.status_code == 200
    print(
        f"{label:28s} median {statistics.median(times) * 1000:6.0f} ms, "
        f"{len(ctx.captured_queries)} queries ({Article.objects.count()} articles)"
    )
