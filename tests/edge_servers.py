"""A real Varnish for the tests, with the project's VCL, in front of given
app servers on 127.0.0.1 (started and stopped by its process id)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"


def varnishd() -> str:
    """The varnishd program, or the test is skipped (and fails under CI,
    which installs it)."""
    found = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None
    )
    if found is None:
        message = "varnishd is not installed (apt-get install varnish varnish-modules)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def backends_vcl(servers) -> str:
    """Our backends.vcl for these (host, port) app servers: probed every
    half second, healthy from the start."""
    parts = [
        "import directors;",
        'probe newsroom_health { .url = "/suc-khoe/"; .interval = 0.5s;'
        " .timeout = 1s; .window = 2; .threshold = 1; .initial = 1; }",
    ]
    names = []
    for i, (host, port) in enumerate(servers, 1):
        names.append(f"app{i}")
        parts.append(
            f'backend app{i} {{ .host = "{host}"; .port = "{port}"; '
            ".probe = newsroom_health; .connect_timeout = 1s; "
            ".first_byte_timeout = 10s; }"
        )
    parts.append('acl purgers { "127.0.0.1"; }')
    adds = " ".join(f"newsroom.add_backend({n});" for n in names)
    parts.append(f"sub vcl_init {{ new newsroom = directors.round_robin(); {adds} }}")
    return "\n".join(parts) + "\n"


class Varnish:
    def __init__(self, servers) -> None:
        self.program = varnishd()
        self.dir = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
        shutil.copy(VCL, self.dir / "newsroom.vcl")
        (self.dir / "backends.vcl").write_text(backends_vcl(servers))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> Varnish:
        self.process = subprocess.Popen(
            [
                self.program, "-F", "-j", "none",
                "-a", f"127.0.0.1:{self.port}",
                "-f", str(self.dir / "newsroom.vcl"),
                "-p", f"vcl_path={self.dir}",
                "-n", str(self.dir / "work"),
                "-s", "malloc,64m", "-T", "none",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode())
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("varnishd did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def get(self, path: str, headers=None) -> tuple[int, dict, str]:
        """GET through Varnish: status, headers (lower-case names), text."""
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                body = answer.read().decode()
                return (
                    answer.status,
                    {k.lower(): v for k, v in answer.headers.items()},
                    body,
                )
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            return error.code, {k.lower(): v for k, v in error.headers.items()}, body
