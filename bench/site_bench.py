"""Measure the reader site under load: gunicorn (2 sync workers) and wrk.

Usage:
    .venv/bin/python bench/site_bench.py [N] [--seconds S] [--keep-db]

Seeds N articles (default 10,000, see bench/seed.py) into a fresh database —
a temporary SQLite file, or the PostgreSQL database of DATABASE_URL (which is
emptied first) — then, for the page cache off and on, starts gunicorn with
two sync workers on 127.0.0.1 and runs wrk (2 threads, 8 connections, S
seconds, default 10) against: a view returning fixed bytes (the ceiling),
home, a section's first page, its deepest page, article pages (1,000
different ones in turn) and a search. Prints requests per second, mean and
99th-percentile latency, and the SQL queries each page costs. Loopback only;
every run stops by itself.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, check=True, cwd=ROOT, **kwargs)


def prepare(env: dict, n: int) -> dict:
    """Migrate, seed and return the URLs to measure (and their query counts)."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    if env["DATABASE_URL"].startswith("postgres"):
        run([*manage, "flush", "--noinput"], env)
    run([*manage, "migrate", "-v0"], env)
    run([sys.executable, str(ROOT / "bench" / "seed.py"), str(n)], env)
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if probe.returncode:
        raise SystemExit(probe.stderr)
    info = {}
    for line in probe.stdout.splitlines():
        key, _, value = line.partition("=")
        info[key] = value
    return info


PROBE = r"""
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()
from django.conf import settings
settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from articles import sections
from articles.models import Article
tree = sections.tree()
biggest = max(tree.menu(), key=lambda s: Article.objects.published().filter(
    category_id__in=tree.subtree_ids(s.id)).count())
count = Article.objects.published().filter(category_id__in=tree.subtree_ids(biggest.id)).count()
deepest = (count + 19) // 20
articles = [a.get_absolute_url() for a in Article.objects.published().select_related("category")[:1000]]
urls = {
    "home": "/",
    "section_p1": biggest.get_absolute_url(),
    "section_deep": f"{biggest.get_absolute_url()}?trang={deepest}",
    "article": articles[0],
    "search": "/tim-kiem/?q=cai+cach+hanh+chinh",
}
client = Client()
for name, url in urls.items():
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    print(f"{name}={url}")
    print(f"q_{name}={len(ctx.captured_queries)}")
print(f"deep_page={deepest}")
print("articles=" + "|".join(articles))
"""

LUA = """
paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS"), "[^|]+") do paths[#paths + 1] = p end
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


def server_env(tmp: Path, log_level: str = "WARNING") -> dict:
    """The environment of a production-mode server on a scratch folder."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-" + "x7Qp2LmZ9rT4vW8yB1nC5dF3gH6jK0sA" * 2,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        NEWSROOM_GENERATION_FILE=str(tmp / "generation"),
        DJANGO_LOG_LEVEL=log_level,
    )
    return env


def gunicorn(env: dict) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/suc-khoe/", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def wrk(path: str, seconds: int, script: Path | None = None, env=None) -> tuple:
    cmd = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(
        [*cmd, BASE + path], capture_output=True, text=True, env=env, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    mean = re.search(r"Latency\s+([\d.]+)(\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return (
        rps,
        _ms(*mean.groups()),
        _ms(*p99.groups()),
        int(errors.group(1)) if errors else 0,
    )


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def main() -> None:
    args = sys.argv[1:]
    n = int(next((a for a in args if a.isdigit()), "10000"))
    seconds = int(args[args.index("--seconds") + 1]) if "--seconds" in args else 10
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-site-bench-"))
    env = server_env(tmp)
    run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env,
    )
    info = prepare(env, n)
    script = tmp / "articles.lua"
    script.write_text(LUA)
    db = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"\n{n} articles on {db}; gunicorn 2 sync workers; wrk -t2 -c8 -d{seconds}s")
    print(f"deepest page of the biggest section: {info['deep_page']}")
    print(
        f"{'page':28s} {'cache':6s} {'req/s':>8s} {'mean ms':>8s} {'p99 ms':>8s} {'SQL':>4s}"
    )
    for cached in (False, True):
        env["NEWSROOM_PAGE_CACHE_SECONDS"] = "60" if cached else "0"
        server = gunicorn(env)
        try:
            rows = [("fixed bytes (/suc-khoe/)", "/suc-khoe/", None, "0")]
            for name in ("home", "section_p1", "section_deep", "search"):
                rows.append(
                    (f"{name} {info[name][:18]}", info[name], None, info[f"q_{name}"])
                )
            rows.append(
                ("article (one page)", info["article"], None, info["q_article"])
            )
            rows.append(("article (1,000 in turn)", "/", script, info["q_article"]))
            for label, path, lua, queries in rows:
                wrk_env = dict(os.environ, BENCH_PATHS=info["articles"])
                rps, mean, p99, bad = wrk(path, seconds, lua, wrk_env)
                flag = f"  ({bad} errors)" if bad else ""
                print(
                    f"{label:28s} {'on' if cached else 'off':6s} {rps:8.0f} {mean:8.1f} "
                    f"{p99:8.1f} {queries:>4s}{flag}"
                )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    if "--keep-db" not in args:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
