"""Readers' pages read from the replica; the admin, staff and writes never do.
(The replica itself, streaming from a real primary, is in tests/cluster.)"""

import pytest
from django.test import RequestFactory

from articles.models import Article
from newsroom import replica


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)


def _read_from(request) -> str | None:
    seen = {}

    def view(request):
        seen["db"] = replica.ReplicaRouter().db_for_read(Article)
        seen["write"] = replica.ReplicaRouter().db_for_write(Article)
        return None

    replica.ReplicaReadsMiddleware(view)(request)
    assert seen["write"] == "default", "writes always go to the primary"
    return seen["db"]


def test_a_readers_page_reads_from_the_replica(with_replica):
    assert _read_from(RequestFactory().get("/thoi-su/")) == "replica"
    assert _read_from(RequestFactory().head("/")) == "replica"


@pytest.mark.parametrize(
    "request_",
    [
        RequestFactory().get("/admin/articles/article/"),
        RequestFactory().get("/toa-soan/anh/tai-len/"),
        RequestFactory().post("/luot-doc/1/"),
        RequestFactory().get("/thoi-su/", HTTP_COOKIE="sessionid=abc"),
    ],
    ids=["admin", "desk", "a write", "staff"],
)
def test_the_admin_staff_and_writes_read_from_the_primary(with_replica, request_):
    assert _read_from(request_) is None  # the default database


def test_without_a_replica_nothing_changes():
    assert _read_from(RequestFactory().get("/thoi-su/")) is None
    assert not replica.configured()
    assert replica.wait_for("0/0") is True
    assert replica.primary_position() is None


def test_outside_a_request_everything_reads_from_the_primary(with_replica):
    assert replica.ReplicaRouter().db_for_read(Article) is None
    assert replica.ReplicaRouter().allow_migrate("replica", "articles") is False
