"""The security baseline: login throttling, CSP, deploy checks, error pages, audit of logins."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import path, reverse

from members.models import AuditEvent

ROOT = Path(__file__).resolve().parent.parent


def test_five_failed_logins_lock_the_account(cast, client, password):
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "member", "password": "wrong"})
        assert response.status_code == 200  # the form again
    locked = client.post(reverse("login"), {"username": "member", "password": "wrong"})
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    # Even the right password is refused while locked.
    again = client.post(reverse("login"), {"username": "member", "password": password})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    # Five wrong passwords, and the refused attempt while locked.
    assert AuditEvent.objects.filter(action="auth.login_failed", detail__username="member").count() == 6
    # Another account from the same address is not locked.
    assert client.post(reverse("login"), {"username": "colleague", "password": password}).status_code == 302


def test_csp_header_has_a_nonce_that_the_page_scripts_carry(cast):
    response = Client().get(reverse("login"))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy).group(1)
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in tag and "src=" in tag for tag in scripts)


def template_files() -> list[Path]:
    return sorted((ROOT / "templates").rglob("*.html")) + sorted(ROOT.glob("*/templates/**/*.html"))


@pytest.mark.parametrize(
    "pattern", [r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=\s*[\"']", r"<style[\s>]", "javascript:"]
)
def test_no_template_has_inline_script_handlers_or_style_elements(pattern):
    offenders = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in template_files()
        for m in re.finditer(pattern, p.read_text(encoding="utf-8"), flags=re.IGNORECASE)
    ]
    assert not offenders, "CSP forbids these (use static/js files and data- attributes):\n" + "\n".join(offenders)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "courtlearn.example",
        "COURTLEARN_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)  # the check needs no database
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "DJANGO_DEBUG"}}
    env["COURTLEARN_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY is required" in result.stderr


def test_unknown_pages_get_the_generic_404_page(cast):
    response = cast.client_for("member").get("/no/such/page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert "Traceback" not in response.content.decode()


def boom(request: HttpRequest):
    raise RuntimeError("secret internal detail")


urlpatterns = [path("boom/", boom)]
handler500 = "courtlearn.views.error_500"


@pytest.mark.urls("tests.test_security")
def test_a_crash_shows_the_generic_500_page_without_details(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret internal detail" not in body and "Traceback" not in body
    assert "<h1>" in body


def test_behind_a_proxy_the_forwarded_client_address_is_audited_and_throttled(cast, settings, password):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.7", REMOTE_ADDR="127.0.0.1")
    for _ in range(5):
        client.post(reverse("login"), {"username": "member", "password": "wrong"})
    assert set(AuditEvent.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # Another client behind the same proxy is not locked out by the first one's failures (the
    # account is: it locks from every address, tests/members/test_login_throttling.py).
    other = Client(HTTP_X_FORWARDED_FOR="198.51.100.2", REMOTE_ADDR="127.0.0.1")
    assert other.post(reverse("login"), {"username": "colleague", "password": password}).status_code == 302
    third = Client(HTTP_X_FORWARDED_FOR="198.51.100.3", REMOTE_ADDR="127.0.0.1")
    assert third.post(reverse("login"), {"username": "member", "password": password}).status_code == 429
