"""While the database is away, answer at once instead of queueing behind it.

Each request that finds the database gone waits for the pool (a couple of
seconds) before it gets the 503 page. With sync workers, readers queued
behind those requests would wait much longer. So once a request has found
the database gone, the next ones in this process get the 503 page at once
for a second; then one request tries the database again, and when it
answers the site is back. Pages from the page cache need no database and
are served throughout (this middleware comes after the page cache).
"""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template

RETRY_AFTER_SECONDS = 1.0
_down_until = 0.0


def database_is_down() -> None:
    """Note that a request found the database gone (called by the 500 handler)."""
    global _down_until
    _down_until = time.monotonic() + RETRY_AFTER_SECONDS


def unavailable() -> HttpResponse:
    """The site's own page for a database that cannot be reached."""
    response = HttpResponse(get_template("503.html").render(), status=503)
    response["Retry-After"] = "10"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseGuardMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if time.monotonic() < _down_until and request.path != "/suc-khoe/":
            return unavailable()
        return self.get_response(request)
