"""Logins and failed logins go to the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .services import audit


def client_ip(request) -> str | None:
    """The client's address, as the last of TRUSTED_PROXY_COUNT proxies saw it (axes uses this too)."""
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit(actor=user, action="auth.login", target=user, ip=client_ip(request))


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    # The account tried, when it exists, so the event lands in that court's audit trail.
    target = get_user_model().objects.filter(username=username).first() if username else None
    audit(actor=None, action="auth.login_failed", target=target, ip=client_ip(request), username=username)
