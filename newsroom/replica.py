"""Readers' pages read from a PostgreSQL streaming replica; everything else
from the primary.

With ``DATABASE_REPLICA_URL`` set, the database alias ``replica`` exists and
:class:`ReplicaRouter` sends a query there only while
:class:`ReplicaReadsMiddleware` says the request is a reader's: a ``GET`` or
``HEAD`` of a public page without a session cookie. The admin, the desk,
imports, commands, workers, writes, and staff (whose own reads right after a
save must see the save) all use the primary.

A replica replays the primary's commits a little later. So that no cache
keeps a page read before the replica had a change: a purge job
(:mod:`newsroom.tasks`) is given the primary's WAL position of the commit
and waits until the replica has replayed it (:func:`wait_for`) before it
drops the app's page cache and the edges' pages. A reader may see the old
page for the replication lag, never after.

Behind PgBouncer in transaction mode nothing here needs a session: no
server-side cursors (``DISABLE_SERVER_SIDE_CURSORS``), no prepared
statements kept by the driver, no ``SET`` outside a transaction.
"""

from __future__ import annotations

import contextvars
import time

from django.conf import settings
from django.db import connections

REPLICA = "replica"

_reader: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_reader", default=False
)


def configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reader.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    """Mark a reader's request so that its queries go to the replica."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.admin = f"/{settings.NEWSROOM_ADMIN_PATH}"

    def __call__(self, request):
        reader = (
            configured()
            and request.method in ("GET", "HEAD")
            and not request.path.startswith((self.admin, "/toa-soan/"))
            and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        )
        token = _reader.set(reader)
        try:
            return self.get_response(request)
        finally:
            _reader.reset(token)


def primary_position() -> str | None:
    """The primary's current WAL position, when a replica is configured."""
    if not configured():
        return None
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def wait_for(position: str | None, seconds: float = 10.0) -> bool:
    """Wait until the replica has replayed ``position``; False if it has not
    within ``seconds`` (the purge then goes ahead: the cache's lifetime
    bounds what a late replica can leave)."""
    if not position or not configured():
        return True
    deadline = time.monotonic() + seconds
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
            if cursor.fetchone()[0]:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
