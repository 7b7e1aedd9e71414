"""A Redis cache that a failing Redis cannot take the site down with.

The cache only ever speeds a page up, so a Redis that is down, refuses or hangs must read as a
miss, never as an error or a wait: every operation catches the client's errors and answers as
an empty cache would (get → default, add → False, incr → ValueError like a missing key,
set/delete → nothing). After an error the process stops asking Redis for `COOLDOWN` seconds,
so a hung Redis costs one short socket timeout per process and cooldown, not one per request.
The socket timeouts are short and redis-py's retries are off on this path (settings).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

COOLDOWN = 10.0  # seconds without trying Redis after it failed


class TolerantRedisCache(RedisCache):
    _down_until = 0.0

    def _skip(self) -> bool:
        return time.monotonic() < self._down_until

    def resting(self) -> bool:
        """True while this process leaves Redis alone after an error (the outbox asks too)."""
        return self._skip()

    def _failed(self, exc: Exception) -> None:
        if not self._skip():
            logger.warning("cache unavailable, serving without it for %ss: %s", COOLDOWN, exc)
        self._down_until = time.monotonic() + COOLDOWN

    def _call(self, name: str, fallback, *args, **kwargs):
        if self._skip():
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - redis errors, socket timeouts, refused connections
            self._failed(exc)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found")  # what a cache without the key says
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
