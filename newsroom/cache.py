"""Django's Redis cache, failing open: with Redis gone the site serves uncached.

Every read misses and every write is dropped while Redis cannot be reached,
with a short socket timeout so that a request never waits long for it; the
fault is logged (at most every ten seconds, not once per request). When
Redis is back the same connections pool reconnects by itself.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

_FALLBACKS = {
    "add": False,
    "get": None,  # the caller's default, below
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "incr": None,
    "set_many": None,
    "delete_many": None,
    "clear": None,
}


class FailOpenRedisCache(RedisCache):
    _last_report = 0.0

    def _errors(self) -> tuple[type[Exception], ...]:
        import redis

        return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

    def _report(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - FailOpenRedisCache._last_report > 10:
            FailOpenRedisCache._last_report = now
            logger.error(
                "Bộ nhớ đệm Redis không trả lời (%s: %s): trang được dựng không "
                "qua bộ nhớ đệm cho đến khi Redis trở lại.",
                operation,
                exc,
            )


def _fail_open(name: str):
    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except self._errors() as exc:
            self._report(name, exc)
            if name == "get":
                return kwargs.get("default", args[1] if len(args) > 1 else None)
            if name == "set_many":
                data = args[0] if args else kwargs.get("data", {})
                return list(data)
            fallback = _FALLBACKS[name]
            return dict(fallback) if isinstance(fallback, dict) else fallback

    method.__name__ = name
    return method


for _name in _FALLBACKS:
    setattr(FailOpenRedisCache, _name, _fail_open(_name))
