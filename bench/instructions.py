"""Count the instructions a reader's page costs, the same on a busy machine.

Usage:
    BENCH_WORK=<the peer kit's data> .venv/bin/python bench/instructions.py \
        [--pages article,home,p1,deep] [--requests 60]

Timings on a shared machine move by ±10 % from one run to the next, which
hides a change of a few per cent. ``valgrind --tool=callgrind`` counts the
instructions the interpreter executes instead: the same count, to about
0.01 %, whatever else the machine does. The script imports the peer kit's
corpus into a temporary SQLite database as ``bench/side_by_side.py`` does
(10,000 stories, 3 photos each; ``setup_peer.sh`` first), then runs, under
callgrind, one process that asks 60 pages of a kind (a random article,
the home page, the biggest section's first page, its page 200) after a
warm-up, and one that stops after the warm-up; the difference over the
requests is a page's cost. Our page cache is off, DEBUG off, hash
randomisation fixed. Needs Debian's ``valgrind``; about a minute a page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import side_by_side  # noqa: E402  (the corpus, its import and our URL lists)

RUN = r"""
import random, sys, django
django.setup()
from django.test import Client
urls = open(sys.argv[1]).read().split()
count = int(sys.argv[2])
random.seed(3)
asked = [random.choice(urls) for _ in range(60)]
client = Client()
for url in asked:  # warm-up: caches, compiled queries, templates
    assert client.get(url).status_code == 200, url
for url in asked[:count]:
    client.get(url)
"""


def instructions(env: dict, urls: Path, count: int) -> int:
    out = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            RUN,
            str(urls),
            str(count),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def main() -> None:
    args = sys.argv[1:]
    pages = (
        args[args.index("--pages") + 1] if "--pages" in args else "article,home,p1,deep"
    ).split(",")
    count = int(args[args.index("--requests") + 1]) if "--requests" in args else 60
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    if not (side_by_side.WORK / "corpus" / "articles.jsonl").exists():
        raise SystemExit(
            f"no corpus in {side_by_side.WORK}: run the peer's setup_peer.sh first"
        )
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-instructions-"))
    try:
        database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        print("importing the corpus", flush=True)
        urls = side_by_side.prepare(database_url, tmp)
        env = side_by_side.env_for(database_url, tmp, False)
        env["PYTHONHASHSEED"] = "0"
        for page in pages:
            before = instructions(env, urls[page], 0)
            after = instructions(env, urls[page], count)
            per_page = (after - before) / count
            print(f"  {page:8s} {per_page / 1e6:6.2f} million instructions a page")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
