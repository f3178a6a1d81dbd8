"""The site survives its cache and its database going away, with real servers."""

import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest
from django.db import connection
from django.test import Client

from . import factories

REDIS_SERVER = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_cache(settings, port: int) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }


class RedisServer:
    """A redis-server of the test's own, on a free loopback port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.folder = tempfile.mkdtemp(prefix="newsroom-redis-")
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", self.folder],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(5)

    def close(self) -> None:
        if self.process and self.process.poll() is None:
            self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def redis_server():
    if REDIS_SERVER is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: .ci/run installs it")
        pytest.skip("needs redis-server")
    server = RedisServer()
    server.start()
    yield server
    server.close()


@pytest.mark.django_db(transaction=True)
def test_with_redis_killed_pages_and_the_admin_keep_answering(
    settings, redis_server, admin_user, caplog
):
    _redis_cache(settings, redis_server.port)
    article = factories.article(
        "Tin vẫn đọc được", category=factories.category("Thời sự")
    )
    reader = Client()
    urls = ["/", "/thoi-su/", article.get_absolute_url(), "/rss/", "/suc-khoe/"]
    assert reader.get("/thoi-su/")["X-Page-Cache"] == "miss"
    assert reader.get("/thoi-su/")["X-Page-Cache"] == "hit"

    redis_server.kill()
    caplog.set_level(logging.ERROR, logger="newsroom.cache")
    started = time.monotonic()
    for url in urls:
        response = reader.get(url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response, url  # built fresh
    assert time.monotonic() - started < 5
    assert any("Redis không trả lời" in r.getMessage() for r in caplog.records)
    editor = Client()
    editor.force_login(admin_user)
    assert editor.get("/admin/articles/article/").status_code == 200
    readiness = reader.get("/suc-khoe/san-sang/")
    assert readiness.status_code == 200
    assert "co-so-du-lieu: ok" in readiness.content.decode()
    assert "bo-nho-dem: lỗi" in readiness.content.decode()

    redis_server.start()  # back on the same port: caching resumes by itself
    assert reader.get("/thoi-su/")["X-Page-Cache"] == "miss"
    assert reader.get("/thoi-su/")["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_cache_that_never_answers_is_a_site_without_cache(settings):
    _redis_cache(settings, _free_port())  # nothing listens there
    factories.article("Tin mới", category=factories.category("Thời sự"))
    for url in ("/", "/thoi-su/", "/tim-kiem/?q=tin"):
        assert Client().get(url).status_code == 200, url


def _break_database():
    """Point the connection at a database that cannot be reached; return the undo."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.close_pool()
        connection.settings_dict["PORT"] = str(_free_port())
    else:
        connection.settings_dict["NAME"] = "/nonexistent/folder/newsroom.sqlite3"

    def undo():
        connection.close()
        if connection.vendor == "postgresql":
            connection.close_pool()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)

    return undo


@pytest.mark.django_db(transaction=True)
def test_with_the_database_away_readers_get_a_503_page_quickly_and_then_the_site(
    settings, monkeypatch
):
    from newsroom import faults

    monkeypatch.setattr(faults, "RETRY_AFTER_SECONDS", 0.3)
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    factories.article("Tin mới", category=factories.category("Thời sự"))
    reader = Client(raise_request_exception=False)
    undo = _break_database()
    try:
        for url in ("/", "/thoi-su/", "/suc-khoe/san-sang/"):
            started = time.monotonic()
            response = reader.get(url)
            assert time.monotonic() - started < 3, url
            assert response.status_code == 503, (url, response.status_code)
        # Right after a failure the next readers do not wait for the pool.
        started = time.monotonic()
        for _ in range(20):
            assert reader.get("/thoi-su/").status_code == 503
        assert time.monotonic() - started < 0.3 + 3
        page = reader.get("/thoi-su/")
        assert "Trang tạm gián đoạn" in page.content.decode()
        assert int(page["Retry-After"]) > 0
        assert reader.get("/suc-khoe/").status_code == 200  # the process itself is up
    finally:
        undo()
    time.sleep(faults.RETRY_AFTER_SECONDS)  # the pause after the last failure
    assert reader.get("/thoi-su/").status_code == 200  # back by itself
