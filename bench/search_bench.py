"""Measure the SQL time of search pages, broad queries included.

Usage:
    .venv/bin/python bench/search_bench.py [N] [--keep-db]

Seeds N articles (default 10,000, bench/seed.py) into a fresh database — a
temporary SQLite file, or the emptied PostgreSQL database of DATABASE_URL —
then asks each search page several times in-process (page cache off) and
prints the best total SQL time of its queries, with the number of matches
the page reports. The seeded corpus draws its words from a small
vocabulary, so "cải cách" matches nearly every story: the broad case.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from site_bench import server_env  # noqa: E402  (the bench scripts' one environment)

QUERIES = [
    ("cải cách", 1),
    ("cai cach", 1),
    ("bến tre", 1),
    ("cai cach hanh chinh", 1),
    ("cai cach hanh chinh", 30),
    ('"chuyển đổi số"', 1),
]

PROBE = r"""
import os, re, sys, django
django.setup()
from django.conf import settings
settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
for line in sys.stdin.read().splitlines():
    q, page = line.rsplit("\t", 1)
    best = None
    for _ in range(5):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get("/tim-kiem/", {"q": q, "trang": page}).content.decode()
        ms = sum(float(x["time"]) for x in ctx.captured_queries) * 1000
        best = ms if best is None else min(best, ms)
    found = re.search(r'<p class="meta">([^<]*kết quả[^<]*)<', html)
    print(f"{q!r:24} page {page:>3}  {best:6.1f} ms SQL  {len(ctx.captured_queries)} queries  "
          f"{found.group(1).strip() if found else ''}")
"""


def main() -> None:
    args = sys.argv[1:]
    n = next((a for a in args if a.isdigit()), "10000")
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-search-bench-"))
    env = server_env(tmp)
    env["DJANGO_ALLOWED_HOSTS"] = "testserver"
    manage = [sys.executable, str(ROOT / "manage.py")]
    if env["DATABASE_URL"].startswith("postgres"):
        subprocess.run([*manage, "flush", "--noinput"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "seed.py"), n],
        env=env,
        check=True,
        cwd=ROOT,
    )
    db = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"{n} stories on {db}; best of 5, page cache off")
    subprocess.run(
        [sys.executable, "-c", PROBE],
        input="\n".join(f"{q}\t{p}" for q, p in QUERIES),
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    )


if __name__ == "__main__":
    main()
