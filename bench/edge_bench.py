"""The edge: Varnish-cached pages beside nginx serving the same bytes, and
the time from a publish to the first fresh page at the edge.

Usage:
    .venv/bin/python bench/edge_bench.py [N] [--seconds S] [--publishes P]

Seeds N stories (default 1,000) into a scratch SQLite file, starts Redis,
one RQ worker, two gunicorn app servers (2 sync workers each) and Varnish
with the project's VCL in front of them, and nginx serving a copy of one
article page as a static file (gzip, as Varnish stores it). Then:

- wrk (2 threads, 16 connections, S seconds, default 10, gzip accepted)
  against the article through Varnish and against nginx's copy, alternated
  twice; prints requests a second and the ratio;
- P publishes (default 20) through the write service, each timed from the
  call until the home page through Varnish shows the new headline; prints
  the median and the worst.

Everything listens on 127.0.0.1 and is stopped by its process id. Needs
varnish, varnish-modules, nginx (or nginx-light), redis-server and wrk.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from site_bench import server_env  # noqa: E402

from tests.edge_servers import Varnish, free_port  # noqa: E402

BIN = Path(sys.executable).parent


def spawn(cmd, env=None, cwd=ROOT, log=None) -> subprocess.Popen:
    return subprocess.Popen(
        cmd, env=env, cwd=cwd, start_new_session=True,
        stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def wrk(url: str, seconds: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "-H", "Accept-Encoding: gzip", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


NGINX = """
daemon off;
worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    gzip_static on;
    types {{ text/html html; }}
    server {{
        listen 127.0.0.1:{port};
        root {dir}/static;
    }}
}}
"""

PUBLISHES = r"""
import json, statistics, time, urllib.request
from articles import services
from articles.choices import Status
from articles.models import Article, Category
section = Category.objects.order_by("pk").first()
times = []
for i in range(%(n)d):
    title = f"Tin nóng số {i} lúc {time.time():.0f}"
    story = Article.objects.create(title=title, category=section, status=Status.DRAFT,
                                   body="<p>Nội dung.</p>")
    start = time.monotonic()
    services.publish(article=story)
    while title not in urllib.request.urlopen("%(edge)s/", timeout=5).read().decode():
        time.sleep(0.005)
    times.append(time.monotonic() - start)
print(json.dumps(times))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--publishes", type=int, default=20)
    args = parser.parse_args()
    for program in ("varnishd", "nginx", "redis-server", "wrk"):
        if not shutil.which(program) and not os.path.exists(f"/usr/sbin/{program}"):
            raise SystemExit(f"{program} is missing (see this script's docstring)")

    tmp = Path(tempfile.mkdtemp(prefix="newsroom-edge-bench-"))
    os.chmod(tmp, 0o755)
    processes: list[subprocess.Popen] = []
    edge = None
    try:
        redis_port, apps = free_port(), [free_port(), free_port()]
        env = server_env(tmp)
        processes.append(
            spawn(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                   "--save", "", "--dir", str(tmp)])
        )  # fmt: skip
        edge = Varnish([("127.0.0.1", p) for p in apps])
        env.update(
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            NEWSROOM_TASKS="rq",
            NEWSROOM_EDGE_VARNISH=edge.url,
            NEWSROOM_FEED_POLL_SECONDS="0",
        )
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env,
                       cwd=ROOT, check=True)  # fmt: skip
        subprocess.run([sys.executable, "bench/seed.py", str(args.n)], env=env,
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        for port in apps:
            processes.append(
                spawn([str(BIN / "gunicorn"), "newsroom.wsgi", "-b",
                       f"127.0.0.1:{port}", "-w", "2"], env=env)
            )  # fmt: skip
        processes.append(
            spawn([*manage, "rqworker", "default", "--job-class",
                   "django_tasks_rq.Job"], env=env)
        )  # fmt: skip
        for port in apps:
            up(f"http://127.0.0.1:{port}/suc-khoe/")
        edge.start()
        up(f"{edge.url}/suc-khoe/")
        article = subprocess.run(
            [*manage, "shell", "--no-imports", "-c",
             "from articles.models import Article;"
             "print(Article.objects.published().first().get_absolute_url())"],
            env=env, cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.split()[-1]  # fmt: skip

        # The same bytes as a static file for nginx: the page and its gzip.
        request = urllib.request.Request(
            edge.url + article, headers={"Accept-Encoding": "gzip"}
        )
        (tmp / "static").mkdir()
        body = urllib.request.urlopen(edge.url + article).read()
        (tmp / "static" / "article.html").write_bytes(body)
        gz = urllib.request.urlopen(request).read()
        (tmp / "static" / "article.html.gz").write_bytes(gz)
        nginx_port = free_port()
        (tmp / "nginx.conf").write_text(NGINX.format(dir=tmp, port=nginx_port))
        processes.append(
            spawn(["nginx", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)])
        )
        up(f"http://127.0.0.1:{nginx_port}/article.html")

        print(f"{args.n} stories; article page {len(body):,} bytes ({len(gz):,} gzip)")
        print(f"wrk -t2 -c16 -d{args.seconds}s, gzip accepted, alternated, best of 2")
        varnish_rates, nginx_rates = [], []
        wrk(edge.url + article, 2)
        wrk(f"http://127.0.0.1:{nginx_port}/article.html", 2)
        for _ in range(2):
            varnish_rates.append(wrk(edge.url + article, args.seconds))
            nginx_rates.append(
                wrk(f"http://127.0.0.1:{nginx_port}/article.html", args.seconds)
            )
        v, n = max(varnish_rates), max(nginx_rates)
        print(f"  Varnish (cached article)  {v:10.1f} requests/s")
        print(f"  nginx (same bytes)        {n:10.1f} requests/s")
        print(f"  ratio                     {v / n:10.2f}")

        out = subprocess.run(
            [*manage, "shell", "--no-imports", "-c",
             PUBLISHES % {"n": args.publishes, "edge": edge.url}],
            env=env, cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        times = json.loads(out.splitlines()[-1])
        print(
            f"publish to the edge, {len(times)} publishes: median "
            f"{statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms"
        )
    finally:
        for process in reversed(processes):
            stop(process)
        if edge is not None:
            edge.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
