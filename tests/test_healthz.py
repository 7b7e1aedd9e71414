"""/healthz for load balancers: 200 when the database and broker answer, 503 otherwise."""

from __future__ import annotations

import os
import time

import pytest
from django.db import OperationalError, connection
from django.test import Client


def test_healthy_without_a_broker_means_tasks_run_in_process(db, settings):
    settings.REDIS_URL = ""
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no broker to check")
def test_healthy_with_the_real_broker(db, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json()["broker"] == "ok"


def test_unreachable_broker_gives_503_quickly(db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    started = time.monotonic()
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error" and response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"
    assert time.monotonic() - started < 5


def test_unreachable_database_gives_503(db, settings, monkeypatch):
    settings.REDIS_URL = ""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", refuse)
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"
