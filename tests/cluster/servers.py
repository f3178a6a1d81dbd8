"""The many-machine site on loopback, from real servers: a PostgreSQL primary
and its streaming replica, Redis, a local S3 server, two gunicorn app
servers, one job worker, the scheduler, and Varnish in front. Every server
listens on 127.0.0.1 and is stopped by its process id."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.edge_servers import Varnish, free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed")
    return found[-1].parent


def as_postgres(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # not up yet
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up")


def http_status(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


class Cluster:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="newsroom-cluster-"))
        os.chmod(self.dir, 0o755)
        self.processes: dict[str, subprocess.Popen] = {}
        self.pg_dirs: list[Path] = []
        self.ports = {
            name: free_port()
            for name in (
                "primary",
                "replica",
                "pgbouncer",
                "redis",
                "s3",
                "app_a",
                "app_b",
            )
        }
        self.env = {}
        self.varnish: Varnish | None = None

    # --- servers --------------------------------------------------------------

    def start(self) -> Cluster:
        try:
            self._postgres()
            self._pgbouncer()
            self._redis()
            self._s3()
            self._django_env()
            self.manage("migrate", "--noinput", "-v0")
            self.manage("collectstatic", "--noinput", "-v0")
            self._varnish()
            self.start_app("app_a")
            self.start_app("app_b")
            self._spawn(
                "worker",
                [PYTHON, "manage.py", "rqworker", "default",
                 "--job-class", "django_tasks_rq.Job", "--with-scheduler"],
            )  # fmt: skip
            self._spawn("scheduler", [PYTHON, "manage.py", "scheduler"])
            wait_for(
                lambda: self.varnish.get("/suc-khoe/")[0] == 200,
                20,
                "Varnish's backends",
            )
        except BaseException:
            self.stop()
            raise
        return self

    def _postgres(self) -> None:
        bindir = pg_bin()
        primary = self.dir / "primary"
        replica = self.dir / "replica"
        for d in (primary, replica):
            d.mkdir()
            if os.geteuid() == 0:
                shutil.chown(d, "postgres", "postgres")
        self.pg_dirs = [primary, replica]
        as_postgres(
            [str(bindir / "initdb"), "-D", str(primary / "data"), "-A", "trust",
             "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]
        )  # fmt: skip
        self._pg_start(primary, self.ports["primary"])
        as_postgres(
            [str(bindir / "createdb"), "-h", "127.0.0.1", "-p",
             str(self.ports["primary"]), "-U", "postgres", "newsroom"]
        )  # fmt: skip
        # Behind PgBouncer a connection must need no SET of its own: with the
        # database's time zone UTC, Django sends none.
        as_postgres(
            [str(bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.ports["primary"]),
             "-U", "postgres", "-c", "ALTER DATABASE newsroom SET timezone TO 'UTC'"]
        )  # fmt: skip
        # The replica: a base backup of the primary that follows its WAL.
        as_postgres(
            [str(bindir / "pg_basebackup"), "-h", "127.0.0.1", "-p",
             str(self.ports["primary"]), "-U", "postgres", "-D",
             str(replica / "data"), "-R", "-X", "stream"]
        )  # fmt: skip
        self._pg_start(replica, self.ports["replica"])

    def _pg_start(self, where: Path, port: int) -> None:
        as_postgres(
            [str(pg_bin() / "pg_ctl"), "-D", str(where / "data"), "-w",
             "-l", str(where / "log"), "-o",
             f"-p {port} -k {where} -c listen_addresses=127.0.0.1 -c fsync=off",
             "start"]
        )  # fmt: skip

    def _pgbouncer(self) -> None:
        """PgBouncer in transaction mode between the app servers and the primary."""
        where = self.dir / "pgbouncer"
        where.mkdir()
        (where / "users.txt").write_text('"postgres" ""\n')
        (where / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"newsroom = host=127.0.0.1 port={self.ports['primary']} dbname=newsroom\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.ports['pgbouncer']}\n"
            "unix_socket_dir =\nauth_type = trust\n"
            f"auth_file = {where / 'users.txt'}\n"
            "admin_users = postgres\npool_mode = transaction\nmax_client_conn = 200\ndefault_pool_size = 20\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
        )
        if os.geteuid() == 0:
            shutil.chown(where, "postgres", "postgres")
        program = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        cmd = [program, str(where / "pgbouncer.ini")]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        self._spawn("pgbouncer", cmd, cwd=where)
        import socket

        wait_for(
            lambda: socket.create_connection(
                ("127.0.0.1", self.ports["pgbouncer"]), 0.2
            ).close() or True,
            10, "PgBouncer",
        )  # fmt: skip

    def _redis(self) -> None:
        self._spawn(
            "redis",
            ["redis-server", "--port", str(self.ports["redis"]), "--bind",
             "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            cwd=self.dir,
        )  # fmt: skip
        wait_for(
            lambda: subprocess.run(
                ["redis-cli", "-p", str(self.ports["redis"]), "ping"],
                capture_output=True, text=True,
            ).stdout.strip() == "PONG",
            10, "Redis",
        )  # fmt: skip

    def _s3(self) -> None:
        self._spawn(
            "s3",
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.ports["s3"])],
            cwd=self.dir,
        )
        url = f"http://127.0.0.1:{self.ports['s3']}"
        wait_for(lambda: http_status(f"{url}/") == 200, 20, "the S3 server")
        import boto3

        boto3.client(
            "s3", endpoint_url=url, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
        ).create_bucket(Bucket="newsroom-media")  # fmt: skip

    def _varnish(self) -> None:
        self.varnish = Varnish(
            [("127.0.0.1", self.ports["app_a"]), ("127.0.0.1", self.ports["app_b"])]
        ).start()
        self.env["NEWSROOM_EDGE_VARNISH"] = self.varnish.url

    def _django_env(self) -> None:
        p = self.ports
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO")},
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            # The primary through PgBouncer (transaction mode); the replica direct.
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{p['pgbouncer']}/newsroom",
            "DATABASE_PGBOUNCER": "1",
            "DATABASE_REPLICA_URL": (
                f"postgres://postgres@127.0.0.1:{p['replica']}/newsroom"
            ),
            "REDIS_URL": f"redis://127.0.0.1:{p['redis']}/0",
            "NEWSROOM_TASKS": "rq",
            # A short edge lifetime: the grace check sees stale pages served.
            "NEWSROOM_EDGE_SECONDS": "10",
            "NEWSROOM_FEED_POLL_SECONDS": "0",
            "NEWSROOM_S3_BUCKET": "newsroom-media",
            "NEWSROOM_S3_ENDPOINT_URL": f"http://127.0.0.1:{p['s3']}",
            "NEWSROOM_S3_REGION": "us-east-1",
            "NEWSROOM_S3_ACCESS_KEY": "test",
            "NEWSROOM_S3_SECRET_KEY": "test",
            "NEWSROOM_GENERATION_FILE": str(self.dir / "generation"),
        }

    def start_app(self, name: str) -> None:
        port = self.ports[name]
        self._spawn(
            name,
            [str(BIN / "gunicorn"), "newsroom.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", "2", "--access-logfile", "-"],
        )  # fmt: skip
        wait_for(
            lambda: http_status(f"http://127.0.0.1:{port}/suc-khoe/") == 200, 30, name
        )

    def stop_app(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def _spawn(self, name: str, cmd: list[str], cwd=None) -> None:
        log = open(self.dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            cmd,
            cwd=cwd or ROOT,
            env=self.env or None,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        if self.varnish is not None:
            self.varnish.stop()
        for where in reversed(self.pg_dirs):
            if (where / "data" / "postmaster.pid").exists():
                subprocess.run(
                    ["runuser", "-u", "postgres", "--", str(pg_bin() / "pg_ctl"),
                     "-D", str(where / "data"), "-m", "immediate", "stop"],
                    capture_output=True,
                )  # fmt: skip
        if not os.environ.get("NEWSROOM_CLUSTER_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)

    # --- the site -------------------------------------------------------------

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)}: {done.stderr[-2000:]}")
        return done.stdout

    def django(self, code: str) -> str:
        """Run Python in a Django process of the cluster (as an app server's
        admin would: through the write service, on the primary)."""
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def app(self, name: str, path: str) -> int:
        return http_status(f"http://127.0.0.1:{self.ports[name]}{path}")
