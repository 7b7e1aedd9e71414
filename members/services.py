"""Writes in the members app: audit, notifications, accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Model

from .models import AuditEvent, Member, Notification, NotificationMute, initial_password


def audit(*, actor, action: str, target: Model | None = None, ip: str | None = None, **detail) -> AuditEvent:
    """Record who did what. Call it from every service that changes something important."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail,
        ip_address=ip,
    )


def notify(*, recipient: Member, kind: str, text: str, url: str = "", dedupe_key: str | None = None) -> bool:
    """Put a message in the member's notification centre.

    Returns False when nothing was sent: the member muted this kind, or a notification
    with the same dedupe_key exists (so a task run twice notifies once).
    """
    if NotificationMute.objects.filter(member=recipient, kind=kind).exists():
        return False
    try:
        with transaction.atomic():
            Notification.objects.create(recipient=recipient, kind=kind, text=text[:300], url=url, dedupe_key=dedupe_key)
    except IntegrityError:
        return False
    return True


def notification_mark_read(*, member: Member, pk: int | None = None, now) -> int:
    """Mark one (or all) of the member's unread notifications read; returns how many."""
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=now)


@transaction.atomic
def member_set_role(*, actor, member: Member, role: str) -> Member:
    old = member.role
    if old != role:
        member.role = role
        member.save(update_fields=["role", "updated_at"])
        audit(actor=actor, action="member.role_changed", target=member, old=old, new=role)
    return member


@transaction.atomic
def member_reset_password(*, actor, member: Member) -> str:
    """Give the member a new initial password they must change at next login."""
    password = initial_password()
    member.user.set_password(password)
    member.user.save(update_fields=["password"])
    member.must_change_password = True
    member.save(update_fields=["must_change_password", "updated_at"])
    audit(actor=actor, action="member.password_reset", target=member)
    return password


def unique_username(court_code: str, employee_number: str) -> str:
    """Login name: the court code and employee number, e.g. qg-1024."""
    base = f"{court_code}-{employee_number}".lower()
    User = get_user_model()
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username
