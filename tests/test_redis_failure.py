"""A Redis that hangs or is down costs a page at most a short wait, never an error or a login.

The hung Redis is a socket that accepts connections and never answers, as a stopped Redis
process behind a live socket does.
"""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from courtlearn.cache import TolerantRedisCache


@pytest.fixture
def hung_redis():
    """A listening socket that accepts and never answers; yields its redis:// URL."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _addr = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def redis_down():
    """A port where nothing listens."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"redis://127.0.0.1:{port}/0"


def tolerant_cache(url: str) -> TolerantRedisCache:
    return TolerantRedisCache(
        url,
        {
            "OPTIONS": {
                "socket_timeout": 0.5,
                "socket_connect_timeout": 0.5,
                "retry_on_timeout": False,
                "retry_on_error": [],
            }
        },
    )


@pytest.mark.parametrize("redis", ["hung_redis", "redis_down"])
def test_a_failing_redis_reads_as_an_empty_cache(request, redis):
    cache = tolerant_cache(request.getfixturevalue(redis))
    started = time.monotonic()
    assert cache.get("k", "default") == "default"
    assert time.monotonic() - started < 1.5
    # Then the process leaves Redis alone for a while: the next calls answer at once.
    started = time.monotonic()
    cache.set("k", 1)
    assert cache.add("k", 1) is False
    assert cache.get_many(["k", "j"]) == {}
    assert cache.delete("k") is False
    with pytest.raises(ValueError):
        cache.incr("k")
    assert time.monotonic() - started < 0.1


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no Redis to use")
def test_a_working_redis_is_used():
    cache = tolerant_cache(os.environ["REDIS_URL"])
    cache.set("tolerant-test", 41)
    assert cache.incr("tolerant-test") == 42
    assert cache.get("tolerant-test") == 42
    cache.delete("tolerant-test")


@pytest.mark.django_db
def test_with_redis_hung_a_leader_logs_in_and_reads_the_dashboard_quickly(settings, hung_redis, cast, password):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "courtlearn.cache.TolerantRedisCache",
            "LOCATION": hung_redis,
            "OPTIONS": {
                "socket_timeout": 0.5,
                "socket_connect_timeout": 0.5,
                "retry_on_timeout": False,
                "retry_on_error": [],
            },
        },
    }
    assert isinstance(caches["default"], TolerantRedisCache)
    from django.test import Client

    client = Client()
    started = time.monotonic()
    response = client.post(reverse("login"), {"username": cast.leader.user.username, "password": password})
    assert response.status_code == 302
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert time.monotonic() - started < 2
