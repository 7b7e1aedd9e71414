"""Headless Chromium (Debian's, never a downloaded one) for end-to-end journeys.

Use the `browser_page` fixture (desktop) or `phone_page` (390×844), log in with
`login(page, live_server, username)`, and keep screenshots with `shot(page, "name")`:
they land in test-artifacts/screenshots/ for CI to show.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _one_request_at_a_time_on_sqlite() -> None:
    """On SQLite the test database lives in memory, as one connection that the live server's
    request threads share: two requests at once (a page's two poster images, say) use it
    together and fail with "bad parameter or other API misuse". There the live server answers
    one request at a time (and closes each connection). PostgreSQL (CI) keeps the threaded one.
    """
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneRequestAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)  # requests run in the server's thread, which has the connection

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        LiveServerThread.server_class = OneRequestAtATime


_one_request_at_a_time_on_sqlite()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make system-deps` (apt-get install chromium fonts-noto-cjk)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _page(chromium, **context_args):
    context = chromium.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_args)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    return context, page


@pytest.fixture
def browser_page(chromium):
    context, page = _page(chromium, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium):
    context, page = _page(
        chromium, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield page
    context.close()


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


def image_size(page, selector: str) -> tuple[int, int]:
    """The natural size of the image at `selector`, once the browser has finished loading it.

    An <img> is in the DOM before its bytes arrive; reading naturalWidth then gives 0."""
    page.wait_for_function(
        "s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
        arg=selector,
    )
    return tuple(
        page.evaluate(
            "s => { const i = document.querySelector(s); return [i.naturalWidth, i.naturalHeight]; }", selector
        )
    )


def login(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
