"""Soak: a minute of 64 connections over a mix of public pages, cache off and on.

    .venv/bin/python bench/soak.py [N] [--seconds S] [--connections C] [--kill-redis S]

Seeds N stories (2,000 by default) into a fresh SQLite database (or the
database of DATABASE_URL, emptied first), starts gunicorn with 2 sync
workers on 127.0.0.1 and runs wrk against a rotation of the home page,
sections and their deep pages, 200 articles, search, feeds and sitemaps.
It prints, for each run, the requests, the rate, p99 and the count of
answers that were not 2xx, plus wrk's socket errors. The goal is 0 and 0.

``--kill-redis S`` runs a throwaway redis-server as the cache, kills it
(SIGKILL) a third of the way into each run and starts it again S seconds
later: the site must keep answering 2xx throughout.

``--stop-postgres S`` runs a throwaway PostgreSQL (initdb into a temporary
folder, as the ``postgres`` user when run as root), stops it a third of the
way into each run and starts it again S seconds later: every request must
be answered within 3 s (the 503 page while it is away), and a run of 10 s
after it is back must be all 2xx again, gunicorn untouched.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import site_bench  # noqa: E402  (its seeding, gunicorn and probe helpers)

ROOT = site_bench.ROOT

PROBE = r"""
import os, django
django.setup()
from articles import sections
from articles.models import Article
tree = sections.tree()
paths = ["/", "/rss/", "/sitemap.xml", "/sitemap-bai-viet.xml", "/tim-kiem/?q=cai+cach"]
for s in tree.menu():
    paths += [s.get_absolute_url(), s.get_absolute_url() + "?trang=5"]
published = Article.objects.published().select_related("category")
paths += [a.get_absolute_url() for a in published[:200]]
print("|".join(paths))
"""


def arg(name: str, default: int) -> int:
    args = sys.argv[1:]
    return int(args[args.index(name) + 1]) if name in args else default


class Redis:
    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder, self.process = port, folder, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.folder),
             "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(0.3)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(5)


class Postgres:
    """A throwaway PostgreSQL cluster on a loopback port."""

    def __init__(self, port: int, folder: Path) -> None:
        # A folder of its own: the postgres user must reach it.
        self.port, self.data = port, Path(tempfile.mkdtemp(prefix="newsroom-soak-pg-"))
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        if not found:
            raise SystemExit(
                "--stop-postgres needs PostgreSQL: apt-get install postgresql"
            )
        self.bin = found[-1]
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.data, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        self.start()
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                        "soak"], check=True)  # fmt: skip
        self.url = f"postgres://postgres@127.0.0.1:{port}/soak"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / tool), *args], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.data / "log"),
                  "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off", "start")  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)


def take_away(part, after: float, pause: int) -> None:
    """Stop a server (Redis or PostgreSQL) ``after`` seconds in, for ``pause``."""
    time.sleep(after)
    part.kill() if isinstance(part, Redis) else part.stop()
    print(f"  {type(part).__name__} stopped", flush=True)
    time.sleep(pause)
    part.start()
    print(f"  {type(part).__name__} back", flush=True)


def soak(seconds: int, connections: int, script: Path, env: dict) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
           "--timeout", "5s", "-s", str(script), site_bench.BASE + "/"]  # fmt: skip
    out = subprocess.run(
        cmd, capture_output=True, text=True, env=env, check=True
    ).stdout
    if os.environ.get("SOAK_VERBOSE"):
        print(out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", out)
    longest = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(\w+)", out)
    return {
        "max_ms": site_bench._ms(*longest.groups()),
        "requests": total,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99_ms": site_bench._ms(*p99.groups()),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
    }


def main() -> None:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), "2000"))
    seconds, connections = arg("--seconds", 60), arg("--connections", 64)
    outage = arg("--kill-redis", 0)
    db_outage = arg("--stop-postgres", 0)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-soak-"))
    env = site_bench.server_env(tmp, log_level="CRITICAL")
    redis = postgres = None
    if db_outage:
        postgres = Postgres(15998, tmp)
        env["DATABASE_URL"] = postgres.url
    if outage:
        if not shutil.which("redis-server"):
            raise SystemExit(
                "--kill-redis needs redis-server: apt-get install redis-server"
            )
        redis = Redis(15999, tmp)
        redis.start()
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis.port}/0"
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
    )
    if env["DATABASE_URL"].startswith("postgres"):
        subprocess.run([*manage, "flush", "--noinput"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "seed.py"), str(n)],
        env=env,
        check=True,
        cwd=ROOT,
    )
    probe = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT,
                           capture_output=True, text=True, check=True)  # fmt: skip
    script = tmp / "mix.lua"
    script.write_text(site_bench.LUA)
    wrk_env = dict(os.environ, BENCH_PATHS=probe.stdout.strip())
    db = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"\n{n} stories on {db}; gunicorn 2 sync workers; wrk -t2 -c{connections} "
          f"-d{seconds}s over {len(probe.stdout.split('|'))} public URLs"
          + (f"; Redis killed for {outage} s a third of the way in" if outage else "")
          + (f"; PostgreSQL stopped for {db_outage} s a third of the way in"
             if db_outage else ""))  # fmt: skip
    try:
        for cached in (False, True):
            env["NEWSROOM_PAGE_CACHE_SECONDS"] = "60" if cached else "0"
            server = site_bench.gunicorn(env)
            fault = None
            if redis or postgres:
                fault = threading.Thread(
                    target=take_away,
                    args=(redis or postgres, seconds / 3, outage or db_outage),
                )
                fault.start()
            after = None
            try:
                result = soak(seconds, connections, script, wrk_env)
                if fault:
                    fault.join()
                if postgres:  # the same gunicorn, never restarted
                    after = soak(10, connections, script, wrk_env)
            finally:
                if fault:
                    fault.join()
                server.send_signal(signal.SIGTERM)
                server.wait(10)
            print(f"cache {'on ' if cached else 'off'}: {result['requests']} requests, "
                  f"{result['rps']:.0f} req/s, p99 {result['p99_ms']:.0f} ms, "
                  f"longest {result['max_ms']:.0f} ms, non-2xx {result['non_2xx']}, "
                  f"socket errors {result['socket_errors']}")  # fmt: skip
            if after:
                print(f"  10 s after PostgreSQL is back: {after['requests']} requests, "
                      f"non-2xx {after['non_2xx']}, socket errors "
                      f"{after['socket_errors']}")  # fmt: skip
    finally:
        if redis:
            redis.kill()
        if postgres:
            postgres.stop()
            postgres.remove()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
