"""Measure our reader pages beside the Wagtail peer, in one run, on one corpus.

Usage:
    BENCH_PEER=<the peer's folder> .venv/bin/python bench/side_by_side.py \
        [--db sqlite,postgres] [--seconds 15] [--rounds 3]

The peer (a Wagtail 8 news site with its own scripts, ``setup_peer.sh``
first) keeps its corpus, virtualenv and private PostgreSQL under
``BENCH_WORK`` and ``BENCH_VENV``, as its README says. This script imports
the same corpus (10,000 stories, 3 photos each) into our project — a
temporary SQLite file, and a database of its own on the peer's PostgreSQL —
then starts both sites under gunicorn with 2 sync workers (DEBUG off, our
page cache off), and runs wrk (2 threads, 16 connections) on each page
against the peer, then against us, page after page, ``--rounds`` times
(3 unless told), so the machine's noise falls on both sites and on every
page alike; the best round of each counts. Pages: a random article of the
10,000, the home page, the biggest section's first page and its page 200
(and how page 200 fares against page 1, round by round). Then, with
our page cache on, a random one of the 100 newest articles, against the
peer's view that returns fixed bytes. Between two wrk runs it waits for
the machine to go idle (a slow page leaves requests queued in the
workers after wrk stops; they would otherwise run into the next
server's time). Prints requests per second, the ratio, and our SQL
queries per page. Loopback only; every server it starts
is stopped by its process id.
"""

from __future__ import annotations

import json
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
sys.path.insert(0, str(ROOT / "bench"))
from site_bench import server_env  # noqa: E402  (the bench scripts' one environment)

PEER = Path(os.environ.get("BENCH_PEER", ".")).resolve()  # the peer's kit
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
WORK = Path(
    os.environ.get("BENCH_WORK", CACHE / "newsroom-bench-peer" / "work")
).resolve()
VENV = Path(
    os.environ.get("BENCH_VENV", CACHE / "newsroom-bench-peer" / "venv")
).resolve()
PEER_PORT, OUR_PORT = 18110, 18111
PG = "postgres://postgres@127.0.0.1:18150/newsroom_side_by_side"
DEEP = 200


def corpus_records(corpus: Path, media_prefix: str):
    """The peer's corpus as our article records (docs/formats/article-json.md)."""
    with (corpus / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            paragraphs = re.findall(r"<p>(.*?)</p>", item["body_html"], re.S)
            photos = [
                {
                    "type": "photo",
                    "caption": p["caption"],
                    "credit": p["credit"],
                    "image": f"{media_prefix}/{p['image']}",
                }
                for p in item["photos"]
            ]
            body = []
            for i, html in enumerate(paragraphs):
                if photos and i % 3 == 0:  # the photos spread through the text
                    body.append(photos.pop(0))
                body.append({"type": "paragraph", "html": html})
            body.extend(photos)
            yield {
                "external_id": f"corpus-{item['id']}",
                "category": item["category"],
                "title": item["title"],
                "slug": item["slug"],
                "location": item.get("location", ""),
                "lead": item["lead"],
                "authors": item["authors"],
                "body": body,
                "status": "published",
                "published_at": item["published_at"],
            }


def env_for(database_url: str, tmp: Path, page_cache: bool) -> dict:
    env = server_env(tmp)
    env["DATABASE_URL"] = database_url
    env["NEWSROOM_PAGE_CACHE_SECONDS"] = "60" if page_cache else "0"
    return env


def prepare(database_url: str, tmp: Path) -> dict[str, Path]:
    """Import the corpus, make renditions, write our URL lists."""
    env = env_for(database_url, tmp, False)
    manage = [sys.executable, str(ROOT / "manage.py")]
    media = tmp / "media" / "corpus"
    media.mkdir(parents=True, exist_ok=True)
    for image in (WORK / "corpus" / "images").iterdir():
        shutil.copyfile(image, media / image.name)
    records = tmp / "corpus.jsonl"
    with records.open("w", encoding="utf-8") as out:
        for record in corpus_records(WORK / "corpus", "corpus"):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    started = time.perf_counter()
    subprocess.run(
        [*manage, "import_articles", "--format", "jsonl", str(records)],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    print(f"  imported in {time.perf_counter() - started:.0f} s", flush=True)
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
    )
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if probe.returncode:
        raise SystemExit(probe.stderr)
    print(probe.stdout, end="")
    return {
        name: tmp / f"{name}.txt" for name in ("article", "home", "p1", "deep", "hot")
    }


PROBE = r"""
import os, sys, django
from pathlib import Path
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from articles import sections
from articles.models import Article
tmp = Path(sys.argv[1])
# What the peer's kit does after its import (peer_db.sh), and autovacuum
# after a bulk load: both databases are measured settled, and no vacuum
# runs into the first page's time.
with connection.cursor() as cursor:
    cursor.execute("VACUUM" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    cursor.execute("ANALYZE")
tree = sections.tree()
published = Article.objects.published().select_related("category")
biggest = max(tree.menu(), key=lambda s: published.filter(
    category_id__in=tree.subtree_ids(s.id)).count())
urls = {
    "article": [a.get_absolute_url() for a in published.order_by("pk")],
    "home": ["/"],
    "p1": [biggest.get_absolute_url()],
    "deep": [f"{biggest.get_absolute_url()}?trang=%d" % %(deep)d],
    "hot": [a.get_absolute_url() for a in published[:100]],
}
client = Client()
for name, paths in urls.items():
    (tmp / f"{name}.txt").write_text("\n".join(paths) + "\n")
    client.get(paths[0])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(paths[0]).status_code == 200, paths[0]
    print(f"  {name}: {len(ctx.captured_queries)} queries ({paths[0]})")
""".replace("%(deep)d", str(DEEP))


def start(cmd: list[str], env: dict, cwd: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env=env, cwd=cwd)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"the server on port {port} did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def ours(env: dict) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    cmd = [gunicorn, "newsroom.wsgi", "--workers", "2", "--worker-class", "sync"]
    cmd += ["--bind", f"127.0.0.1:{OUR_PORT}", "--log-level", "warning"]
    return start(cmd, env, ROOT, OUR_PORT)


def peer(db: str) -> subprocess.Popen:
    env = dict(os.environ, BENCH_WORK=str(WORK), BENCH_DB=db)
    env["DJANGO_SETTINGS_MODULE"] = "newsroom_site.settings"
    env.pop("BENCH_PAGE_CACHE", None)
    cmd = [str(VENV / "bin" / "gunicorn"), "newsroom_site.wsgi:application"]
    cmd += ["--workers", "2", "--worker-class", "sync"]
    cmd += ["--bind", f"127.0.0.1:{PEER_PORT}", "--log-level", "warning"]
    return start(cmd, env, PEER / "peer_wagtail", PEER_PORT)


def busy() -> tuple[int, int]:
    """The machine's CPU time so far: (busy, total), in clock ticks."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields) - idle, sum(fields)


def settle(limit: float = 20.0) -> None:
    """Wait until the CPUs are under a tenth busy over a quarter second."""
    deadline = time.monotonic() + limit
    before = busy()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = busy()
        spent, total = now[0] - before[0], now[1] - before[1]
        if total and spent / total < 0.1:
            return
        before = now


def wrk(port: int, urls: Path, seconds: int) -> tuple[float, int]:
    settle()
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout=10s"]
    cmd += ["-s", str(PEER / "tools" / "wrk_urls.lua"), f"http://127.0.0.1:{port}/"]
    out = subprocess.run(
        cmd,
        env=dict(os.environ, WRK_URLS=str(urls)),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"NON2XX (\d+)", out)
    return rate, int(bad.group(1)) if bad else 0


def measure(db: str, seconds: int, rounds: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-side-by-side-"))
    try:
        if db == "postgres":
            pgctl = [sys.executable, str(PEER / "tools" / "pgctl.py")]
            env = dict(os.environ, BENCH_WORK=str(WORK))
            subprocess.run([*pgctl, "start"], env=env, check=True)
            subprocess.run([*pgctl, "dropdb", "newsroom_side_by_side"], env=env)
            subprocess.run([*pgctl, "createdb", "newsroom_side_by_side"], env=env)
            database_url = PG
        else:
            database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        print(f"\n{db}: importing the corpus", flush=True)
        ours_urls = prepare(database_url, tmp)
        peer_urls = WORK / f"export-{db}" / "urls"
        pages = [
            ("article (random of 10k)", "article.txt", "article"),
            ("home", "home.txt", "home"),
            ("section page 1", "category_p1.txt", "p1"),
            (f"section page {DEEP}", "category_deep.txt", "deep"),
        ]
        rows = []
        for cached in (False, True):
            our_server = ours(env_for(database_url, tmp, cached))
            try:
                peer_server = peer(db)
            except BaseException:  # never leave ours running
                stop(our_server)
                raise
            try:
                runs = (
                    pages
                    if not cached
                    else [("cached article vs fixed bytes", "static_django.txt", "hot")]
                )
                for _label, peer_file, our_name in runs:  # warm-up
                    wrk(PEER_PORT, peer_urls / peer_file, 3)
                    wrk(OUR_PORT, ours_urls[our_name], 3)
                # Each round runs every page, so a page's runs are spread over
                # the whole measurement as its neighbours' are: a slow minute
                # of the machine falls on all of them, not on one row.
                theirs = {label: [] for label, _, _ in runs}
                mine = {label: [] for label, _, _ in runs}
                bad = dict.fromkeys(theirs, 0)
                for _ in range(rounds):
                    for label, peer_file, our_name in runs:
                        rate, errors = wrk(PEER_PORT, peer_urls / peer_file, seconds)
                        theirs[label].append(rate)
                        rate, errors_ours = wrk(OUR_PORT, ours_urls[our_name], seconds)
                        mine[label].append(rate)
                        bad[label] += errors + errors_ours
                for label, _, _ in runs:
                    peer_rate, our_rate = max(theirs[label]), max(mine[label])
                    rows.append((label, peer_rate, our_rate, bad[label]))
                    each = " ".join(
                        f"{t:.0f}/{m:.0f}"
                        for t, m in zip(theirs[label], mine[label], strict=True)
                    )
                    print(
                        f"  {label:32s} peer {peer_rate:8.1f}  ours {our_rate:8.1f}"
                        f"  {our_rate / peer_rate:5.2f}x  (rounds: {each})"
                        + (f"  ({bad[label]} non-2xx)" if bad[label] else ""),
                        flush=True,
                    )
                if not cached:
                    first, deep = mine[pages[2][0]], mine[pages[3][0]]
                    print(
                        f"  ours, page {DEEP} against page 1: "
                        f"{max(deep) / max(first):.2f} (each round: "
                        + ", ".join(
                            f"{d / f:.2f}" for f, d in zip(first, deep, strict=True)
                        )
                        + ")",
                        flush=True,
                    )
            finally:
                stop(our_server)
                stop(peer_server)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    args = sys.argv[1:]
    dbs = (args[args.index("--db") + 1] if "--db" in args else "sqlite,postgres").split(
        ","
    )
    seconds = int(args[args.index("--seconds") + 1]) if "--seconds" in args else 15
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3
    if not (PEER / "peer_wagtail").is_dir():
        raise SystemExit("set BENCH_PEER to the folder of the Wagtail peer's kit")
    if not (WORK / "corpus" / "articles.jsonl").exists():
        raise SystemExit(f"no corpus in {WORK}: run the peer's setup_peer.sh first")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    print(
        f"gunicorn 2 sync workers each, wrk -t2 -c16 -d{seconds}s, best of {rounds}, "
        "peer and ours alternated; our page cache off except on the last line"
    )
    for db in dbs:
        measure(db, seconds, rounds)


if __name__ == "__main__":
    main()
